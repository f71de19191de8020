// An instructor's re-check: each chosen learner's attempted steps 1–5 graded again through the
// same grading service, recorded with source "recheck", a bounded number of learners at a time.
// Step 6 is never re-run (its probe sends real traffic into the learner's account), and a step
// the learner has not started is left alone (a re-check would become their "first attempt" and
// distort time to complete).
import { audit } from "../audit";
import { db } from "../db/client";
import { env } from "../env";
import { NotFoundError } from "../errors";
import { grade } from "../grading";
import type { GradeDeps } from "../grading/types";
import { COHORT_LAB, loadCohortFor } from "./access";
import type { RecheckEvent, RecheckStepResult, RecheckSummary, Viewer } from "./types";

/** The last step a re-check may run: step 6's probe sends real traffic. */
export const LAST_RECHECKABLE_STEP = 5;
/** A learner pressing Check at the same moment: wait for their check rather than report "running". */
const LOCK_WAIT_MS = 10_000;
/** Grading errors that mean the learner's account cannot be reached at all: their other steps are not tried. */
const ACCOUNT_ERRORS = new Set(["not-connected", "connection-failed"]);

export interface RecheckOptions {
  signal?: AbortSignal;
  /** Learners graded at once; env RECHECK_CONCURRENCY (default 4). */
  concurrency?: number;
  /** For tests: the grading service's dependencies (e.g. how a connection is resolved). */
  deps?: Partial<GradeDeps>;
}

interface Target {
  userId: string;
  name: string;
  steps: number[];
}

async function chooseLearners(cohortId: string, userIds: string[] | undefined): Promise<Target[]> {
  const members = await db.membership.findMany({ where: { cohortId }, select: { userId: true, user: { select: { name: true } } }, orderBy: { joinedAt: "asc" } });
  let chosen = members;
  if (userIds !== undefined) {
    const wanted = new Set(userIds);
    const memberIds = new Set(members.map((m) => m.userId));
    // Refused before anything runs: a re-check never touches someone outside the cohort.
    for (const id of wanted) if (!memberIds.has(id)) throw new NotFoundError("That learner");
    chosen = members.filter((m) => wanted.has(m.userId));
  }
  const progress = await db.stepProgress.findMany({
    where: { lab: COHORT_LAB, step: { gte: 1, lte: LAST_RECHECKABLE_STEP }, user: { memberships: { some: { cohortId } } } },
    select: { userId: true, step: true },
  });
  const stepsByUser = new Map<string, number[]>();
  for (const p of progress) stepsByUser.set(p.userId, [...(stepsByUser.get(p.userId) ?? []), p.step]);
  return chosen.map((m) => ({ userId: m.userId, name: m.user.name, steps: (stepsByUser.get(m.userId) ?? []).sort((a, b) => a - b) }));
}

async function recheckOne(t: Target, o: RecheckOptions): Promise<RecheckStepResult[]> {
  const results: RecheckStepResult[] = [];
  let accountError: { code: string; message: string } | null = null;
  for (const step of t.steps) {
    if (accountError) {
      results.push({ step, status: "not-run", error: accountError });
      continue;
    }
    if (o.signal?.aborted) {
      results.push({ step, status: "not-run", error: { code: "stopped", message: "The re-check was stopped before this step." } });
      continue;
    }
    const out = await grade(
      { userId: t.userId, lab: COHORT_LAB, step, source: "recheck", ...(o.signal ? { signal: o.signal } : {}) },
      { lockWaitMs: LOCK_WAIT_MS, ...o.deps, skipRateLimit: true },
    );
    if (!out.ok) {
      const error = { code: out.error.code, message: out.error.message };
      if (ACCOUNT_ERRORS.has(out.error.code)) accountError = error;
      results.push({ step, status: "not-run", error });
    } else {
      results.push({ step, status: out.attempt?.status ?? out.report.steps[0]?.status ?? "error" });
    }
  }
  return results;
}

export async function recheckLearners(
  viewer: Viewer,
  cohortId: string,
  input: { userIds?: string[] },
  onEvent: (e: RecheckEvent) => void,
  opts: RecheckOptions = {},
): Promise<RecheckSummary> {
  const cohort = await loadCohortFor(viewer, cohortId);
  const started = Date.now();
  const targets = await chooseLearners(cohort.id, input.userIds === undefined ? undefined : [...new Set(input.userIds)]);
  // A listener that fails (a closed stream) must not stop the re-check others rely on.
  const emit = (e: RecheckEvent) => {
    try {
      onEvent(e);
    } catch {
      /* the listener went away; the run and its audit entry continue */
    }
  };
  emit({ type: "start", total: targets.length });

  const summary: RecheckSummary = { learners: targets.length, checked: 0, passed: 0, failed: 0, errors: 0, skipped: 0, durationMs: 0 };
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let t = targets[next++]; t; t = targets[next++]) {
      const steps = await recheckOne(t, opts);
      let ran = 0;
      for (const s of steps) {
        if (s.status === "not-run") continue;
        ran++;
        summary.checked++;
        if (s.status === "pass") summary.passed++;
        else if (s.status === "fail") summary.failed++;
        else summary.errors++;
      }
      if (ran === 0) summary.skipped++;
      emit({ type: "learner", userId: t.userId, name: t.name, done: ++done, total: targets.length, steps });
    }
  };
  const concurrency = Math.max(1, Math.min(opts.concurrency ?? env.RECHECK_CONCURRENCY, 32));
  await Promise.all(Array.from({ length: Math.min(concurrency, targets.length) }, worker));

  summary.durationMs = Date.now() - started;
  const { durationMs: _d, ...counts } = summary;
  await audit({ actorId: viewer.id, action: "cohort.recheck", cohortId: cohort.id, details: { ...counts, ...(input.userIds ? { chosen: true } : {}), ...(opts.signal?.aborted ? { stopped: true } : {}) } });
  emit({ type: "done", summary });
  return summary;
}
