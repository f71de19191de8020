// EventBridge across a SIGKILL: a rule, its targets and an event accepted by PutEvents just before
// the kill are all there after a restart on the same data, and the event reaches its queue once.
import { EventBridgeClient, DescribeRuleCommand, ListTargetsByRuleCommand, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { spawnSandboxProcess, type SandboxProcess } from "@/test/support/sandbox";

const PATTERN = JSON.stringify({ source: ["com.myapp.orders"], "detail-type": ["OrderCreated"], detail: { amount: [{ numeric: [">=", 1000] }] } });

let proc: SandboxProcess | undefined;

afterAll(async () => {
  await proc?.kill();
  if (proc) fs.rmSync(proc.dataDir, { recursive: true, force: true });
});

describe("EventBridge durability", () => {
  it("keeps rules, targets and accepted events through SIGKILL", { timeout: 120_000 }, async () => {
    proc = await spawnSandboxProcess();
    let events = new EventBridgeClient(proc.clientConfig());
    let sqs = new SQSClient(proc.clientConfig());
    const { RuleArn } = await events.send(new PutRuleCommand({ Name: "high-value-orders", EventPattern: PATTERN }));
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: "restart-premium" }))).QueueUrl as string;
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes?.QueueArn as string;
    const policy = { Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sqs:SendMessage", Resource: arn, Condition: { ArnEquals: { "aws:SourceArn": RuleArn } } }] };
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: JSON.stringify(policy) } }));
    await events.send(new PutTargetsCommand({ Rule: "high-value-orders", Targets: [{ Id: "premium", Arn: arn }] }));
    const sent = await events.send(
      new PutEventsCommand({ Entries: [{ Source: "com.myapp.orders", DetailType: "OrderCreated", Detail: JSON.stringify({ orderId: "o-1", amount: 4200 }) }] }),
    );
    expect(sent.FailedEntryCount).toBe(0);
    await proc.kill("SIGKILL");
    events.destroy();
    sqs.destroy();

    proc = await spawnSandboxProcess({ dataDir: proc.dataDir });
    events = new EventBridgeClient(proc.clientConfig());
    sqs = new SQSClient(proc.clientConfig());
    try {
      expect(await events.send(new DescribeRuleCommand({ Name: "high-value-orders" }))).toMatchObject({ Arn: RuleArn, EventPattern: PATTERN, State: "ENABLED" });
      expect((await events.send(new ListTargetsByRuleCommand({ Rule: "high-value-orders" }))).Targets).toEqual([{ Id: "premium", Arn: arn }]);
      const bodies: string[] = [];
      for (let i = 0; i < 4; i++) {
        const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 60 }));
        for (const m of out.Messages ?? []) bodies.push(m.Body as string);
      }
      expect(bodies).toHaveLength(1);
      expect(JSON.parse(bodies[0] as string)).toMatchObject({ id: sent.Entries?.[0]?.EventId, detail: { amount: 4200 } });
    } finally {
      events.destroy();
      sqs.destroy();
    }
  });
});
