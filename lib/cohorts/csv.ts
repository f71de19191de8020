// The cohort's progress as CSV: one row per learner (every learner, not a page), one group of
// columns per step. Opened in a spreadsheet, so a cell a learner controls (their name) must never
// run as a formula.
import { stringify } from "csv-stringify/sync";
import { audit } from "../audit";
import { loadCohortFor } from "./access";
import { secondsToComplete, sortLearners, type LearnerCell } from "./matrix";
import { loadCohortLearners } from "./learner-store";
import { labSteps } from "./progress";
import type { Viewer } from "./types";

/** The status words of the export (and of the matrix's accessible text). */
export function cellStatusText(c: Pick<LearnerCell, "state" | "regressed">): string {
  if (c.state === "not-started") return "not started";
  if (c.state === "pass") return "passed";
  if (c.regressed) return "passed earlier, failing now";
  return c.state === "error" ? "error" : "failing";
}

/**
 * OWASP's CSV-injection advice: a cell starting with = + - @ tab or CR is read as a formula by
 * spreadsheets, so it gets a leading apostrophe (shown, never evaluated).
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const iso = (d: Date | null) => (d ? d.toISOString() : "");

function fileSlug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 50) || "cohort";
}

export async function cohortCsv(viewer: Viewer, cohortId: string, opts: { now?: Date } = {}): Promise<{ filename: string; body: string }> {
  const cohort = await loadCohortFor(viewer, cohortId);
  const steps = await labSteps();
  const learners = sortLearners([...(await loadCohortLearners(cohort.id, steps.length)).learners], "name", "asc");

  const header = ["name", "email", "joined at", "passed steps", "last active"];
  for (const { step } of steps) {
    header.push(`step ${step} status`, `step ${step} attempts`, `step ${step} last checked`, `step ${step} first passed`, `step ${step} seconds to complete`);
  }
  const records: string[][] = [header];
  for (const l of learners) {
    const row = [l.name, l.email, iso(l.joinedAt), String(l.passedSteps), iso(l.lastActiveAt)];
    for (const c of l.cells) {
      const seconds = secondsToComplete(c);
      row.push(cellStatusText(c), String(c.attempts), iso(c.lastCheckedAt), iso(c.firstPassedAt), seconds === null ? "" : String(seconds));
    }
    records.push(row.map(neutralizeFormula));
  }
  const body = stringify(records, { record_delimiter: "\r\n" });
  await audit({ actorId: viewer.id, action: "cohort.export", cohortId: cohort.id, details: { learners: learners.length } });
  const date = (opts.now ?? new Date()).toISOString().slice(0, 10);
  return { filename: `${fileSlug(cohort.name)}-progress-${date}.csv`, body };
}
