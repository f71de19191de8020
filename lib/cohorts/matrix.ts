// The progress matrix and the cohort's aggregates, computed in memory from two reads (members,
// StepProgress rows). Pure: no database, no clock — getCohortProgress, the CSV export and the
// unit tests all feed it plain rows.
import type { StepState } from "../progress";
import type { CohortAggregates, MatrixCell, MatrixQuery, MatrixRow, StepAggregate } from "./types";

export interface MemberInput {
  userId: string;
  name: string;
  email: string;
  joinedAt: Date;
}

export interface ProgressInput {
  userId: string;
  step: number;
  status: string;
  attempts: number;
  firstAttemptAt: Date;
  firstPassedAt: Date | null;
  lastCheckedAt: Date;
}

export interface LearnerCell {
  step: number;
  state: StepState;
  regressed: boolean;
  attempts: number;
  lastCheckedAt: Date | null;
  firstAttemptAt: Date | null;
  firstPassedAt: Date | null;
}

/** One learner with Dates kept as Dates: strings are made only for the rows actually shown. */
export interface LearnerProgress extends MemberInput {
  passedSteps: number;
  lastActiveAt: Date | null;
  cells: LearnerCell[];
}

const DAY_MS = 86_400_000;

export const TIME_BUCKETS: { label: string; upToSeconds: number | null }[] = [
  { label: "Under 5 minutes", upToSeconds: 5 * 60 },
  { label: "5 to 15 minutes", upToSeconds: 15 * 60 },
  { label: "15 minutes to 1 hour", upToSeconds: 3600 },
  { label: "1 to 4 hours", upToSeconds: 4 * 3600 },
  { label: "4 hours to 1 day", upToSeconds: 86_400 },
  { label: "1 day to 1 week", upToSeconds: 7 * 86_400 },
  { label: "Over a week", upToSeconds: null },
];

function stateOf(status: string): StepState {
  return status === "pass" ? "pass" : status === "error" ? "error" : "fail";
}

export function buildLearners(members: MemberInput[], progress: ProgressInput[], stepCount: number): LearnerProgress[] {
  const byUser = new Map<string, ProgressInput[]>();
  for (const p of progress) {
    if (p.step < 1 || p.step > stepCount) continue;
    const list = byUser.get(p.userId);
    if (list) list.push(p);
    else byUser.set(p.userId, [p]);
  }
  return members.map((m) => {
    const cells: LearnerCell[] = Array.from({ length: stepCount }, (_, i) => ({
      step: i + 1, state: "not-started", regressed: false, attempts: 0, lastCheckedAt: null, firstAttemptAt: null, firstPassedAt: null,
    }));
    let passedSteps = 0;
    let lastActive = -Infinity;
    for (const p of byUser.get(m.userId) ?? []) {
      const state = stateOf(p.status);
      cells[p.step - 1] = {
        step: p.step, state, regressed: state !== "pass" && p.firstPassedAt !== null, attempts: p.attempts,
        lastCheckedAt: p.lastCheckedAt, firstAttemptAt: p.firstAttemptAt, firstPassedAt: p.firstPassedAt,
      };
      if (state === "pass") passedSteps++;
      if (p.lastCheckedAt.getTime() > lastActive) lastActive = p.lastCheckedAt.getTime();
    }
    return { ...m, passedSteps, lastActiveAt: lastActive === -Infinity ? null : new Date(lastActive), cells };
  });
}

/** "Stuck on step N": has not passed N but passed every step before it (for N = 1: has not passed step 1). */
export function isStuckOn(l: LearnerProgress, n: number): boolean {
  if (l.cells[n - 1]?.state === "pass") return false;
  for (let i = 0; i < n - 1; i++) if (l.cells[i]?.state !== "pass") return false;
  return true;
}

export function matchesQuery(l: LearnerProgress, q: MatrixQuery, now: Date): boolean {
  if (q.search) {
    const s = q.search.toLowerCase();
    if (!l.name.toLowerCase().includes(s) && !l.email.toLowerCase().includes(s)) return false;
  }
  if (q.stuckOn !== undefined && !isStuckOn(l, q.stuckOn)) return false;
  if (q.inactiveDays !== undefined && l.lastActiveAt && now.getTime() - l.lastActiveAt.getTime() < q.inactiveDays * DAY_MS) return false;
  return true;
}

const collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });
const time = (d: Date | null) => (d ? d.getTime() : -Infinity);

/** Sorts in place. Ties fall back to name, then id, so paging is stable between polls. */
export function sortLearners(list: LearnerProgress[], sort: MatrixQuery["sort"], dir: MatrixQuery["dir"]): LearnerProgress[] {
  const sign = dir === "desc" ? -1 : 1;
  const primary: (a: LearnerProgress, b: LearnerProgress) => number =
    sort === "email" ? (a, b) => collator.compare(a.email, b.email)
    : sort === "progress" ? (a, b) => a.passedSteps - b.passedSteps || time(a.lastActiveAt) - time(b.lastActiveAt)
    : sort === "last-active" ? (a, b) => time(a.lastActiveAt) - time(b.lastActiveAt)
    : sort === "joined" ? (a, b) => a.joinedAt.getTime() - b.joinedAt.getTime()
    : (a, b) => collator.compare(a.name, b.name);
  return list.sort((a, b) => sign * primary(a, b) || collator.compare(a.name, b.name) || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toMatrixCell(c: LearnerCell): MatrixCell {
  return { step: c.step, state: c.state, regressed: c.regressed, attempts: c.attempts, lastCheckedAt: iso(c.lastCheckedAt), firstAttemptAt: iso(c.firstAttemptAt), firstPassedAt: iso(c.firstPassedAt) };
}

export function toMatrixRow(l: LearnerProgress): MatrixRow {
  return { userId: l.userId, name: l.name, email: l.email, joinedAt: l.joinedAt.toISOString(), passedSteps: l.passedSteps, lastActiveAt: iso(l.lastActiveAt), cells: l.cells.map(toMatrixCell) };
}

/** Seconds from first attempt to first pass; null when never passed. */
export function secondsToComplete(c: LearnerCell): number | null {
  if (!c.firstPassedAt || !c.firstAttemptAt) return null;
  return Math.max(0, Math.round((c.firstPassedAt.getTime() - c.firstAttemptAt.getTime()) / 1000));
}

/** Median (mean of the middle two for an even count) and nearest-rank p90 of sorted values. */
export function medianAndP90(sorted: number[]): { medianSeconds: number | null; p90Seconds: number | null } {
  const n = sorted.length;
  if (n === 0) return { medianSeconds: null, p90Seconds: null };
  const mid = Math.floor(n / 2);
  const median = n % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
  return { medianSeconds: median, p90Seconds: sorted[Math.ceil(0.9 * n) - 1]! };
}

export function histogram(values: number[]): StepAggregate["timeToComplete"]["histogram"] {
  const out = TIME_BUCKETS.map((b) => ({ ...b, count: 0 }));
  for (const v of values) {
    const bucket = out.find((b) => b.upToSeconds === null || v < b.upToSeconds);
    if (bucket) bucket.count++;
  }
  return out;
}

export function aggregate(learners: readonly LearnerProgress[], steps: { step: number; title: string }[], now: Date): CohortAggregates {
  const weekAgo = now.getTime() - 7 * DAY_MS;
  const stepAggregates: StepAggregate[] = steps.map(({ step, title }) => {
    const a = { passed: 0, failing: 0, error: 0, notStarted: 0, regressed: 0, reached: 0 };
    const times: number[] = [];
    for (const l of learners) {
      const c = l.cells[step - 1];
      if (!c || c.state === "not-started") {
        a.notStarted++;
        continue;
      }
      if (c.state === "pass") a.passed++;
      else if (c.state === "error") a.error++;
      else a.failing++;
      if (c.regressed) a.regressed++;
      if (c.firstPassedAt) a.reached++;
      const t = secondsToComplete(c);
      if (t !== null) times.push(t);
    }
    times.sort((x, y) => x - y);
    return { step, title, ...a, timeToComplete: { count: times.length, ...medianAndP90(times), histogram: histogram(times) } };
  });
  return {
    learners: learners.length,
    completed: learners.filter((l) => l.passedSteps === steps.length).length,
    activeLastWeek: learners.filter((l) => l.lastActiveAt !== null && l.lastActiveAt.getTime() >= weekAgo).length,
    steps: stepAggregates,
  };
}

/**
 * Changes whenever the page could: a member joins or leaves (count, latest join), any check is
 * recorded (every check adds one attempt and moves lastCheckedAt), or a member's account changes
 * (their name or email: the latest User.updatedAt). The same numbers come from one aggregate
 * query (learner-store.ts readVersion), so a poll can be answered with 304, and the in-memory copy
 * of a cohort reused, without loading the cohort.
 */
export interface VersionParts {
  members: number;
  latestJoin: Date | null;
  attempts: number;
  latestCheck: Date | null;
  latestProfileChange: Date | null;
}

export function versionOf(v: VersionParts): string {
  return [v.members, v.latestJoin?.getTime() ?? 0, v.attempts, v.latestCheck?.getTime() ?? 0, v.latestProfileChange?.getTime() ?? 0].map((n) => n.toString(36)).join("-");
}
