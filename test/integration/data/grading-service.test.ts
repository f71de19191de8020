// The grading service on a real database (SQLite and PostgreSQL) against a real in-process
// sandbox: attempts and progress in one transaction, the DB lock, the DB rate limit, sources,
// regressions, and step 6 without the probe left unrecorded.
import { DeleteTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectOptions } from "@/checkers/context";
import type { GradeDeps, GradeInput } from "@/lib/grading/types";
import { applySolution, createGraderRole, toolsAvailable } from "../checkers/support";
import { startTestSandbox, type AccountKeys, type TestSandbox } from "../../support/sandbox";
import { databaseSkipReason, testProvider, useTestDatabase } from "../../support/test-database";

const skipReason = databaseSkipReason() || (toolsAvailable() ? "" : "the AWS CLI or jq is missing");
const LAB = "order-system";

describe.skipIf(skipReason)(`grading on ${testProvider()}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let db: (typeof import("@/lib/db/client"))["db"];
  let runGrade: (typeof import("@/lib/grading/grade"))["runGrade"];
  let getLabProgress: (typeof import("@/lib/progress"))["getLabProgress"];
  let createUser: (typeof import("@/lib/users"))["createUser"];
  let sb: TestSandbox;
  let learner: AccountKeys;
  let options: ConnectOptions;
  let userId: string;

  const deps = (o: Partial<GradeDeps> = {}): GradeDeps => ({ resolveConnection: () => Promise.resolve(options), ratePerMinute: 1000, ...o });
  const grade = (step: number, o: Partial<GradeInput> = {}, d: Partial<GradeDeps> = {}) =>
    runGrade({ userId, lab: LAB, step, source: "web", ...o }, deps(d));

  beforeAll(async () => {
    await useTestDatabase();
    db = (await import("@/lib/db/client")).db;
    runGrade = (await import("@/lib/grading/grade")).runGrade;
    getLabProgress = (await import("@/lib/progress")).getLabProgress;
    createUser = (await import("@/lib/users")).createUser;
    userId = (await createUser({ email: "grade@example.com", name: "G", password: "grading password" })).id;
    sb = await startTestSandbox();
    learner = await sb.createAccount();
    const grader = await sb.grader();
    const externalId = `ext-${Math.random().toString(36).slice(2)}`;
    const roleArn = await createGraderRole(sb, learner, grader, { externalId });
    options = {
      target: "sandbox",
      region: "us-east-1",
      endpoint: sb.endpoint,
      roleArn,
      externalId,
      baseCredentials: { accessKeyId: grader.accessKeyId, secretAccessKey: grader.secretAccessKey },
    };
  });

  afterAll(async () => {
    await sb?.close();
  });

  it("tells a learner without a connection to connect first, and records nothing", async () => {
    const out = await runGrade({ userId, lab: LAB, step: 1, source: "web" }, deps({ resolveConnection: () => Promise.resolve(null) }));
    expect(out).toMatchObject({ ok: false, error: { code: "not-connected" } });
    if (!out.ok) expect(out.error.message).toMatch(/connect/i);
    expect(await db.attempt.count({ where: { userId } })).toBe(0);
  });

  it("refuses an unknown lab or step before doing anything", async () => {
    expect(await grade(7)).toMatchObject({ ok: false, error: { code: "unknown-step" } });
    expect(await runGrade({ userId, lab: "nope", step: 1, source: "web" }, deps())).toMatchObject({ ok: false, error: { code: "unknown-step" } });
  });

  it("records a failing step on a fresh account, with its source, results and progress", async () => {
    const out = await grade(1);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.report.steps[0]?.status).toBe("fail");
    expect(out.attempt).toMatchObject({ step: 1, status: "fail", source: "web" });
    expect(out.attempt?.checks.some((c) => c.status === "fail" && c.hint)).toBe(true);
    const row = await db.stepProgress.findUniqueOrThrow({ where: { userId_lab_step: { userId, lab: LAB, step: 1 } } });
    expect(row).toMatchObject({ status: "fail", attempts: 1, firstPassedAt: null, lastPassedAt: null });
    const stored = await db.attempt.findFirstOrThrow({ where: { userId, step: 1 } });
    expect(JSON.parse(stored.results)).toEqual(out.attempt?.checks);
  });

  it("records a pass once the solution is applied, sets firstPassedAt once, and keeps each source", async () => {
    expect((await applySolution(sb, learner, "01-sns-topic")).code).toBe(0);
    const out = await grade(1, { source: "cli" });
    expect(out).toMatchObject({ ok: true, attempt: { status: "pass", source: "cli" } });
    const first = await db.stepProgress.findUniqueOrThrow({ where: { userId_lab_step: { userId, lab: LAB, step: 1 } } });
    expect(first).toMatchObject({ status: "pass", attempts: 2 });
    expect(first.firstPassedAt).not.toBeNull();
    expect(first.firstAttemptAt.getTime()).toBeLessThanOrEqual(first.firstPassedAt!.getTime());

    await grade(1, { source: "api" });
    const again = await db.stepProgress.findUniqueOrThrow({ where: { userId_lab_step: { userId, lab: LAB, step: 1 } } });
    expect(again.attempts).toBe(3);
    expect(again.firstPassedAt).toEqual(first.firstPassedAt);
    expect(again.lastPassedAt!.getTime()).toBeGreaterThanOrEqual(first.lastPassedAt!.getTime());
    const { listAttempts } = await import("@/lib/grading/history");
    expect((await listAttempts(userId, LAB, 1)).map((a) => a.source)).toEqual(["api", "cli", "web"]);
  });

  it("marks a step that passed and now fails as regressed, keeping when it first passed", async () => {
    const before = await db.stepProgress.findUniqueOrThrow({ where: { userId_lab_step: { userId, lab: LAB, step: 1 } } });
    const sns = new SNSClient(sb.clientConfig(learner));
    await sns.send(new DeleteTopicCommand({ TopicArn: `arn:aws:sns:us-east-1:${learner.accountId}:order-events` }));
    const out = await grade(1, { source: "recheck" });
    expect(out).toMatchObject({ ok: true, attempt: { status: "fail", source: "recheck" } });
    const after = await db.stepProgress.findUniqueOrThrow({ where: { userId_lab_step: { userId, lab: LAB, step: 1 } } });
    expect(after).toMatchObject({ status: "fail", attempts: before.attempts + 1, firstPassedAt: before.firstPassedAt, lastPassedAt: before.lastPassedAt });
    expect((await getLabProgress(userId, LAB, 6))[0]).toMatchObject({ state: "fail", regressed: true });
    expect((await applySolution(sb, learner, "01-sns-topic")).code).toBe(0);
  });

  it("runs two presses at once only once: the other is told a check is running", async () => {
    const outs = await Promise.all([grade(2), grade(2)]);
    const ran = outs.filter((o) => o.ok);
    const told = outs.filter((o) => !o.ok);
    expect(ran).toHaveLength(1);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ ok: false, error: { code: "check-running" } });
    const row = await db.stepProgress.findUniqueOrThrow({ where: { userId_lab_step: { userId, lab: LAB, step: 2 } } });
    expect(row.attempts).toBe(1);
    expect(await db.attempt.count({ where: { userId, step: 2 } })).toBe(1);
    // The lock is released afterwards: the next press runs.
    expect((await grade(2)).ok).toBe(true);
    expect(await db.checkLock.count()).toBe(0);
  });

  it("rate-limits checks per learner with a retry-after, counting in the database", async () => {
    const other = (await createUser({ email: "rate@example.com", name: "R", password: "grading password" })).id;
    const now = new Date("2026-11-26T12:00:10Z");
    const d = deps({ ratePerMinute: 2, now: () => now });
    const press = () => runGrade({ userId: other, lab: LAB, step: 1, source: "web" }, d);
    expect((await press()).ok).toBe(true);
    expect((await press()).ok).toBe(true);
    const third = await press();
    expect(third).toMatchObject({ ok: false, error: { code: "rate-limited", retryAfter: 50 } });
    expect(await db.attempt.count({ where: { userId: other } })).toBe(2);
    // Another learner has their own budget.
    expect((await runGrade({ userId, lab: LAB, step: 1, source: "web" }, d)).ok).toBe(true);
  });

  it("does not record step 6 without the probe: all skips are not a pass", async () => {
    const out = await grade(6);
    expect(out).toMatchObject({ ok: true, attempt: null });
    if (out.ok) {
      expect(out.report.steps[0]?.status).toBe("skip");
      expect(out.report.passed).toBe(false);
    }
    expect(await db.attempt.count({ where: { userId, step: 6 } })).toBe(0);
    expect(await db.stepProgress.count({ where: { userId, step: 6 } })).toBe(0);
  });

  it("stores the attempt and the progress in one transaction: neither when one fails", async () => {
    const { recordAttempt } = await import("@/lib/grading/record");
    if (testProvider() === "postgresql") {
      await db.$executeRawUnsafe(`CREATE FUNCTION refuse_attempt() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql`);
      await db.$executeRawUnsafe(`CREATE TRIGGER refuse_attempt BEFORE INSERT ON "Attempt" FOR EACH ROW WHEN (NEW.lab = 'refused-lab') EXECUTE FUNCTION refuse_attempt()`);
    } else {
      await db.$executeRawUnsafe(`CREATE TRIGGER refuse_attempt BEFORE INSERT ON "Attempt" WHEN NEW.lab = 'refused-lab' BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    }
    const report = { step: 1, slug: "sns-topic", status: "pass" as const, durationMs: 5, checks: [] };
    await expect(recordAttempt({ userId, lab: "refused-lab", source: "web", report, now: new Date() })).rejects.toThrow();
    expect(await db.stepProgress.count({ where: { userId, lab: "refused-lab" } })).toBe(0);
    expect(await db.attempt.count({ where: { userId, lab: "refused-lab" } })).toBe(0);
  });
});
