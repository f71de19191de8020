// The audit log as an admin reads it (/admin/audit): instructors' cohort actions are there, with
// the cohort named; filters by kind and cohort; pages of 50; nobody but an admin can read it.
import { beforeAll, describe, expect, it } from "vitest";
import { databaseSkipReason, testProvider, useTestDatabase } from "../../support/test-database";

const skipReason = databaseSkipReason();

describe.skipIf(skipReason)(`the audit log on ${testProvider()}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let auditLib: typeof import("@/lib/audit");
  let cohorts: typeof import("@/lib/cohorts");
  let errors: typeof import("@/lib/errors");
  type Actor = { id: string; email: string; name: string; role: "learner" | "instructor" | "admin" };
  let admin: Actor;
  let instructor: Actor;
  let learner: Actor;
  let cohortId: string;

  beforeAll(async () => {
    await useTestDatabase();
    auditLib = await import("@/lib/audit");
    cohorts = await import("@/lib/cohorts");
    errors = await import("@/lib/errors");
    const { createUser } = await import("@/lib/users");
    const make = async (email: string, role: Actor["role"]): Promise<Actor> => {
      const u = await createUser({ email, name: email.split("@")[0]!, password: "correct horse battery", role });
      return { id: u.id, email: u.email, name: u.name, role };
    };
    admin = await make("audit-admin@example.com", "admin");
    instructor = await make("audit-teacher@example.com", "instructor");
    learner = await make("audit-learner@example.com", "learner");
    const cohort = await cohorts.createCohort(instructor, { name: "Audited cohort" });
    cohortId = cohort.id;
    await cohorts.joinCohort(learner.id, cohort.joinCode);
    await cohorts.createCohort(instructor, { name: "Another cohort" });
  });

  it("refuses everyone but an admin", async () => {
    await expect(auditLib.listAuditLog(learner)).rejects.toBeInstanceOf(errors.ForbiddenError);
    await expect(auditLib.listAuditLog(instructor)).rejects.toBeInstanceOf(errors.ForbiddenError);
  });

  it("shows instructors' cohort actions to an admin, newest first, with who, whom and the cohort's name", async () => {
    const log = await auditLib.listAuditLog(admin, { kind: "cohort" });
    expect(log.entries.map((e) => e.action)).toEqual(["cohort.create", "cohort.join", "cohort.create"]);
    const join = log.entries[1]!;
    expect(join).toMatchObject({ actor: learner.email, cohort: { id: cohortId, name: "Audited cohort" } });
    expect(log.entries.every((e) => e.action.startsWith("cohort."))).toBe(true);
  });

  it("filters by cohort, and keeps a deleted cohort's entries", async () => {
    const only = await auditLib.listAuditLog(admin, { cohortId });
    expect(only.entries.map((e) => e.action).sort()).toEqual(["cohort.create", "cohort.join"]);
    await cohorts.deleteCohort(instructor, cohortId);
    const after = await auditLib.listAuditLog(admin, { cohortId });
    expect(after.entries.map((e) => e.action)).toContain("cohort.delete");
    expect(after.entries.every((e) => e.cohort?.id === cohortId && e.cohort.name === null)).toBe(true);
  });

  it("pages by 50 and clamps a page past the end", async () => {
    for (let i = 0; i < 60; i++) await auditLib.audit({ actorId: admin.id, action: "user.role.set", subjectId: learner.id, details: { n: i } });
    const first = await auditLib.listAuditLog(admin, { kind: "user" });
    expect(first.total).toBe(60);
    expect(first.pages).toBe(2);
    expect(first.entries).toHaveLength(auditLib.AUDIT_PAGE_SIZE);
    const last = await auditLib.listAuditLog(admin, { kind: "user", page: 99 });
    expect(last.page).toBe(2);
    expect(last.entries).toHaveLength(10);
    expect(last.entries.at(-1)!.details).toEqual({ n: 0 });
  });
});
