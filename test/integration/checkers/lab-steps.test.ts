// The checkers against the built-in sandbox, through the grader role exactly as the platform
// will use them: a fresh account fails every step with the right hints; applying the reference
// solution's CLI scripts step by step passes the steps cumulatively; step 6's probe passes and
// leaves the learner's own messages in place; the generated grader policy is enough, and a role
// missing one action gets an error naming it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReceiveMessageCommand, SendMessageCommand, SQSClient, GetQueueUrlCommand, DeleteMessageCommand, SetQueueAttributesCommand, GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { LambdaClient, RemovePermissionCommand, AddPermissionCommand } from "@aws-sdk/client-lambda";
import type { AccountKeys, TestSandbox } from "@/test/support/sandbox";
import { startTestSandbox } from "@/test/support/sandbox";
import { connect, type Connection } from "@/checkers/context";
import { CredentialCache } from "@/checkers/credentials";
import { runSteps, type StepToRun } from "@/checkers/runner";
import type { CheckResult, LabReport } from "@/checkers/types";
import { SOLUTION_SCRIPTS, applySolution, createGraderRole, labSteps, toolsAvailable } from "./support";

const EXTERNAL_ID = "ext-7f3a9c2e5b1d4e60a8f2c4d6e8b0a1c3";
const REGION = "us-east-1";

let sb: TestSandbox;
let learner: AccountKeys;
let grader: AccountKeys;
let roleArn: string;
let steps: StepToRun[];
const cache = new CredentialCache();

beforeAll(async () => {
  sb = await startTestSandbox();
  [learner, grader] = await Promise.all([sb.createAccount(), sb.grader()]);
  roleArn = await createGraderRole(sb, learner, grader, { externalId: EXTERNAL_ID });
  steps = await labSteps();
}, 60_000);
afterAll(async () => {
  await sb?.close();
});

function viaRole(arn = roleArn): Promise<Connection> {
  return connect({ target: "sandbox", region: REGION, endpoint: sb.endpoint, roleArn: arn, externalId: EXTERNAL_ID, userId: "learner-1", baseCredentials: grader, cache });
}

async function check(upTo = 5, o: { probe?: boolean; arn?: string } = {}): Promise<LabReport> {
  return runSteps({ lab: "order-system", connection: await viaRole(o.arn), probe: o.probe === true, labSteps: steps.map((s) => s.frontMatter) }, steps.filter((s) => s.checker.step <= upTo));
}

const byId = (r: LabReport) => new Map(r.steps.flatMap((s) => s.checks).map((c) => [c.id, c]));
const statuses = (r: LabReport) => r.steps.map((s) => s.status);
const notPassing = (r: LabReport, step: number) => r.steps.find((s) => s.step === step)?.checks.filter((c) => c.status !== "pass" && c.status !== "skip") ?? [];

function wellFormed(c: CheckResult) {
  expect(c.message.endsWith("."), c.id).toBe(true);
  if (c.status === "fail" || c.status === "error") expect(c.hint, c.id).toBeTruthy();
}

describe.skipIf(!toolsAvailable())("checkers on the sandbox", () => {
  it("fail every step of a fresh account, each with the hint for what is missing", async () => {
    const r = await check();
    expect(statuses(r)).toEqual(["fail", "fail", "fail", "fail", "fail"]);
    const c = byId(r);
    expect(c.get("step1.topic-exists")).toMatchObject({ status: "fail" });
    expect(c.get("step1.topic-exists")?.hint).toContain("aws sns create-topic --name order-events");
    expect(c.get("step2.inventory-exists")?.hint).toContain("inventory-updates-dlq");
    expect(c.get("step3.shipping-subscribed")?.hint).toContain("step 1");
    expect(c.get("step4.rule-exists")?.hint).toContain("put-rule");
    expect(c.get("step4.function-exists")?.status).toBe("fail");
    expect(c.get("step5.state-machine-exists")?.hint).toContain("create-state-machine");
    for (const check of c.values()) {
      wellFormed(check);
      expect(check.status, check.id).not.toBe("error");
    }
  });

  it.each(SOLUTION_SCRIPTS.map((s, i) => [i + 1, s] as const))("pass steps 1..%i cumulatively after %s.sh", async (n, script) => {
    const applied = await applySolution(sb, learner, script);
    expect(applied.code, applied.output.slice(-3000)).toBe(0);
    const r = await check();
    const want = [1, 2, 3, 4, 5].map((s) => (s <= n ? "pass" : "fail"));
    expect(statuses(r), JSON.stringify(r.steps.flatMap((s) => notPassing(r, s.step)), null, 1)).toEqual(want);
    for (const c of byId(r).values()) wellFormed(c);
  }, 300_000);

  it("judge step 4's pattern with TestEventPattern, which the sandbox answers", async () => {
    const r = await check(4);
    expect(byId(r).get("step4.pattern-matches-1000")?.message).toContain("judged by TestEventPattern");
  });

  it("assume the role once per credential lifetime", () => {
    expect(cache.assumeRoleCalls).toBe(1);
  });

  it("run step 6's probe only on request: it passes, and a learner's own message stays in the queue", async () => {
    const sqs = new SQSClient(sb.clientConfig(learner));
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: "inventory-updates" }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify({ orderId: "learner-own-1" }) }));

    const skipped = await check(6);
    expect(skipped.steps[5]?.checks.map((c) => c.status)).toEqual(["skip", "skip", "skip", "skip"]);

    const progress: string[] = [];
    const t0 = Date.now();
    const connection = await viaRole();
    const r = await runSteps({ lab: "order-system", connection, probe: true, onProgress: (_, m) => progress.push(m), labSteps: steps.map((s) => s.frontMatter) }, steps.filter((s) => s.checker.step === 6));
    expect(Date.now() - t0).toBeLessThan(60_000);
    expect(r.steps[0]?.status, JSON.stringify(r.steps[0]?.checks, null, 1)).toBe("pass");
    expect(progress.some((m) => m.includes("Published 3 probe orders"))).toBe(true);

    const back = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    const bodies = (back.Messages ?? []).map((m) => m.Body ?? "");
    expect(bodies.some((b) => b.includes("learner-own-1"))).toBe(true);
    expect(bodies.some((b) => b.includes("probe-"))).toBe(false);
    for (const m of back.Messages ?? []) await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
  }, 90_000);

  it("let the reference solution's own end-to-end script prove the wiring with the AWS CLI", async () => {
    // 06-end-to-end.sh publishes three orders and checks which queues each reaches, then runs the
    // workflow with a premium order; it exits non-zero unless the routing is exact and the
    // execution SUCCEEDED through the express branch.
    const applied = await applySolution(sb, learner, "06-end-to-end");
    expect(applied.code, applied.output.slice(-3000)).toBe(0);
  }, 180_000);

  it("give an error naming the action when the grader role lacks it", async () => {
    const partial = await createGraderRole(sb, learner, grader, { name: "LabGraderRoleMissingOne", externalId: EXTERNAL_ID, without: ["sqs:GetQueueAttributes"] });
    const r = await check(2, { arn: partial });
    expect(r.steps[1]?.status).toBe("error");
    const err = r.steps[1]?.checks.find((c) => c.status === "error");
    expect(err?.message).toContain("sqs:GetQueueAttributes");
    expect(err?.hint).toContain("sqs:GetQueueAttributes");
    expect(r.steps[0]?.status).toBe("pass");
  });

  describe("broken variants fail exactly the check that names the mistake", () => {
    it("a queue policy without the SourceArn condition", async () => {
      const sqs = new SQSClient(sb.clientConfig(learner));
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: "shipping-orders" }));
      const before = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["Policy"] }))).Attributes?.Policy ?? "";
      const open = JSON.parse(before) as { Statement: Record<string, unknown>[] };
      for (const s of open.Statement) delete s.Condition;
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: JSON.stringify(open) } }));
      try {
        const r = await check(3);
        expect(notPassing(r, 3).map((c) => c.id)).toEqual(["step3.shipping-policy-denies-other-topics"]);
      } finally {
        await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: before } }));
      }
    });

    it("a Lambda target without the permission for EventBridge", async () => {
      const lambda = new LambdaClient(sb.clientConfig(learner));
      await lambda.send(new RemovePermissionCommand({ FunctionName: "premium-order-processor", StatementId: "high-value-orders-invoke" }));
      try {
        const r = await check(4);
        expect(notPassing(r, 4).map((c) => c.id)).toEqual(["step4.function-allows-rule"]);
      } finally {
        const ruleArn = `arn:aws:events:${REGION}:${learner.accountId}:rule/high-value-orders`;
        await lambda.send(new AddPermissionCommand({ FunctionName: "premium-order-processor", StatementId: "high-value-orders-invoke", Action: "lambda:InvokeFunction", Principal: "events.amazonaws.com", SourceArn: ruleArn }));
      }
      expect(statuses(await check(4))).toEqual(["pass", "pass", "pass", "pass"]);
    });
  });
});
