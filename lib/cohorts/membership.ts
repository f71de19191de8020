// The learner's side of a cohort: join with a code, see and leave one's cohorts.
import { audit } from "../audit";
import { db } from "../db/client";
import { isUniqueViolation } from "../db/unique-violation";
import { NotFoundError } from "../errors";
import { takeRateLimitToken } from "../rate-limit";
import { TooManyJoinAttemptsError, UnknownJoinCodeError } from "./errors";
import { normalizeJoinCode } from "./join-code";
import type { CohortMembershipView } from "./types";

/** Join codes tried per user per minute: plenty for typos, far too few to guess 2^40 codes. */
export const JOIN_ATTEMPTS_PER_MINUTE = 20;

export async function joinCohort(userId: string, code: string): Promise<{ cohortId: string; name: string; alreadyMember: boolean }> {
  const limit = await takeRateLimitToken(`cohort-join:${userId}`, { limit: JOIN_ATTEMPTS_PER_MINUTE });
  if (!limit.allowed) throw new TooManyJoinAttemptsError(limit.retryAfter);
  const joinCode = normalizeJoinCode(code);
  const cohort = joinCode ? await db.cohort.findUnique({ where: { joinCode }, select: { id: true, name: true } }) : null;
  if (!cohort) throw new UnknownJoinCodeError();
  try {
    await db.membership.create({ data: { cohortId: cohort.id, userId } });
  } catch (err) {
    // Joining twice (a second click, an old link) is not an error: they are simply a member.
    if (isUniqueViolation(err)) return { cohortId: cohort.id, name: cohort.name, alreadyMember: true };
    throw err;
  }
  await audit({ actorId: userId, action: "cohort.join", cohortId: cohort.id, subjectId: userId });
  return { cohortId: cohort.id, name: cohort.name, alreadyMember: false };
}

export async function listMemberships(userId: string): Promise<CohortMembershipView[]> {
  const rows = await db.membership.findMany({ where: { userId }, include: { cohort: { select: { name: true } } }, orderBy: { joinedAt: "desc" } });
  return rows.map((m) => ({ cohortId: m.cohortId, name: m.cohort.name, joinedAt: m.joinedAt.toISOString() }));
}

export async function leaveCohort(userId: string, cohortId: string): Promise<void> {
  if (typeof cohortId !== "string" || cohortId.length > 64) throw new NotFoundError("That cohort");
  const left = await db.membership.deleteMany({ where: { userId, cohortId } });
  if (left.count === 0) throw new NotFoundError("That cohort");
  await audit({ actorId: userId, action: "cohort.leave", cohortId, subjectId: userId });
}
