// Words and symbols for check statuses, shared by the live results and the history. The icon is
// decoration (aria-hidden); the text carries the meaning, so colour is never the only cue.
import type { Status } from "@/checkers/types";
import type { AttemptSource } from "@/lib/grading/types";

export const STATUS_TEXT: Record<Status, string> = { pass: "Passed", fail: "Failed", error: "Could not check", skip: "Skipped" };
export const STATUS_ICON: Record<Status, string> = { pass: "✓", fail: "✗", error: "!", skip: "–" };
export const SOURCE_TEXT: Record<AttemptSource, string> = { web: "this page", cli: "lab-check", api: "the API", recheck: "a re-check" };

/** Expected and found values as the learner reads them: strings as they are, the rest as JSON. */
export function formatValue(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v, null, 2) ?? String(v);
}
