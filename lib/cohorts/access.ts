// Who may see which cohort: the one check every cohort page, route, API and action goes through.
// A learner is refused outright; an instructor sees only cohorts they own, and anyone else's is
// "not found" (never "forbidden": its existence is not revealed); an admin sees every cohort.
import type { Cohort } from "@prisma/client";
import { roleAtLeast } from "../auth/roles";
import { DEFAULT_LAB, STEP_COUNT } from "../content/lab";
import { db } from "../db/client";
import { ForbiddenError, NotFoundError } from "../errors";
import type { CohortSummary, Viewer } from "./types";

/** The only lab the dashboard shows (the site serves one). */
export const COHORT_LAB = DEFAULT_LAB;

export function assertInstructor(viewer: Viewer | null | undefined): asserts viewer is Viewer {
  if (!viewer || !roleAtLeast(viewer.role, "instructor")) throw new ForbiddenError("Only instructors and admins can manage cohorts.");
}

/** The cohort row if this viewer may manage it; NotFoundError otherwise (also for a malformed id). */
export async function loadCohortFor(viewer: Viewer, cohortId: string): Promise<Cohort> {
  assertInstructor(viewer);
  if (typeof cohortId !== "string" || cohortId.length === 0 || cohortId.length > 64) throw new NotFoundError("That cohort");
  const cohort = await db.cohort.findUnique({ where: { id: cohortId } });
  if (!cohort || (viewer.role !== "admin" && cohort.ownerId !== viewer.id)) throw new NotFoundError("That cohort");
  return cohort;
}

/** Members of the cohort whose latest check passed on every step of the lab. */
export async function countCompleted(cohortId: string): Promise<number> {
  // Raw, like progress.ts's reads: one portable join, counted in the database.
  const rows = await db.$queryRaw<{ n: number | bigint }[]>`
    SELECT COUNT(*) AS "n" FROM (
      SELECT sp."userId" FROM "StepProgress" sp JOIN "Membership" m ON m."userId" = sp."userId"
      WHERE m."cohortId" = ${cohortId} AND sp."lab" = ${COHORT_LAB} AND sp."status" = 'pass' AND sp."step" BETWEEN 1 AND ${STEP_COUNT}
      GROUP BY sp."userId" HAVING COUNT(*) = ${STEP_COUNT}
    ) done`;
  return Number(rows[0]?.n ?? 0);
}

export async function summarize(cohort: Cohort): Promise<CohortSummary> {
  const [owner, learners, completed] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { id: cohort.ownerId }, select: { id: true, name: true, email: true } }),
    db.membership.count({ where: { cohortId: cohort.id } }),
    countCompleted(cohort.id),
  ]);
  return { id: cohort.id, name: cohort.name, joinCode: cohort.joinCode, owner, learners, completed, createdAt: cohort.createdAt.toISOString() };
}

export async function getCohortForViewer(viewer: Viewer, cohortId: string): Promise<CohortSummary> {
  return summarize(await loadCohortFor(viewer, cohortId));
}
