// The account layer on a real database (SQLite file, and PostgreSQL in the data-postgres project).
import { beforeAll, describe, expect, it } from "vitest";
import { databaseSkipReason, testProvider, useTestDatabase } from "../../support/test-database";

const skipReason = databaseSkipReason();

describe.skipIf(skipReason)(`accounts on ${testProvider()}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let users: typeof import("@/lib/users");
  let admin: typeof import("@/lib/admin");
  let errors: typeof import("@/lib/errors");
  let db: (typeof import("@/lib/db/client"))["db"];

  beforeAll(async () => {
    await useTestDatabase();
    users = await import("@/lib/users");
    admin = await import("@/lib/admin");
    errors = await import("@/lib/errors");
    db = (await import("@/lib/db/client")).db;
  });

  async function makeUser(email: string, role: "learner" | "instructor" | "admin" = "learner") {
    const u = await users.createUser({ email, name: email.split("@")[0]!, password: "correct horse battery", role });
    return { id: u.id, email: u.email, name: u.name, role };
  }

  it("stores an argon2id hash, never the password, and normalises the email", async () => {
    const u = await users.createUser({ email: "  Ada@Example.COM ", name: "Ada", password: "correct horse battery" });
    expect(u.email).toBe("ada@example.com");
    const row = await db.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain("correct horse");
    expect(row.role).toBe("learner");
  });

  it("refuses a duplicate sign-up, whatever the case of the email, and changes nothing", async () => {
    await makeUser("dup@example.com");
    const before = await db.user.count();
    await expect(users.createUser({ email: "DUP@example.com", name: "Other", password: "another password 1" })).rejects.toBeInstanceOf(errors.DuplicateEmailError);
    expect(await db.user.count()).toBe(before);
  });

  it("rejects bad input before touching the database", async () => {
    const before = await db.user.count();
    await expect(users.createUser({ email: "not-an-email", name: "X", password: "long enough password" })).rejects.toThrow(/valid email/);
    await expect(users.createUser({ email: "short@example.com", name: "X", password: "short" })).rejects.toThrow(/at least 10/);
    expect(await db.user.count()).toBe(before);
  });

  it("authenticates the right password only", async () => {
    await makeUser("login@example.com");
    expect(await users.authenticate("LOGIN@example.com", "correct horse battery")).toMatchObject({ email: "login@example.com" });
    expect(await users.authenticate("login@example.com", "wrong password!!")).toBeNull();
    expect(await users.authenticate("nobody@example.com", "correct horse battery")).toBeNull();
    expect(await users.authenticate("not an email", "x")).toBeNull();
    expect(await users.authenticate("login@example.com", "x".repeat(10_000))).toBeNull();
  });

  it("changes a password only with the current one, and ends older sessions", async () => {
    const u = await makeUser("change@example.com");
    const before = await db.user.findUniqueOrThrow({ where: { id: u.id } });
    await expect(users.changePassword(u.id, "not the password", "a brand new password")).rejects.toBeInstanceOf(errors.InvalidCredentialsError);
    expect((await db.user.findUniqueOrThrow({ where: { id: u.id } })).passwordHash).toBe(before.passwordHash);

    await users.changePassword(u.id, "correct horse battery", "a brand new password");
    const after = await db.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    expect(await users.authenticate(u.email, "a brand new password")).not.toBeNull();
    expect(await users.authenticate(u.email, "correct horse battery")).toBeNull();
  });

  it("lets only an admin make instructors, and audits it", async () => {
    const boss = await makeUser("boss@example.com", "admin");
    const learner = await makeUser("promote@example.com");
    const instructor = await makeUser("teacher@example.com", "instructor");

    await expect(admin.setUserRole(instructor, learner.id, "instructor")).rejects.toBeInstanceOf(errors.ForbiddenError);
    await expect(admin.setUserRole(boss, learner.id, "admin")).rejects.toBeInstanceOf(errors.ForbiddenError);
    await expect(admin.setUserRole(boss, boss.id, "learner")).rejects.toBeInstanceOf(errors.ForbiddenError);
    expect((await db.user.findUniqueOrThrow({ where: { id: learner.id } })).role).toBe("learner");

    await admin.setUserRole(boss, learner.id, "instructor");
    expect((await db.user.findUniqueOrThrow({ where: { id: learner.id } })).role).toBe("instructor");
    const log = await db.auditLog.findFirstOrThrow({ where: { action: "user.role.set", subjectId: learner.id } });
    expect(log.actorId).toBe(boss.id);
    expect(JSON.parse(log.details)).toEqual({ from: "learner", to: "instructor" });
  });

  it("issues one-time reset links that store only a hash and expire", async () => {
    const boss = await makeUser("resetter@example.com", "admin");
    const u = await makeUser("forgetful@example.com");
    const before = await db.user.findUniqueOrThrow({ where: { id: u.id } });

    const { token } = await admin.createPasswordResetToken(boss, u.id);
    const stored = await db.passwordResetToken.findMany({ where: { userId: u.id } });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.tokenHash).not.toContain(token);

    await admin.resetPasswordWithToken(token, "fresh password here");
    const after = await db.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    expect(await users.authenticate(u.email, "fresh password here")).not.toBeNull();
    await expect(admin.resetPasswordWithToken(token, "second attempt pass")).rejects.toBeInstanceOf(errors.InvalidTokenError);

    const old = await admin.createPasswordResetToken(boss, u.id, new Date(Date.now() - 2 * admin.RESET_LINK_TTL_MS));
    await expect(admin.resetPasswordWithToken(old.token, "too late password")).rejects.toBeInstanceOf(errors.InvalidTokenError);

    const first = await admin.createPasswordResetToken(boss, u.id);
    await admin.createPasswordResetToken(boss, u.id);
    expect(await admin.findUsableResetToken(first.token)).toBeNull();
    await expect(admin.createPasswordResetToken({ ...u, role: "learner" }, boss.id)).rejects.toBeInstanceOf(errors.ForbiddenError);
  });

  it("seeds the demo accounts once", async () => {
    const { seedDemoAccounts, DEMO_ACCOUNTS } = await import("@/lib/demo-accounts");
    expect(await seedDemoAccounts(db)).toEqual(DEMO_ACCOUNTS.map((a) => a.email));
    expect(await seedDemoAccounts(db)).toEqual([]);
    const instructor = DEMO_ACCOUNTS.find((a) => a.role === "instructor")!;
    expect(await users.authenticate(instructor.email, instructor.password)).toMatchObject({ role: "instructor" });
  });
});
