// EventBridge under IAM enforcement: a grader role allowed only to read the lab's rule (scoped to
// the rule's ARN) and to test patterns may do exactly that; PutRule, or reading another rule, is
// AccessDenied naming the action — so the resource ARNs the service reports match AWS's.
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import {
  DescribeRuleCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  TestEventPatternCommand,
} from "@aws-sdk/client-eventbridge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccountKeys, TestSandbox } from "@/test/support/sandbox";
import { startTestSandbox } from "@/test/support/sandbox";

const PATTERN = JSON.stringify({ source: ["com.myapp.orders"], "detail-type": ["OrderCreated"], detail: { amount: [{ numeric: [">=", 1000] }] } });

let sb: TestSandbox;
let learner: AccountKeys;
let asGrader: EventBridgeClient;
let asLearner: EventBridgeClient;

beforeAll(async () => {
  sb = await startTestSandbox();
  learner = await sb.createAccount();
  const grader = await sb.grader();
  const iam = new IAMClient(sb.clientConfig(learner));
  const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: grader.accountId }, Action: "sts:AssumeRole" }] });
  const roleArn = (await iam.send(new CreateRoleCommand({ RoleName: "LabGraderRole", AssumeRolePolicyDocument: trust }))).Role?.Arn as string;
  const ruleArn = `arn:aws:events:us-east-1:${learner.accountId}:rule/high-value-orders`;
  const policy = {
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: ["events:DescribeRule", "events:ListTargetsByRule"], Resource: ruleArn },
      { Effect: "Allow", Action: "events:TestEventPattern", Resource: "*" },
    ],
  };
  await iam.send(new PutRolePolicyCommand({ RoleName: "LabGraderRole", PolicyName: "read-rule", PolicyDocument: JSON.stringify(policy) }));
  iam.destroy();
  const sts = new STSClient(sb.clientConfig(grader));
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "grader" }));
  sts.destroy();
  const c = out.Credentials;
  asGrader = new EventBridgeClient(sb.clientConfig({ accessKeyId: c?.AccessKeyId as string, secretAccessKey: c?.SecretAccessKey as string, sessionToken: c?.SessionToken as string }));
  asLearner = new EventBridgeClient(sb.clientConfig(learner));
  await asLearner.send(new PutRuleCommand({ Name: "high-value-orders", EventPattern: PATTERN }));
  await asLearner.send(new PutRuleCommand({ Name: "other-rule", EventPattern: PATTERN }));
  await asLearner.send(new PutTargetsCommand({ Rule: "high-value-orders", Targets: [{ Id: "fn", Arn: `arn:aws:lambda:us-east-1:${learner.accountId}:function:premium-order-processor` }] }));
});

afterAll(async () => {
  asGrader?.destroy();
  asLearner?.destroy();
  await sb?.close();
});

describe("EventBridge with an assumed role", () => {
  it("reads the rule its policy names and tests patterns", async () => {
    expect((await asGrader.send(new DescribeRuleCommand({ Name: "high-value-orders" }))).State).toBe("ENABLED");
    expect((await asGrader.send(new ListTargetsByRuleCommand({ Rule: "high-value-orders" }))).Targets?.map((t) => t.Id)).toEqual(["fn"]);
    const event = JSON.stringify({ id: "1", account: learner.accountId, source: "com.myapp.orders", time: "2026-11-26T12:00:00Z", region: "us-east-1", resources: [], "detail-type": "OrderCreated", detail: { amount: 1000 } });
    expect((await asGrader.send(new TestEventPatternCommand({ EventPattern: PATTERN, Event: event }))).Result).toBe(true);
  });

  it("is refused anything else, naming the action", async () => {
    await expect(asGrader.send(new PutRuleCommand({ Name: "high-value-orders", EventPattern: PATTERN }))).rejects.toMatchObject({
      name: "AccessDeniedException",
      message: expect.stringContaining(`is not authorized to perform: events:PutRule on resource: arn:aws:events:us-east-1:${learner.accountId}:rule/high-value-orders`),
    });
    await expect(asGrader.send(new DescribeRuleCommand({ Name: "other-rule" }))).rejects.toMatchObject({
      name: expect.stringMatching(/AccessDenied/),
      message: expect.stringContaining(`events:DescribeRule on resource: arn:aws:events:us-east-1:${learner.accountId}:rule/other-rule`),
    });
  });
});
