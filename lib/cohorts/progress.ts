// The cohort page's data: the members and their StepProgress rows (never Attempt; learner-store.ts),
// then filter, sort, page and aggregate in memory. 1,000 learners × 6 steps is 6,000 small rows:
// cheaper to hold than to ask the database the same questions six ways.
import { getLab } from "../content/lab";
import { COHORT_LAB, loadCohortFor } from "./access";
import { loadCohortLearners, readVersion } from "./learner-store";
import { aggregate, matchesQuery, sortLearners, toMatrixRow } from "./matrix";
import { normalizeMatrixQuery } from "./matrix-query";
import type { CohortProgressPage, MatrixQuery, Viewer } from "./types";

export async function labSteps(): Promise<{ step: number; title: string }[]> {
  const lab = await getLab(COHORT_LAB);
  return lab.steps.map((s) => ({ step: s.step, title: s.title }));
}

/** The cohort's current version from one aggregate query: what a poll compares before loading anything. */
export async function cohortVersion(viewer: Viewer, cohortId: string): Promise<string> {
  const cohort = await loadCohortFor(viewer, cohortId);
  return readVersion(cohort.id);
}

export async function getCohortProgress(viewer: Viewer, cohortId: string, query: Partial<MatrixQuery> = {}, opts: { now?: Date } = {}): Promise<CohortProgressPage> {
  const cohort = await loadCohortFor(viewer, cohortId);
  const now = opts.now ?? new Date();
  const q = normalizeMatrixQuery(query);
  const steps = await labSteps();
  const { learners, version } = await loadCohortLearners(cohort.id, steps.length);

  const matching = sortLearners(learners.filter((l) => matchesQuery(l, q, now)), q.sort, q.dir);
  // A page past the end shows the last page rather than nothing (rows vanish as learners progress).
  const lastPage = Math.max(1, Math.ceil(matching.length / q.pageSize));
  const page = Math.min(q.page, lastPage);
  const rows = matching.slice((page - 1) * q.pageSize, page * q.pageSize).map(toMatrixRow);
  return {
    cohort: { id: cohort.id, name: cohort.name, joinCode: cohort.joinCode },
    lab: COHORT_LAB,
    steps,
    query: { ...q, page },
    total: matching.length,
    rows,
    aggregates: aggregate(learners, steps, now),
    version,
    generatedAt: now.toISOString(),
  };
}
