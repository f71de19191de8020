// The generated, resource-scoped grader policy is enough for every check: the sandbox enforces
// role policies, so an action or ARN pattern missing from it would show up as an error here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestSandbox } from "../../support/sandbox";
import { databaseSkipReason, testProvider } from "../../support/test-database";
import { startPlatformSandbox } from "../../support/platform";
import { SOLUTION_SCRIPTS, applySolution, labSteps, toolsAvailable } from "../checkers/support";

const skipReason = databaseSkipReason() || (toolsAvailable() ? "" : "the AWS CLI or jq is missing");

describe.skipIf(skipReason)(`the generated grader policy on ${testProvider()}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let sb: TestSandbox;
  let userId: string;

  beforeAll(async () => {
    sb = await startPlatformSandbox();
    const users = await import("@/lib/users");
    userId = (await users.createUser({ email: "policy@example.com", name: "Polly", password: "correct horse battery" })).id;
  }, 60_000);
  afterAll(async () => {
    await sb?.close();
  });

  it("lets every step of the reference solution pass through the learner's LabGraderRole", async () => {
    const lib = await import("@/lib/connections");
    const { connect } = await import("@/checkers/context");
    const { CredentialCache } = await import("@/checkers/credentials");
    const { runSteps } = await import("@/checkers/runner");
    await lib.connectSandbox(userId);
    const keys = await lib.revealSandboxKeys(userId);
    if (!keys) throw new Error("no keys");
    for (const script of SOLUTION_SCRIPTS) {
      const applied = await applySolution(sb, keys, script);
      expect(applied.code, applied.output.slice(-2000)).toBe(0);
    }
    const options = await lib.loadConnectOptions(userId);
    const connection = await connect({ ...options!, cache: new CredentialCache() });
    const steps = await labSteps();
    const report = await runSteps({ lab: "order-system", connection, probe: true, labSteps: steps.map((s) => s.frontMatter) }, steps);
    const notPassing = report.steps.flatMap((s) => s.checks).filter((c) => c.status !== "pass" && c.status !== "skip");
    expect(notPassing, JSON.stringify(notPassing, null, 1)).toEqual([]);
  }, 420_000);
});
