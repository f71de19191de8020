// POST /api/v1/labs/{lab}/steps/{step}/checks end to end: a learner connected to the in-process
// sandbox through lib/connections (as the Connect page does), the reference solution applied with
// the AWS CLI, and the exported route handler called with a bearer token. The attempt it records
// shows in the learner's history with source "api", or "cli" for lab-check --remote.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labReportSchema } from "@/cli/lab-report-schema";
import { applySolution, toolsAvailable } from "../checkers/support";
import type { TestSandbox } from "../../support/sandbox";
import { databaseSkipReason, testProvider } from "../../support/test-database";
import { connectedLearner, startPlatformSandbox } from "../../support/platform";
import { documentedResponse } from "../../unit/api/openapi-schemas";

const skipReason = databaseSkipReason() || (toolsAvailable() ? "" : "the AWS CLI or jq is missing");
const LAB = "order-system";

describe.skipIf(skipReason)(`POST /api/v1/.../checks on ${testProvider()}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let sb: TestSandbox;
  let db: (typeof import("@/lib/db/client"))["db"];
  let route: typeof import("@/app/api/v1/labs/[lab]/steps/[step]/checks/route");
  let listAttempts: (typeof import("@/lib/grading"))["listAttempts"];
  let userId: string;
  let token: string;
  let unconnectedToken: string;

  beforeAll(async () => {
    sb = await startPlatformSandbox({ CHECK_RATE_LIMIT_PER_MINUTE: "1000" });
    db = (await import("@/lib/db/client")).db;
    route = await import("@/app/api/v1/labs/[lab]/steps/[step]/checks/route");
    listAttempts = (await import("@/lib/grading")).listAttempts;
    const { createUser } = await import("@/lib/users");
    const { createApiToken } = await import("@/lib/api/tokens");
    const learner = await connectedLearner({ email: "api-checks@example.com", name: "Checker" });
    userId = learner.userId;
    const keys = learner.keys;
    expect((await applySolution(sb, keys, "01-sns-topic")).code).toBe(0);
    token = (await createApiToken(userId, "ci")).token;
    const loner = await createUser({ email: "api-unconnected@example.com", name: "Loner", password: "correct horse battery" });
    unconnectedToken = (await createApiToken(loner.id, "ci")).token;
  }, 120_000);

  afterAll(async () => {
    await sb?.close();
  });

  const post = (lab: string, step: string, o: { body?: BodyInit; headers?: Record<string, string>; bearer?: string } = {}) =>
    route.POST(
      new Request(`http://localhost/api/v1/labs/${lab}/steps/${step}/checks`, {
        method: "POST",
        headers: { authorization: `Bearer ${o.bearer ?? token}`, ...o.headers },
        ...(o.body !== undefined ? { body: o.body } : {}),
      }),
      { params: Promise.resolve({ lab, step }) },
    );

  async function problem(res: Response, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status, code, type: "about:blank" });
    expect((await documentedResponse("/labs/{lab}/steps/{step}/checks", "post", String(status), "application/problem+json")).safeParse(body).error).toBeUndefined();
    return body;
  }

  const attemptCount = () => db.attempt.count({ where: { userId } });

  it("runs step 1 with the grading service, returns the LabReport with the attempt, and records source api", async () => {
    const res = await post(LAB, "1");
    expect(res.status).toBe(200);
    expect(res.headers.get("ratelimit-limit")).toBe("60");
    const body = (await res.json()) as Record<string, unknown> & { attempt: { id: string; status: string; source: string; createdAt: string } };
    expect((await documentedResponse("/labs/{lab}/steps/{step}/checks", "post", "200")).safeParse(body).error).toBeUndefined();
    const { attempt, ...report } = body;
    // The same shape lab-check --format json prints (a strict schema), plus `attempt`.
    expect(labReportSchema.parse(report)).toMatchObject({ lab: LAB, target: "sandbox", passed: true });
    expect(report.steps).toMatchObject([{ step: 1, status: "pass" }]);
    expect(attempt).toMatchObject({ status: "pass", source: "api" });
    expect(Object.keys(attempt).sort()).toEqual(["createdAt", "id", "source", "status"]);
    const history = await listAttempts(userId, LAB, 1);
    expect(history[0]).toMatchObject({ id: attempt.id, source: "api", status: "pass", createdAt: attempt.createdAt });
  });

  it("records source cli when lab-check --remote calls, and a failing step as a fail", async () => {
    const res = await post(LAB, "2", { headers: { "X-Lab-Grader-Client": "lab-check/0.1.0", "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { passed: boolean; steps: { status: string }[]; attempt: { source: string; status: string } };
    expect(body.passed).toBe(false);
    expect(body.steps[0]?.status).toBe("fail");
    expect(body.attempt).toMatchObject({ source: "cli", status: "fail" });
    expect((await listAttempts(userId, LAB, 2)).map((a) => a.source)).toEqual(["cli"]);
  });

  it("records nothing for step 6 without probe: true, as in the browser", async () => {
    const before = await attemptCount();
    const res = await post(LAB, "6", { body: JSON.stringify({ probe: false }) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { attempt: unknown; steps: { status: string }[] };
    expect(body.attempt).toBeNull();
    expect(body.steps[0]?.status).toBe("skip");
    expect(await attemptCount()).toBe(before);
  });

  it("answers bad JSON 400, an invalid body 422, a large body 413, and an unknown lab or step 404, recording nothing", async () => {
    const before = await attemptCount();
    const bad = await problem(await post(LAB, "1", { body: "{probe: true" }), 400, "invalid-json");
    expect(bad.detail).toMatch(/not valid JSON/);
    const invalid = await problem(await post(LAB, "1", { body: JSON.stringify({ probe: "yes", extra: 1 }) }), 422, "invalid-request");
    expect(invalid.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: "probe" })]));
    await problem(await post(LAB, "1", { body: "[]" }), 422, "invalid-request");
    await problem(await post(LAB, "1", { body: JSON.stringify({ pad: "x".repeat(17 * 1024) }) }), 413, "body-too-large");
    for (const [lab, step] of [[LAB, "7"], [LAB, "0"], [LAB, "one"], ["no-such-lab", "1"], ["../etc", "1"]] as const) {
      const body = await problem(await post(lab, step), 404, "unknown-step");
      expect(body.detail).toMatch(/^There is no step/);
    }
    expect(await attemptCount()).toBe(before);
  });

  it("tells a learner without a connection to connect first (409 with a hint)", async () => {
    const body = await problem(await post(LAB, "1", { bearer: unconnectedToken }), 409, "not-connected");
    expect(body.detail).toMatch(/Connect an account first/);
    expect(body.hint).toMatch(/\/connect/);
  });

  it("runs two presses at once only once: the other gets 409 check-running", async () => {
    const before = await attemptCount();
    const [a, b] = await Promise.all([post(LAB, "3"), post(LAB, "3")]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const refused = a.status === 409 ? a : b;
    await problem(refused, 409, "check-running");
    expect(await attemptCount()).toBe(before + 1);
  });

  it("refuses a request without a valid token before running anything", async () => {
    const before = await attemptCount();
    await problem(await post(LAB, "1", { bearer: `lgr_${"x".repeat(43)}` }), 401, "invalid-token");
    expect(await attemptCount()).toBe(before);
  });
});
