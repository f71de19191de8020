// Reads a cohort's members and their StepProgress (never Attempt), and keeps the last result per
// cohort in memory, reused only while the cohort's version — read from the database on every call
// — is unchanged. So it is never stale, on one instance or many (each keeps its own copy, which
// is safe to lose), and an open dashboard polling a quiet cohort costs one aggregate query.
//
// The reads are raw SQL because they measured about twice as cheap as the equivalent findMany
// calls with a relation filter (34 ms against 73 ms of CPU for 1,000 learners × 6 steps), and
// they are the whole cost of the page. Plain joins and quoted identifiers: the same text runs on
// SQLite and PostgreSQL.
import { db } from "../db/client";
import { COHORT_LAB } from "./access";
import { buildLearners, versionOf, type LearnerProgress } from "./matrix";

interface MemberRow {
  userId: string;
  name: string;
  email: string;
  joinedAt: Date | string;
  updatedAt: Date | string;
}
interface ProgressRow {
  userId: string;
  step: number | bigint;
  status: string;
  attempts: number | bigint;
  firstAttemptAt: Date | string;
  firstPassedAt: Date | string | null;
  lastCheckedAt: Date | string;
}
interface VersionRow {
  members: number | bigint | null;
  latestJoin: Date | string | number | null;
  attempts: number | bigint | string | null;
  latestCheck: Date | string | number | null;
  latestProfileChange: Date | string | number | null;
}

// Drivers differ: PostgreSQL returns timestamps as Dates and COUNT/SUM as bigint; SQLite returns
// MAX() of a DateTime column as the stored text.
const asDate = (v: Date | string | number) => (v instanceof Date ? v : new Date(v));
const maybeDate = (v: Date | string | number | null) => (v === null ? null : asDate(v));

/** The cohort's version (matrix.ts versionOf) from one aggregate query. */
export async function readVersion(cohortId: string): Promise<string> {
  const [row] = await db.$queryRaw<VersionRow[]>`
    SELECT
      (SELECT COUNT(*) FROM "Membership" m WHERE m."cohortId" = ${cohortId}) AS "members",
      (SELECT MAX(m."joinedAt") FROM "Membership" m WHERE m."cohortId" = ${cohortId}) AS "latestJoin",
      (SELECT SUM(sp."attempts") FROM "StepProgress" sp JOIN "Membership" m ON m."userId" = sp."userId"
        WHERE m."cohortId" = ${cohortId} AND sp."lab" = ${COHORT_LAB}) AS "attempts",
      (SELECT MAX(sp."lastCheckedAt") FROM "StepProgress" sp JOIN "Membership" m ON m."userId" = sp."userId"
        WHERE m."cohortId" = ${cohortId} AND sp."lab" = ${COHORT_LAB}) AS "latestCheck",
      (SELECT MAX(u."updatedAt") FROM "User" u JOIN "Membership" m ON m."userId" = u."id" WHERE m."cohortId" = ${cohortId}) AS "latestProfileChange"`;
  return versionOf({
    members: Number(row?.members ?? 0),
    latestJoin: maybeDate(row?.latestJoin ?? null),
    attempts: Number(row?.attempts ?? 0),
    latestCheck: maybeDate(row?.latestCheck ?? null),
    latestProfileChange: maybeDate(row?.latestProfileChange ?? null),
  });
}

async function readLearners(cohortId: string, stepCount: number): Promise<{ learners: LearnerProgress[]; version: string }> {
  const [memberRows, progressRows] = await Promise.all([
    db.$queryRaw<MemberRow[]>`
      SELECT m."userId", u."name", u."email", m."joinedAt", u."updatedAt"
      FROM "Membership" m JOIN "User" u ON u."id" = m."userId"
      WHERE m."cohortId" = ${cohortId}`,
    db.$queryRaw<ProgressRow[]>`
      SELECT sp."userId", sp."step", sp."status", sp."attempts", sp."firstAttemptAt", sp."firstPassedAt", sp."lastCheckedAt"
      FROM "StepProgress" sp JOIN "Membership" m ON m."userId" = sp."userId"
      WHERE m."cohortId" = ${cohortId} AND sp."lab" = ${COHORT_LAB}`,
  ]);
  const members = memberRows.map((m) => ({ userId: m.userId, name: m.name, email: m.email, joinedAt: asDate(m.joinedAt) }));
  const progress = progressRows.map((p) => ({
    userId: p.userId, step: Number(p.step), status: p.status, attempts: Number(p.attempts),
    firstAttemptAt: asDate(p.firstAttemptAt), firstPassedAt: maybeDate(p.firstPassedAt), lastCheckedAt: asDate(p.lastCheckedAt),
  }));
  // The version comes from exactly the rows read, so a cached copy is labelled with what it holds.
  let latestJoin: Date | null = null;
  let latestProfileChange: Date | null = null;
  memberRows.forEach((m, i) => {
    const joined = members[i]!.joinedAt;
    if (!latestJoin || joined > latestJoin) latestJoin = joined;
    const updated = asDate(m.updatedAt);
    if (!latestProfileChange || updated > latestProfileChange) latestProfileChange = updated;
  });
  let attempts = 0;
  let latestCheck: Date | null = null;
  for (const p of progress) {
    attempts += p.attempts;
    if (!latestCheck || p.lastCheckedAt > latestCheck) latestCheck = p.lastCheckedAt;
  }
  const version = versionOf({ members: members.length, latestJoin, attempts, latestCheck, latestProfileChange });
  return { learners: buildLearners(members, progress, stepCount), version };
}

/** Cohorts kept in memory: a few dashboards open at once; each copy is about 1 MB per 1,000 learners. */
const MAX_CACHED_COHORTS = 16;
const cache = new Map<string, { version: string; stepCount: number; learners: LearnerProgress[] }>();

/**
 * Every member with their progress, and its version. The returned array is shared with the
 * cache: callers filter or copy it, never sort or change it in place.
 */
export async function loadCohortLearners(cohortId: string, stepCount: number): Promise<{ learners: readonly LearnerProgress[]; version: string }> {
  const current = await readVersion(cohortId);
  const hit = cache.get(cohortId);
  if (hit && hit.version === current && hit.stepCount === stepCount) {
    cache.delete(cohortId);
    cache.set(cohortId, hit); // most recently used last
    return hit;
  }
  const loaded = await readLearners(cohortId, stepCount);
  cache.delete(cohortId);
  cache.set(cohortId, { ...loaded, stepCount });
  while (cache.size > MAX_CACHED_COHORTS) cache.delete(cache.keys().next().value!);
  return loaded;
}
