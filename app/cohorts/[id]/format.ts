// Words, times and links the dashboard shows, shared by the server page and the live client
// parts. Times are UTC and "ago" is measured from when the data was read, so the server's HTML
// and the browser's re-render always agree (no hydration mismatch, no ticking clock).
import { matrixQueryToParams } from "@/lib/cohorts/matrix-params";
import type { MatrixCell, MatrixQuery, MatrixSort } from "@/lib/cohorts/types";

/** "2026-11-26 21:03:05 UTC" */
export function exactTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** "21:03:05" (UTC) */
export function clockTime(iso: string): string {
  return iso.slice(11, 19);
}

/** "just now", "5 min ago", "3 h ago", "4 days ago", relative to `now`. */
export function timeAgo(iso: string, now: string): string {
  const seconds = Math.max(0, (Date.parse(now) - Date.parse(iso)) / 1000);
  if (seconds < 60) return "just now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  const days = Math.floor(seconds / 86_400);
  return `${days} ${days === 1 ? "day" : "days"} ago`;
}

/** A duration in the largest unit that keeps it readable: "45 s", "12 min", "3.5 h", "2.1 days". */
export function duration(seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} days`;
}

export type CellKind = "pass" | "fail" | "error" | "not-started" | "regressed";

export function cellKind(cell: MatrixCell): CellKind {
  return cell.regressed ? "regressed" : cell.state;
}

/** The icon is decoration (aria-hidden); the words carry the meaning, so colour is never the only cue. */
export const CELL_TEXT: Record<CellKind, { icon: string; label: string }> = {
  pass: { icon: "✓", label: "Passed" },
  fail: { icon: "✗", label: "Failing" },
  error: { icon: "!", label: "Could not check" },
  "not-started": { icon: "–", label: "Not started" },
  regressed: { icon: "↺", label: "Passed earlier, failing now" },
};

export const SORT_LABELS: Record<MatrixSort, string> = {
  name: "Name",
  email: "Email",
  progress: "Steps passed",
  "last-active": "Last active",
  joined: "Joined",
};

/** The query as URL search params, leaving out what is the default, so links stay short. */
export function queryParams(query: MatrixQuery, changes: Partial<MatrixQuery> = {}): URLSearchParams {
  return matrixQueryToParams({ ...query, ...changes });
}

export function dashboardHref(cohortId: string, query: MatrixQuery, changes: Partial<MatrixQuery> = {}): string {
  return `/cohorts/${encodeURIComponent(cohortId)}?${queryParams(query, changes).toString()}`;
}
