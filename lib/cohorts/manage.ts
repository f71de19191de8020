// What an instructor (or an admin) does to a cohort. Each function checks the viewer itself and
// writes the audit log, so a page, a route or the API cannot forget either.
import { z } from "zod";
import { audit } from "../audit";
import { db } from "../db/client";
import { isUniqueViolation } from "../db/unique-violation";
import { NotFoundError } from "../errors";
import { assertInstructor, loadCohortFor, summarize } from "./access";
import { CohortInputError } from "./errors";
import { newJoinCode } from "./join-code";
import type { CohortSummary, Viewer } from "./types";

export const cohortNameSchema = z.string().trim().min(1, "Give the cohort a name.").max(100, "Use at most 100 characters for the cohort's name.");

function parseName(name: unknown): string {
  const parsed = cohortNameSchema.safeParse(name);
  if (!parsed.success) throw new CohortInputError(parsed.error.issues[0]?.message ?? "Give the cohort a name of 1 to 100 characters.");
  return parsed.data;
}

/** Retries on the (rare, 1 in 2^40 per pair) collision with an existing code. */
async function withFreshJoinCode<T>(write: (code: string) => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await write(newJoinCode());
    } catch (err) {
      if (!isUniqueViolation(err) || tries >= 5) throw err;
    }
  }
}

/** Admins: every cohort; instructors: their own. Newest first. */
export async function listCohorts(viewer: Viewer): Promise<CohortSummary[]> {
  assertInstructor(viewer);
  const cohorts = await db.cohort.findMany({ where: viewer.role === "admin" ? {} : { ownerId: viewer.id }, orderBy: [{ createdAt: "desc" }, { id: "asc" }] });
  return Promise.all(cohorts.map(summarize));
}

export async function createCohort(viewer: Viewer, input: { name: string }): Promise<CohortSummary> {
  assertInstructor(viewer);
  const name = parseName(input?.name);
  const cohort = await withFreshJoinCode((joinCode) => db.cohort.create({ data: { name, joinCode, ownerId: viewer.id } }));
  await audit({ actorId: viewer.id, action: "cohort.create", cohortId: cohort.id, details: { name } });
  return summarize(cohort);
}

export async function renameCohort(viewer: Viewer, cohortId: string, input: { name: string }): Promise<CohortSummary> {
  const cohort = await loadCohortFor(viewer, cohortId);
  const name = parseName(input?.name);
  const updated = await db.cohort.update({ where: { id: cohort.id }, data: { name } });
  await audit({ actorId: viewer.id, action: "cohort.rename", cohortId: cohort.id, details: { from: cohort.name, to: name } });
  return summarize(updated);
}

/** A new code; the old one stops working at once (members stay members). */
export async function regenerateJoinCode(viewer: Viewer, cohortId: string): Promise<string> {
  const cohort = await loadCohortFor(viewer, cohortId);
  const updated = await withFreshJoinCode((joinCode) => db.cohort.update({ where: { id: cohort.id }, data: { joinCode } }));
  await audit({ actorId: viewer.id, action: "cohort.join-code.regenerate", cohortId: cohort.id });
  return updated.joinCode;
}

/** Deletes the cohort and its memberships; the learners' own progress and attempts stay theirs. */
export async function deleteCohort(viewer: Viewer, cohortId: string): Promise<void> {
  const cohort = await loadCohortFor(viewer, cohortId);
  const members = await db.membership.count({ where: { cohortId: cohort.id } });
  await db.cohort.delete({ where: { id: cohort.id } });
  await audit({ actorId: viewer.id, action: "cohort.delete", cohortId: cohort.id, details: { name: cohort.name, members } });
}

export async function removeMember(viewer: Viewer, cohortId: string, userId: string): Promise<void> {
  const cohort = await loadCohortFor(viewer, cohortId);
  if (typeof userId !== "string" || userId.length > 64) throw new NotFoundError("That learner");
  const removed = await db.membership.deleteMany({ where: { cohortId: cohort.id, userId } });
  if (removed.count === 0) throw new NotFoundError("That learner");
  await audit({ actorId: viewer.id, action: "cohort.member.remove", cohortId: cohort.id, subjectId: userId });
}
