// The instructor dashboard's data contract: what lib/cohorts gives the pages, the JSON route the
// open dashboard polls, the CSV export and GET /api/v1/cohorts/{id}/progress. Everything here is
// read from Cohort, Membership, User and StepProgress — never by scanning Attempt rows.
import type { Role } from "../auth/roles";
import type { StepState } from "../progress";
import type { Status } from "@/checkers/types";
import type { AttemptView } from "../grading/types";

/** Who is asking. Every function of lib/cohorts that reads or changes a cohort takes one. */
export interface Viewer {
  id: string;
  role: Role;
}

export interface CohortSummary {
  id: string;
  name: string;
  joinCode: string;
  owner: { id: string; name: string; email: string };
  learners: number;
  /** Learners who passed every step of the lab. */
  completed: number;
  createdAt: string;
}

export const MATRIX_SORTS = ["name", "email", "progress", "last-active", "joined"] as const;
export type MatrixSort = (typeof MATRIX_SORTS)[number];

export interface MatrixQuery {
  /** 1-based. */
  page: number;
  /** 1..200, default 50. */
  pageSize: number;
  sort: MatrixSort;
  dir: "asc" | "desc";
  /** Case-insensitive substring of name or email. */
  search?: string;
  /** Learners whose furthest passed step is N−1 and who have not passed step N ("stuck on step N"). */
  stuckOn?: number;
  /** Learners with no check for at least N days (or never checked). */
  inactiveDays?: number;
}

export interface MatrixCell {
  step: number;
  state: StepState;
  /** Passed at some point, the latest check did not pass. */
  regressed: boolean;
  attempts: number;
  lastCheckedAt: string | null;
  firstAttemptAt: string | null;
  firstPassedAt: string | null;
}

export interface MatrixRow {
  userId: string;
  name: string;
  email: string;
  joinedAt: string;
  /** Steps whose latest check passed. */
  passedSteps: number;
  lastActiveAt: string | null;
  cells: MatrixCell[];
}

export interface StepAggregate {
  step: number;
  title: string;
  passed: number;
  failing: number;
  error: number;
  notStarted: number;
  /** Of failing + error: those that passed earlier. */
  regressed: number;
  /** Learners who ever passed this step (firstPassedAt set): the funnel. */
  reached: number;
  /** Seconds from first attempt to first pass, over learners who passed. */
  timeToComplete: { count: number; medianSeconds: number | null; p90Seconds: number | null; histogram: { label: string; upToSeconds: number | null; count: number }[] };
}

export interface CohortAggregates {
  learners: number;
  completed: number;
  /** Learners with a check in the last 7 days. */
  activeLastWeek: number;
  steps: StepAggregate[];
}

export interface CohortProgressPage {
  cohort: { id: string; name: string; joinCode: string };
  lab: string;
  steps: { step: number; title: string }[];
  query: MatrixQuery;
  /** Rows matching the filter and search, before paging. */
  total: number;
  rows: MatrixRow[];
  /** Always over the whole cohort, whatever the filter. */
  aggregates: CohortAggregates;
  /** Changes whenever anything on the page would: the open dashboard compares it to skip re-rendering. */
  version: string;
  generatedAt: string;
}

// ---- Re-check (lib/cohorts/recheck.ts; streamed by POST /api/cohorts/{id}/recheck) ----

/** A step as a re-check left it: its new status, or "not-run" with the reason. */
export interface RecheckStepResult {
  step: number;
  status: Status | "not-run";
  error?: { code: string; message: string };
}

export type RecheckEvent =
  | { type: "start"; total: number }
  | { type: "learner"; userId: string; name: string; done: number; total: number; steps: RecheckStepResult[] }
  | { type: "done"; summary: RecheckSummary };

export interface RecheckSummary {
  /** Learners chosen. */
  learners: number;
  /** Step checks run and recorded (source "recheck"). */
  checked: number;
  /** Of those checked: passed, failed, could not check. */
  passed: number;
  failed: number;
  errors: number;
  /** Learners not re-checked: no connection, account unreachable, nothing attempted yet, or the run was stopped. */
  skipped: number;
  durationMs: number;
}

// ---- Drill-down (lib/cohorts/drill-down.ts) ----

export interface LearnerDrillDown {
  cohort: { id: string; name: string };
  learner: { id: string; name: string; email: string; joinedAt: string };
  steps: {
    step: number;
    title: string;
    progress: MatrixCell;
    /** Newest first, at most 50, every check result, message and hint as stored. */
    attempts: AttemptView[];
  }[];
}

export interface CohortMembershipView {
  cohortId: string;
  name: string;
  joinedAt: string;
}
