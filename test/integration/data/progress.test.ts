// Progress rows as the pages read them, on a real database.
import { beforeAll, describe, expect, it } from "vitest";
import { databaseSkipReason, testProvider, useTestDatabase } from "../../support/test-database";

const skipReason = databaseSkipReason();

describe.skipIf(skipReason)(`progress on ${testProvider()}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let db: (typeof import("@/lib/db/client"))["db"];
  let progress: typeof import("@/lib/progress");
  let userId: string;

  beforeAll(async () => {
    await useTestDatabase();
    db = (await import("@/lib/db/client")).db;
    progress = await import("@/lib/progress");
    const { createUser } = await import("@/lib/users");
    userId = (await createUser({ email: "p@example.com", name: "P", password: "progress password" })).id;
  });

  it("shows every step, not started until a check is recorded", async () => {
    const view = await progress.getLabProgress(userId, "order-system", 6);
    expect(view.map((v) => v.state)).toEqual(Array(6).fill("not-started"));
  });

  it("reports passed, failing, error, and passed-earlier-failing-now from StepProgress", async () => {
    const t = new Date("2026-11-01T10:00:00Z");
    const later = new Date("2026-11-01T11:00:00Z");
    await db.stepProgress.createMany({
      data: [
        { userId, lab: "order-system", step: 1, status: "pass", attempts: 2, firstAttemptAt: t, firstPassedAt: later, lastCheckedAt: later, lastPassedAt: later },
        { userId, lab: "order-system", step: 2, status: "fail", attempts: 1, firstAttemptAt: t, lastCheckedAt: t },
        { userId, lab: "order-system", step: 3, status: "error", attempts: 1, firstAttemptAt: t, lastCheckedAt: t },
        { userId, lab: "order-system", step: 4, status: "fail", attempts: 3, firstAttemptAt: t, firstPassedAt: t, lastCheckedAt: later, lastPassedAt: t },
        { userId, lab: "another-lab", step: 5, status: "pass", attempts: 1, firstAttemptAt: t, lastCheckedAt: t },
      ],
    });
    const view = await progress.getLabProgress(userId, "order-system", 6);
    expect(view.map((v) => v.state)).toEqual(["pass", "fail", "error", "fail", "not-started", "not-started"]);
    expect(view.map((v) => v.regressed)).toEqual([false, false, false, true, false, false]);
    expect(view[0]).toMatchObject({ attempts: 2, lastCheckedAt: later });
  });

  it("keeps one progress row per user, lab and step", async () => {
    const t = new Date();
    await expect(
      db.stepProgress.create({ data: { userId, lab: "order-system", step: 1, status: "pass", attempts: 1, firstAttemptAt: t, lastCheckedAt: t } }),
    ).rejects.toThrow();
  });

  it("removes a user's attempts and progress with the user", async () => {
    const { createUser } = await import("@/lib/users");
    const gone = await createUser({ email: "gone@example.com", name: "Gone", password: "progress password" });
    const t = new Date();
    await db.attempt.create({ data: { userId: gone.id, lab: "order-system", step: 1, status: "fail", results: "[]", durationMs: 12 } });
    await db.stepProgress.create({ data: { userId: gone.id, lab: "order-system", step: 1, status: "fail", attempts: 1, firstAttemptAt: t, lastCheckedAt: t } });
    await db.user.delete({ where: { id: gone.id } });
    expect(await db.attempt.count({ where: { userId: gone.id } })).toBe(0);
    expect(await db.stepProgress.count({ where: { userId: gone.id } })).toBe(0);
  });
});
