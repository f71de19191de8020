// `lab-check --remote` end to end: the real bin/lab-check.mjs in a child process, asking the real
// /api/v1 route handlers (served in-process by test/support/route-server.ts, on a real migrated
// database) to check a learner's real sandbox account (in-process sandbox, connected the way the
// Connect page does it). The attempt is recorded with source "cli" and shows in the learner's
// history; refusals (bad token, unknown lab, not connected, no server) exit 2 with one clear line
// that never contains the token.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { step1 } from "@/labs/order-system/solution/sdk/apply";
import { labReportSchema } from "@/cli/lab-report-schema";
import { parseJunit } from "../cli/junit";
import { loadAppRoutes, startRouteServer, type RouteServer } from "../../support/route-server";
import type { TestSandbox } from "../../support/sandbox";
import { databaseSkipReason, testProvider } from "../../support/test-database";
import { connectedLearner, startPlatformSandbox } from "../../support/platform";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const BIN = path.join(ROOT, "bin/lab-check.mjs");
const LAB = "order-system";
const skipReason = databaseSkipReason();

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The bin as CI runs it: from another directory, with nothing of the test's environment but PATH. */
function labCheck(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: "/", env: { NODE_ENV: "test", PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const show = (r: Run) => `exit ${r.code}\nstdout:\n${r.stdout.slice(-3000)}\nstderr:\n${r.stderr.slice(-3000)}`;

describe.skipIf(skipReason)(`lab-check --remote on ${testProvider()}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let sb: TestSandbox;
  let server: RouteServer;
  let listAttempts: (typeof import("@/lib/grading"))["listAttempts"];
  let userId: string;
  let token: string;
  let revokedToken: string;
  let unconnectedToken: string;

  beforeAll(async () => {
    sb = await startPlatformSandbox();
    const { createUser } = await import("@/lib/users");
    const tokens = await import("@/lib/api/tokens");
    listAttempts = (await import("@/lib/grading")).listAttempts;

    const learner = await connectedLearner({ email: "remote@example.com", name: "Remo" });
    userId = learner.userId;
    const keys = learner.keys;
    await step1(sb.clientConfig(keys)); // the reference solution's step 1, in SDK form
    token = (await tokens.createApiToken(userId, "ci")).token;
    const revoked = await tokens.createApiToken(userId, "old laptop");
    revokedToken = revoked.token;
    await tokens.revokeApiToken(userId, revoked.view.id);
    const other = (await createUser({ email: "unconnected@example.com", name: "Una", password: "remote check password" })).id;
    unconnectedToken = (await tokens.createApiToken(other, "ci")).token;

    server = await startRouteServer(await loadAppRoutes(path.join(ROOT, "app"), "api/v1"));
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await sb?.close();
  });

  it("checks step 1 on the platform, prints the report, exits 0, and records a cli attempt in the learner's history", async () => {
    const before = await listAttempts(userId, LAB, 1);
    const r = await labCheck(["--remote", server.url, "--step", "1"], { LAB_GRADER_TOKEN: token, NO_COLOR: "1" });
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain("Lab order-system on sandbox (us-east-1)");
    expect(r.stdout).toContain("✓ step1.topic-exists");
    expect(r.stdout).toContain("All 1 step(s) pass.");
    expect(r.stdout).toContain(`Checked on ${server.url} and recorded in your history there (1 attempt).`);
    expect(r.stderr).toBe("");
    expect(r.stdout + r.stderr).not.toContain(token);

    const after = await listAttempts(userId, LAB, 1);
    expect(after).toHaveLength(before.length + 1);
    expect(after[0]).toMatchObject({ step: 1, status: "pass", source: "cli" });
    expect(after[0]?.checks.map((c) => c.id)).toContain("step1.topic-exists");
  });

  it("merges several steps into one LabReport as json, and as JUnit exits 1 naming step 2's failures", async () => {
    const json = await labCheck(["--remote", server.url, "--step", "1,2", "--format", "json"], { LAB_GRADER_TOKEN: token });
    expect(json.code, show(json)).toBe(1);
    const report = labReportSchema.parse(JSON.parse(json.stdout)); // strict: the API's `attempt` is not printed
    expect(report).toMatchObject({ lab: LAB, target: "sandbox", passed: false });
    expect(report.steps.map((s) => [s.step, s.status])).toEqual([[1, "pass"], [2, "fail"]]);

    const junit = await labCheck(["--remote", server.url, "--step", "1,2", "--format", "junit"], { LAB_GRADER_TOKEN: token });
    expect(junit.code, show(junit)).toBe(1);
    const j = parseJunit(junit.stdout);
    expect(j.testsuites.map((s) => [s.name, s.failures > 0])).toEqual([["step 1: sns-topic", false], ["step 2: sqs-queues", true]]);
    const failing = j.testsuites[1]?.testcases.filter((c) => c.failure).map((c) => c.name) ?? [];
    expect(failing).toEqual(report.steps[1]?.checks.filter((c) => c.status === "fail").map((c) => c.id));

    const step2 = await listAttempts(userId, LAB, 2);
    expect(step2.map((a) => [a.status, a.source])).toEqual([["fail", "cli"], ["fail", "cli"]]);
  });

  it("exits 2 with a revoked token, saying so on one line without the token", async () => {
    const before = (await listAttempts(userId, LAB, 1)).length;
    const r = await labCheck(["--remote", server.url, "--step", "1", "--token", revokedToken]);
    expect(r.code, show(r)).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^lab-check: http:\/\/127\.0\.0\.1:\d+ refused to check step 1 \(HTTP 401\): This token is not valid: .*\n$/);
    expect(r.stderr).not.toContain(revokedToken);
    expect(r.stderr).not.toContain(revokedToken.slice(4, 20));
    expect(await listAttempts(userId, LAB, 1)).toHaveLength(before);
  });

  it("exits 2 for a lab the platform does not have, and for a learner who has not connected", async () => {
    const unknown = await labCheck(["--remote", server.url, "--lab", "no-such-lab", "--step", "1"], { LAB_GRADER_TOKEN: token });
    expect(unknown.code, show(unknown)).toBe(2);
    expect(unknown.stderr).toContain("refused to check step 1 (HTTP 404)");
    expect(unknown.stderr).toContain("no-such-lab");

    const unconnected = await labCheck(["--remote", server.url, "--step", "1"], { LAB_GRADER_TOKEN: unconnectedToken });
    expect(unconnected.code, show(unconnected)).toBe(2);
    expect(unconnected.stderr).toContain("refused to check step 1 (HTTP 409)");
    expect(unconnected.stderr).toMatch(/connect/i);
    expect(unconnected.stderr).not.toContain(unconnectedToken);
  });

  it("exits 2 for a step number lab-check does not know, before asking the platform", async () => {
    const r = await labCheck(["--remote", server.url, "--step", "9"], { LAB_GRADER_TOKEN: token });
    expect(r.code, show(r)).toBe(2);
    expect(r.stderr).toContain("--step must be all or step numbers 1-6");
  });

  it("exits 2 when the platform does not answer", async () => {
    const gone = await startRouteServer({});
    await gone.close();
    const r = await labCheck(["--remote", gone.url, "--step", "1"], { LAB_GRADER_TOKEN: token });
    expect(r.code, show(r)).toBe(2);
    expect(r.stderr).toContain(`lab-check: Could not reach ${gone.url}: the connection was refused (ECONNREFUSED).`);
    expect(r.stderr).toContain("Check the --remote URL and that the platform is running.");
  });

  it("refuses --role-arn with --remote as a usage error", async () => {
    const r = await labCheck(["--remote", server.url, "--role-arn", "arn:aws:iam::123456789012:role/LabGraderRole"], { LAB_GRADER_TOKEN: token });
    expect(r.code, show(r)).toBe(2);
    expect(r.stderr).toContain("--role-arn cannot be used with --remote");
    expect(r.stderr).toContain("Run lab-check --help for the flags.");
  });
});
