// One learner of a cohort, step by step, with their attempts exactly as stored and as they saw
// them. Only that learner's attempts are read (an indexed lookup), never the cohort's.
import { audit } from "../audit";
import { db } from "../db/client";
import { NotFoundError } from "../errors";
import { listAttempts } from "../grading/history";
import { COHORT_LAB, loadCohortFor } from "./access";
import { buildLearners, toMatrixCell } from "./matrix";
import { labSteps } from "./progress";
import type { LearnerDrillDown, Viewer } from "./types";

export const DRILL_DOWN_ATTEMPTS_PER_STEP = 50;

export async function getLearnerDrillDown(viewer: Viewer, cohortId: string, userId: string): Promise<LearnerDrillDown> {
  const cohort = await loadCohortFor(viewer, cohortId);
  if (typeof userId !== "string" || userId.length === 0 || userId.length > 64) throw new NotFoundError("That learner");
  const membership = await db.membership.findUnique({
    where: { cohortId_userId: { cohortId: cohort.id, userId } },
    select: { joinedAt: true, user: { select: { id: true, name: true, email: true } } },
  });
  if (!membership) throw new NotFoundError("That learner");
  const steps = await labSteps();
  const [progress, attempts] = await Promise.all([
    db.stepProgress.findMany({ where: { userId, lab: COHORT_LAB } }),
    Promise.all(steps.map((s) => listAttempts(userId, COHORT_LAB, s.step, DRILL_DOWN_ATTEMPTS_PER_STEP))),
  ]);
  const { user } = membership;
  const [learner] = buildLearners([{ userId, name: user.name, email: user.email, joinedAt: membership.joinedAt }], progress, steps.length);
  // Looking at one learner's work is recorded: an admin can see who looked at whose attempts.
  await audit({ actorId: viewer.id, action: "cohort.view-learner", cohortId: cohort.id, subjectId: userId });
  return {
    cohort: { id: cohort.id, name: cohort.name },
    learner: { id: user.id, name: user.name, email: user.email, joinedAt: membership.joinedAt.toISOString() },
    steps: steps.map((s, i) => ({ step: s.step, title: s.title, progress: toMatrixCell(learner!.cells[i]!), attempts: attempts[i] ?? [] })),
  };
}
