// Who may do what to a cohort, on a real database: every function of lib/cohorts called by each
// kind of user — a learner (even one in the cohort), the instructor of another cohort, the
// instructor of this cohort, an admin — asserting who gets what, and that a refused call changes
// nothing. (Anonymous callers never reach lib/cohorts: the routes answer 401 first, tested in
// test/unit/cohorts/http.test.ts.)
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { databaseSkipReason, testProvider, useTestDatabase } from "../../support/test-database";

const skipReason = databaseSkipReason();
const LAB = "order-system";

type Kind = "learner" | "otherInstructor" | "owner" | "admin";
const KINDS: Kind[] = ["learner", "otherInstructor", "owner", "admin"];

describe.skipIf(skipReason)(`cohort access on ${testProvider()}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let db: (typeof import("@/lib/db/client"))["db"];
  let cohorts: typeof import("@/lib/cohorts");
  let errors: typeof import("@/lib/errors");
  const viewers = {} as Record<Kind, { id: string; role: "learner" | "instructor" | "admin" }>;
  let memberId: string;
  let outsiderId: string;
  let cohortId: string;
  let otherCohortId: string;
  let n = 0;

  async function makeUser(role: "learner" | "instructor" | "admin", name = `${role} ${++n}`) {
    const u = await db.user.create({ data: { email: `${role}-${n}-${Math.random().toString(36).slice(2, 7)}@example.com`, name, passwordHash: "x", role } });
    return { id: u.id, role };
  }

  /** Everything a refused call could have changed. */
  async function snapshot() {
    const [c, m, a, p, at, audit] = await Promise.all([
      db.cohort.findMany({ orderBy: { id: "asc" } }),
      db.membership.findMany({ orderBy: [{ cohortId: "asc" }, { userId: "asc" }] }),
      db.attempt.count(),
      db.stepProgress.findMany({ orderBy: [{ userId: "asc" }, { step: "asc" }] }),
      db.checkLock.count(),
      db.auditLog.count(),
    ]);
    return { c, m, a, p, at, audit };
  }

  beforeAll(async () => {
    await useTestDatabase();
    db = (await import("@/lib/db/client")).db;
    cohorts = await import("@/lib/cohorts");
    errors = await import("@/lib/errors");
    viewers.owner = await makeUser("instructor", "Owner Instructor");
    viewers.otherInstructor = await makeUser("instructor", "Other Instructor");
    viewers.admin = await makeUser("admin", "Admin");
    viewers.learner = await makeUser("learner", "Curious Learner");
  });

  // A fresh cohort per test, with the learner viewer as a member (a member may still not see it).
  beforeEach(async () => {
    cohortId = (await cohorts.createCohort(viewers.owner, { name: "Spring cohort" })).id;
    otherCohortId = (await cohorts.createCohort(viewers.otherInstructor, { name: "Other cohort" })).id;
    const member = await makeUser("learner", "Member Learner");
    memberId = member.id;
    outsiderId = (await makeUser("learner", "Outsider")).id;
    for (const userId of [memberId, viewers.learner.id]) await db.membership.create({ data: { cohortId, userId } });
    const now = new Date();
    await db.stepProgress.create({ data: { userId: memberId, lab: LAB, step: 1, status: "pass", attempts: 1, firstAttemptAt: now, firstPassedAt: now, lastCheckedAt: now, lastPassedAt: now } });
    await db.attempt.create({ data: { userId: memberId, lab: LAB, step: 1, status: "pass", results: "[]", durationMs: 5 } });
  });

  /** Runs `call` as each kind; the learner gets Forbidden, another instructor NotFound, owner and admin succeed. */
  async function expectOwnerAndAdminOnly<T>(call: (viewer: (typeof viewers)[Kind]) => Promise<T>, check?: (result: T, kind: Kind) => void | Promise<void>) {
    for (const kind of ["learner", "otherInstructor"] as const) {
      const before = await snapshot();
      const err = await call(viewers[kind]).then(() => null, (e: unknown) => e);
      if (kind === "learner") expect(err, kind).toBeInstanceOf(errors.ForbiddenError);
      else {
        expect(err, kind).toBeInstanceOf(errors.NotFoundError);
        // Never "forbidden": the cohort's existence is not revealed.
        expect((err as Error).message).toBe("That cohort was not found.");
      }
      expect(await snapshot(), `${kind}: a refused call changes nothing`).toEqual(before);
    }
    for (const kind of ["owner", "admin"] as const) {
      const result = await call(viewers[kind]);
      await check?.(result, kind);
    }
  }

  it("getCohortForViewer: the owner and an admin see the summary", async () => {
    await expectOwnerAndAdminOnly((v) => cohorts.getCohortForViewer(v, cohortId), (s) => {
      expect(s).toMatchObject({ id: cohortId, name: "Spring cohort", learners: 2, completed: 0, owner: { id: viewers.owner.id, name: "Owner Instructor" } });
      expect(s.joinCode).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    });
  });

  it("an unknown or malformed cohort id is not found, even for an admin", async () => {
    for (const id of ["nope", "", "x".repeat(500)]) {
      await expect(cohorts.getCohortForViewer(viewers.admin, id)).rejects.toBeInstanceOf(errors.NotFoundError);
    }
  });

  it("listCohorts: an admin sees every cohort, an instructor their own, a learner none", async () => {
    await expect(cohorts.listCohorts(viewers.learner)).rejects.toBeInstanceOf(errors.ForbiddenError);
    const own = await cohorts.listCohorts(viewers.owner);
    expect(own.map((c) => c.id)).toContain(cohortId);
    expect(own.every((c) => c.owner.id === viewers.owner.id)).toBe(true);
    const others = await cohorts.listCohorts(viewers.otherInstructor);
    expect(others.map((c) => c.id)).toContain(otherCohortId);
    expect(others.map((c) => c.id)).not.toContain(cohortId);
    const all = (await cohorts.listCohorts(viewers.admin)).map((c) => c.id);
    expect(all).toEqual(expect.arrayContaining([cohortId, otherCohortId]));
    expect(all).toHaveLength(await db.cohort.count());
  });

  it("createCohort: instructors and admins, with a validated name and an audit entry; never a learner", async () => {
    const before = await snapshot();
    await expect(cohorts.createCohort(viewers.learner, { name: "Mine" })).rejects.toBeInstanceOf(errors.ForbiddenError);
    for (const name of ["", "   ", "x".repeat(101)]) {
      await expect(cohorts.createCohort(viewers.owner, { name })).rejects.toThrow(/name|100 characters/);
    }
    expect(await snapshot()).toEqual(before);
    for (const kind of ["otherInstructor", "admin"] as const) {
      const c = await cohorts.createCohort(viewers[kind], { name: "  Autumn  " });
      expect(c).toMatchObject({ name: "Autumn", learners: 0, owner: { id: viewers[kind].id } });
      expect(await db.auditLog.findFirst({ where: { action: "cohort.create", cohortId: c.id, actorId: viewers[kind].id } })).not.toBeNull();
    }
  });

  it("renameCohort and regenerateJoinCode: owner and admin only, audited", async () => {
    await expectOwnerAndAdminOnly((v) => cohorts.renameCohort(v, cohortId, { name: `Renamed by ${v.role}` }), (s, kind) => {
      expect(s.name).toBe(`Renamed by ${viewers[kind].role}`);
    });
    const { joinCode: old } = await db.cohort.findUniqueOrThrow({ where: { id: cohortId } });
    await expectOwnerAndAdminOnly((v) => cohorts.regenerateJoinCode(v, cohortId), async (code) => {
      expect(code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
      expect((await db.cohort.findUniqueOrThrow({ where: { id: cohortId } })).joinCode).toBe(code);
    });
    expect((await db.cohort.findUniqueOrThrow({ where: { id: cohortId } })).joinCode).not.toBe(old);
    await expect(cohorts.joinCohort(outsiderId, old)).rejects.toBeInstanceOf(cohorts.UnknownJoinCodeError);
    expect(await db.auditLog.count({ where: { cohortId, action: { in: ["cohort.rename", "cohort.join-code.regenerate"] } } })).toBe(4);
  });

  it("removeMember: owner and admin only; a non-member is not found", async () => {
    const second = (await makeUser("learner")).id;
    await db.membership.create({ data: { cohortId, userId: second } });
    const targets = [memberId, second];
    await expectOwnerAndAdminOnly((v) => cohorts.removeMember(v, cohortId, v.role === "admin" ? targets[1]! : targets[0]!));
    expect(await db.membership.count({ where: { cohortId, userId: { in: targets } } })).toBe(0);
    // Their own progress stays theirs.
    expect(await db.stepProgress.count({ where: { userId: memberId } })).toBe(1);
    await expect(cohorts.removeMember(viewers.owner, cohortId, outsiderId)).rejects.toBeInstanceOf(errors.NotFoundError);
    expect(await db.auditLog.count({ where: { cohortId, action: "cohort.member.remove" } })).toBe(2);
  });

  it("deleteCohort: owner and admin only, keeps the learners' progress, audited", async () => {
    const second = (await cohorts.createCohort(viewers.owner, { name: "Second" })).id;
    const ids = [cohortId, second];
    let i = 0;
    await expectOwnerAndAdminOnly((v) => cohorts.deleteCohort(v, v.role === "learner" || v.id === viewers.otherInstructor.id ? cohortId : ids[i++]!));
    expect(await db.cohort.count({ where: { id: { in: ids } } })).toBe(0);
    expect(await db.membership.count({ where: { cohortId } })).toBe(0);
    expect(await db.stepProgress.count({ where: { userId: memberId } })).toBe(1);
    expect(await db.auditLog.count({ where: { cohortId: { in: ids }, action: "cohort.delete" } })).toBe(2);
  });

  it("getCohortProgress and cohortVersion: owner and admin only", async () => {
    await expectOwnerAndAdminOnly((v) => cohorts.getCohortProgress(v, cohortId), (page) => {
      expect(page.total).toBe(2);
      expect(page.rows.map((r) => r.userId).sort()).toEqual([memberId, viewers.learner.id].sort());
    });
    await expectOwnerAndAdminOnly((v) => cohorts.cohortVersion(v, cohortId), (version) => expect(version).toMatch(/\w/));
  });

  it("cohortCsv: owner and admin only; each export audited", async () => {
    await expectOwnerAndAdminOnly((v) => cohorts.cohortCsv(v, cohortId), (csv) => {
      expect(csv.body.split("\r\n").filter(Boolean)).toHaveLength(3);
    });
    expect(await db.auditLog.count({ where: { cohortId, action: "cohort.export" } })).toBe(2);
  });

  it("getLearnerDrillDown: owner and admin only, members only — a learner never sees another's attempts", async () => {
    await expectOwnerAndAdminOnly((v) => cohorts.getLearnerDrillDown(v, cohortId, memberId), (d) => {
      expect(d.learner.id).toBe(memberId);
      expect(d.steps[0]?.attempts).toHaveLength(1);
    });
    // A learner cannot look at themselves this way either (their own page shows their history).
    await expect(cohorts.getLearnerDrillDown(viewers.learner, cohortId, viewers.learner.id)).rejects.toBeInstanceOf(errors.ForbiddenError);
    // Someone outside the cohort is not found, even for an admin, even if they exist.
    await expect(cohorts.getLearnerDrillDown(viewers.admin, cohortId, outsiderId)).rejects.toBeInstanceOf(errors.NotFoundError);
    await expect(cohorts.getLearnerDrillDown(viewers.otherInstructor, otherCohortId, memberId)).rejects.toBeInstanceOf(errors.NotFoundError);
  });

  it("recheckLearners: owner and admin only; a learner outside the cohort is refused before anything runs", async () => {
    const deps = { resolveConnection: () => Promise.resolve(null) };
    const events: string[] = [];
    await expectOwnerAndAdminOnly(
      (v) => cohorts.recheckLearners(v, cohortId, {}, (e) => events.push(`${v.role}:${e.type}`), { deps }),
      (summary) => expect(summary).toMatchObject({ learners: 2, checked: 0, skipped: 2 }),
    );
    // Refused callers got no events at all.
    expect(events.filter((e) => e.startsWith("learner:"))).toEqual([]);
    expect(events.filter((e) => e.endsWith(":done"))).toHaveLength(2);

    const before = await snapshot();
    const seen: unknown[] = [];
    await expect(cohorts.recheckLearners(viewers.owner, cohortId, { userIds: [memberId, outsiderId] }, (e) => seen.push(e), { deps })).rejects.toBeInstanceOf(errors.NotFoundError);
    expect(seen).toEqual([]);
    expect(await snapshot()).toEqual(before);
    expect(await db.auditLog.count({ where: { cohortId, action: "cohort.recheck" } })).toBe(2);
  });

  it("joinCohort: anyone with the code joins once; a wrong code changes nothing", async () => {
    const { joinCode } = await db.cohort.findUniqueOrThrow({ where: { id: cohortId } });
    const before = await snapshot();
    for (const bad of ["", "ZZZZZZZZ", "not a code at all", joinCode.slice(0, 7)]) {
      await expect(cohorts.joinCohort(outsiderId, bad)).rejects.toThrow(/No cohort has that join code/);
    }
    expect(await snapshot()).toEqual(before);
    const typed = ` ${joinCode.slice(0, 4).toLowerCase()}-${joinCode.slice(4)} `;
    expect(await cohorts.joinCohort(outsiderId, typed)).toEqual({ cohortId, name: "Spring cohort", alreadyMember: false });
    expect(await cohorts.joinCohort(outsiderId, joinCode)).toEqual({ cohortId, name: "Spring cohort", alreadyMember: true });
    expect(await db.membership.count({ where: { cohortId, userId: outsiderId } })).toBe(1);
    expect(await db.auditLog.count({ where: { cohortId, action: "cohort.join", actorId: outsiderId } })).toBe(1);
  });

  it("joinCohort: guessing codes is rate-limited per user", async () => {
    const guesser = (await makeUser("learner")).id;
    const { JOIN_ATTEMPTS_PER_MINUTE } = await import("@/lib/cohorts/membership");
    for (let i = 0; i < JOIN_ATTEMPTS_PER_MINUTE; i++) await expect(cohorts.joinCohort(guesser, "ZZZZZZZZ")).rejects.toBeInstanceOf(cohorts.UnknownJoinCodeError);
    const { joinCode } = await db.cohort.findUniqueOrThrow({ where: { id: cohortId } });
    // Even the right code waits now: the limit does not depend on guessing right.
    const err = await cohorts.joinCohort(guesser, joinCode).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(cohorts.TooManyJoinAttemptsError);
    expect((err as { status: number }).status).toBe(429);
    expect(await db.membership.count({ where: { userId: guesser } })).toBe(0);
  });

  it("listMemberships and leaveCohort: a user sees and leaves only their own memberships", async () => {
    expect((await cohorts.listMemberships(memberId)).map((m) => m.cohortId)).toEqual([cohortId]);
    expect(await cohorts.listMemberships(outsiderId)).toEqual([]);
    const before = await snapshot();
    // The outsider cannot "leave" (and so remove) someone else's membership: there is none of theirs.
    await expect(cohorts.leaveCohort(outsiderId, cohortId)).rejects.toBeInstanceOf(errors.NotFoundError);
    expect(await snapshot()).toEqual(before);
    await cohorts.leaveCohort(memberId, cohortId);
    expect(await cohorts.listMemberships(memberId)).toEqual([]);
    expect(await db.membership.count({ where: { cohortId, userId: viewers.learner.id } })).toBe(1);
    expect(await db.stepProgress.count({ where: { userId: memberId } })).toBe(1);
  });

  it("a demoted instructor loses access to the cohorts they still own", async () => {
    await db.user.update({ where: { id: viewers.owner.id }, data: { role: "learner" } });
    try {
      await expect(cohorts.getCohortForViewer({ id: viewers.owner.id, role: "learner" }, cohortId)).rejects.toBeInstanceOf(errors.ForbiddenError);
    } finally {
      await db.user.update({ where: { id: viewers.owner.id }, data: { role: "instructor" } });
    }
  });

  it("keeps each kind's view of the dashboard distinct (summary table)", async () => {
    const outcome = async (kind: Kind) =>
      cohorts.getCohortProgress(viewers[kind], cohortId).then(
        (p) => `rows:${p.rows.length}`,
        (e: unknown) => (e as Error).constructor.name,
      );
    const table = Object.fromEntries(await Promise.all(KINDS.map(async (k) => [k, await outcome(k)] as const)));
    expect(table).toEqual({ learner: "ForbiddenError", otherInstructor: "NotFoundError", owner: "rows:2", admin: "rows:2" });
  });
});
