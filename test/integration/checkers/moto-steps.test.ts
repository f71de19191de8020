// The same checkers against moto (../shared/STACK.md), an independent emulator: the reference
// solution applied with the AWS CLI, then steps 1-5 checked with moto's test/test credentials
// directly (moto does not enforce trust policies, so a role would prove nothing). Where moto
// lacks a behaviour the checkers fall back as they would on any such endpoint: TestEventPattern
// answers an empty body, so step 4's pattern is judged by the shared matcher. Lambda functions
// cannot run in moto, but no check of steps 1-5 invokes one.
//
// The scripts run as two chains at once (1-3, and 4-5, which share the Lambda role) to stay near
// two minutes; each CLI call costs about a second.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "@/checkers/context";
import { runSteps, type StepToRun } from "@/checkers/runner";
import type { LabReport } from "@/checkers/types";
import { motoSkipReason, startMoto, type MotoServer } from "@/test/support/moto";
import { TEST_CREDENTIALS, type AccountKeys, type CliEnv } from "@/test/support/sandbox";
import { labSteps, toolsAvailable } from "./support";
import { runAll, solutionScript } from "./variants";

const REGION = "us-east-1";
const skipReason = motoSkipReason("moto-steps") ?? (toolsAvailable() ? undefined : "the AWS CLI or jq is missing");

let moto: MotoServer;
let steps: StepToRun[];
let report: LabReport;

/** moto's CLI environment: the sandbox's cliEnv shape with moto's endpoint and test keys. */
const motoTarget = () => ({
  endpoint: moto.endpoint,
  cliEnv: (creds: { accessKeyId: string; secretAccessKey: string } = TEST_CREDENTIALS): CliEnv => ({
    NODE_ENV: "test",
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: "/tmp",
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    AWS_DEFAULT_REGION: REGION,
    AWS_REGION: REGION,
    AWS_PAGER: "",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_EC2_METADATA_DISABLED: "true",
  }),
});
const TEST_KEYS: AccountKeys = { accountId: "123456789012", ...TEST_CREDENTIALS };

describe.skipIf(skipReason !== undefined)(`checkers on moto${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  beforeAll(async () => {
    moto = await startMoto();
    steps = await labSteps(5);
    const target = motoTarget();
    await Promise.all([
      runAll(target, TEST_KEYS, ["01-sns-topic", "02-sqs-queues", "03-fan-out"].map(solutionScript)),
      runAll(target, TEST_KEYS, ["04-eventbridge-rule", "05-step-functions"].map(solutionScript)),
    ]);
    const connection = await connect({ target: "moto", region: REGION, endpoint: moto.endpoint, baseCredentials: TEST_CREDENTIALS });
    report = await runSteps({ lab: "order-system", connection, labSteps: steps.map((s) => s.frontMatter) }, steps);
  }, 180_000);
  afterAll(async () => {
    await moto?.close();
  });

  const notPassing = (step: number) => report.steps.find((s) => s.step === step)?.checks.filter((c) => c.status !== "pass" && c.status !== "skip") ?? [];

  it.each([1, 2, 3, 4, 5])("step %i passes with the reference solution", (step) => {
    expect(notPassing(step).map((c) => [c.id, c.status, c.message]), JSON.stringify(notPassing(step), null, 1)).toEqual([]);
  });

  it("judges step 4's pattern with the shared matcher, because moto's TestEventPattern answers nothing", () => {
    const c = report.steps.find((s) => s.step === 4)?.checks.find((x) => x.id === "step4.pattern-matches-1000");
    expect(c?.message).toContain("the shared matcher");
  });
});
