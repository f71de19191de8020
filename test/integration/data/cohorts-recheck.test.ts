// An instructor's re-check against a real in-process sandbox with the reference solution: it
// grades only the steps 1–5 each learner has attempted, records them with source "recheck",
// reports a learner who never connected, never runs step 6, keeps to its concurrency, and leaves
// the learners' own rate-limit budgets alone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectOptions } from "@/checkers/context";
import type { RecheckEvent } from "@/lib/cohorts";
import { applySolution, createGraderRole, toolsAvailable } from "../checkers/support";
import { startTestSandbox, type TestSandbox } from "../../support/sandbox";
import { databaseSkipReason, testProvider, useTestDatabase } from "../../support/test-database";

const skipReason = databaseSkipReason() || (toolsAvailable() ? "" : "the AWS CLI or jq is missing");
const LAB = "order-system";
const EARLIER = new Date("2026-11-01T09:00:00Z");

describe.skipIf(skipReason)(`cohort re-check on ${testProvider()}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let db: (typeof import("@/lib/db/client"))["db"];
  let cohorts: typeof import("@/lib/cohorts");
  let rateLimitKey: (typeof import("@/lib/grading"))["rateLimitKey"];
  let sb: TestSandbox;
  let options: ConnectOptions;
  let owner: { id: string; role: "instructor" };
  let cohortId: string;
  let connected: string;
  let unconnected: string;
  const idle: string[] = [];

  async function member(name: string) {
    const u = await db.user.create({ data: { email: `${name.toLowerCase().replace(/\W/g, "")}@example.com`, name, passwordHash: "x" } });
    await db.membership.create({ data: { cohortId, userId: u.id } });
    return u.id;
  }

  /** A failed check recorded earlier (as the learner's own press would have left it). */
  async function failedEarlier(userId: string, step: number) {
    const { recordAttempt } = await import("@/lib/grading/record");
    await recordAttempt({ userId, lab: LAB, source: "web", now: EARLIER, report: { step, slug: `s${step}`, status: "fail", durationMs: 1, checks: [] } });
  }

  beforeAll(async () => {
    await useTestDatabase();
    db = (await import("@/lib/db/client")).db;
    cohorts = await import("@/lib/cohorts");
    rateLimitKey = (await import("@/lib/grading")).rateLimitKey;
    const t = await db.user.create({ data: { email: "teacher@example.com", name: "Teacher", passwordHash: "x", role: "instructor" } });
    owner = { id: t.id, role: "instructor" };
    cohortId = (await cohorts.createCohort(owner, { name: "Re-check cohort" })).id;

    sb = await startTestSandbox();
    const account = await sb.createAccount();
    const grader = await sb.grader();
    const externalId = `ext-${Math.random().toString(36).slice(2)}`;
    const roleArn = await createGraderRole(sb, account, grader, { externalId });
    options = { target: "sandbox", region: "us-east-1", endpoint: sb.endpoint, roleArn, externalId, baseCredentials: { accessKeyId: grader.accessKeyId, secretAccessKey: grader.secretAccessKey } };
    for (const script of ["01-sns-topic", "02-sqs-queues"]) expect((await applySolution(sb, account, script)).code).toBe(0);

    // Connected: failed steps 1 and 2 earlier (now fixed), "passed" step 6 once, never tried 3–5.
    connected = await member("Connie Connected");
    await failedEarlier(connected, 1);
    await failedEarlier(connected, 2);
    await db.stepProgress.create({ data: { userId: connected, lab: LAB, step: 6, status: "pass", attempts: 1, firstAttemptAt: EARLIER, firstPassedAt: EARLIER, lastCheckedAt: EARLIER, lastPassedAt: EARLIER } });
    // Never connected, but tried step 1 (so there is something to re-check).
    unconnected = await member("Uma Unconnected");
    await failedEarlier(unconnected, 1);
    // More learners without a connection, to see the concurrency bound at work.
    for (let i = 0; i < 5; i++) {
      const id = await member(`Idle ${i}`);
      await failedEarlier(id, 1);
      idle.push(id);
    }
  });

  afterAll(async () => {
    await sb?.close();
  });

  const resolveConnection = (userId: string) => Promise.resolve(userId === connected ? options : null);

  it("re-checks attempted steps 1–5 only, records them as recheck, and reports who could not be reached", async () => {
    const before6 = await db.stepProgress.findUniqueOrThrow({ where: { userId_lab_step: { userId: connected, lab: LAB, step: 6 } } });
    const events: RecheckEvent[] = [];
    const summary = await cohorts.recheckLearners(owner, cohortId, { userIds: [connected, unconnected] }, (e) => events.push(e), { deps: { resolveConnection } });

    expect(events[0]).toEqual({ type: "start", total: 2 });
    expect(events.at(-1)).toEqual({ type: "done", summary });
    const learnerEvents = events.filter((e) => e.type === "learner");
    expect(learnerEvents.map((e) => e.done).sort()).toEqual([1, 2]);
    const c = learnerEvents.find((e) => e.userId === connected)!;
    expect(c).toMatchObject({ name: "Connie Connected", total: 2, steps: [{ step: 1, status: "pass" }, { step: 2, status: "pass" }] });
    const u = learnerEvents.find((e) => e.userId === unconnected)!;
    expect(u.steps).toEqual([{ step: 1, status: "not-run", error: { code: "not-connected", message: expect.stringMatching(/connect/i) } }]);
    expect(summary).toMatchObject({ learners: 2, checked: 2, passed: 2, failed: 0, errors: 0, skipped: 1 });

    // Recorded through the grading service with source "recheck"; first attempts keep their time.
    const attempts = await db.attempt.findMany({ where: { userId: connected, source: "recheck" }, orderBy: { step: "asc" } });
    expect(attempts.map((a) => [a.step, a.status])).toEqual([[1, "pass"], [2, "pass"]]);
    expect(JSON.parse(attempts[0]!.results).length).toBeGreaterThan(0);
    const p1 = await db.stepProgress.findUniqueOrThrow({ where: { userId_lab_step: { userId: connected, lab: LAB, step: 1 } } });
    expect(p1).toMatchObject({ status: "pass", attempts: 2, firstAttemptAt: EARLIER });
    // Nothing for the unreachable learner, nothing for step 6 or the steps never started.
    expect(await db.attempt.count({ where: { userId: unconnected, source: "recheck" } })).toBe(0);
    expect(await db.attempt.count({ where: { step: 6 } })).toBe(0);
    expect(await db.stepProgress.findUniqueOrThrow({ where: { userId_lab_step: { userId: connected, lab: LAB, step: 6 } } })).toEqual(before6);
    expect(await db.stepProgress.count({ where: { userId: connected, step: { in: [3, 4, 5] } } })).toBe(0);

    // The learners' own checks-per-minute budget is untouched.
    expect(await db.rateLimitBucket.count({ where: { key: { in: [rateLimitKey(connected), rateLimitKey(unconnected)] } } })).toBe(0);
    const entry = await db.auditLog.findFirstOrThrow({ where: { cohortId, action: "cohort.recheck" } });
    expect(entry.actorId).toBe(owner.id);
    expect(JSON.parse(entry.details)).toMatchObject({ learners: 2, checked: 2, passed: 2, skipped: 1 });
  });

  it("re-checks the whole cohort with at most `concurrency` learners in flight", async () => {
    const inFlight = new Set<string>();
    let maxInFlight = 0;
    const deps = {
      // Called when a learner's first step starts; slow enough that learners overlap.
      resolveConnection: async (userId: string) => {
        inFlight.add(userId);
        maxInFlight = Math.max(maxInFlight, inFlight.size);
        await new Promise((r) => setTimeout(r, 60));
        return resolveConnection(userId);
      },
    };
    const events: RecheckEvent[] = [];
    const summary = await cohorts.recheckLearners(owner, cohortId, {}, (e) => {
      if (e.type === "learner") inFlight.delete(e.userId);
      events.push(e);
    }, { concurrency: 2, deps });
    expect(summary).toMatchObject({ learners: 7, checked: 2, passed: 2, skipped: 6 });
    expect(events.filter((e) => e.type === "learner")).toHaveLength(7);
    expect(maxInFlight).toBe(2);
    expect(await db.rateLimitBucket.count({ where: { key: rateLimitKey(connected) } })).toBe(0);
  });

  it("once aborted, grades nothing more and reports every remaining step as not run", async () => {
    const controller = new AbortController();
    const events: RecheckEvent[] = [];
    const before = await db.attempt.count();
    const summary = await cohorts.recheckLearners(owner, cohortId, {}, (e) => {
      events.push(e);
      if (e.type === "start") controller.abort();
    }, { concurrency: 1, signal: controller.signal, deps: { resolveConnection } });
    expect(summary).toMatchObject({ learners: 7, checked: 0, skipped: 7 });
    const steps = events.flatMap((e) => (e.type === "learner" ? e.steps : []));
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.every((s) => s.status === "not-run" && s.error?.code === "stopped")).toBe(true);
    expect(await db.attempt.count()).toBe(before);
    const entry = await db.auditLog.findFirstOrThrow({ where: { cohortId, action: "cohort.recheck" }, orderBy: { createdAt: "desc" } });
    expect(JSON.parse(entry.details)).toMatchObject({ learners: 7, checked: 0, stopped: true });
  });
});
