// Pure decisions of the grading service, kept apart so they are tested without a database.
import type { CheckResult, Status, StepReport } from "@/checkers/types";
import { ATTEMPT_SOURCES, type AttemptSource, type AttemptView } from "./types";

/**
 * A step whose checks all skipped was not attempted: step 6 without the probe explains what the
 * probe would do and skips. Recording it would count as a pass (a step passes when its checks
 * pass or skip), so it is neither stored as an Attempt nor counted in StepProgress.
 */
export function wasAttempted(report: StepReport): boolean {
  return report.checks.some((c) => c.status !== "skip");
}

/** The report's step as shown: "skip" rather than "pass" when nothing was attempted. */
export function shownStatus(report: StepReport): Status {
  return wasAttempted(report) ? report.status : "skip";
}

const STATUSES: readonly Status[] = ["pass", "fail", "error", "skip"];

function asStatus(v: string): Status {
  return (STATUSES as readonly string[]).includes(v) ? (v as Status) : "error";
}

function asSource(v: string): AttemptSource {
  return (ATTEMPT_SOURCES as readonly string[]).includes(v) ? (v as AttemptSource) : "web";
}

function parseChecks(json: string): CheckResult[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? (value as CheckResult[]) : [];
  } catch {
    // A row written by hand or by an older version: show the attempt without its results.
    return [];
  }
}

export function toAttemptView(row: { id: string; step: number; status: string; source: string; durationMs: number; createdAt: Date; results: string }): AttemptView {
  return {
    id: row.id,
    step: row.step,
    status: asStatus(row.status),
    source: asSource(row.source),
    durationMs: row.durationMs,
    createdAt: row.createdAt.toISOString(),
    checks: parseChecks(row.results),
  };
}

export function rateLimitMessage(retryAfter: number): string {
  return `You have run many checks in the last minute. Try again in ${retryAfter} ${retryAfter === 1 ? "second" : "seconds"}.`;
}
