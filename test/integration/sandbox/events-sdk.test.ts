// EventBridge over the wire with the AWS SDK v3 (JSON 1.1): the lab's high-value-orders rule with
// an SQS target whose queue policy admits EventBridge for that rule only; a queue without such a
// policy gets nothing, as on AWS. TestEventPattern and errors answer with AWS's codes and texts.
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TagResourceCommand,
  TestEventPatternCommand,
} from "@aws-sdk/client-eventbridge";
import { CreateTopicCommand, SetTopicAttributesCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSandbox } from "@/test/support/sandbox";
import type { TestSandbox } from "@/test/support/sandbox";

const PATTERN = JSON.stringify({
  source: ["com.myapp.orders"],
  "detail-type": ["OrderCreated"],
  detail: { amount: [{ numeric: [">=", 1000] }] },
});

let sandbox: TestSandbox;
let events: EventBridgeClient;
let sqs: SQSClient;
let sns: SNSClient;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  events = new EventBridgeClient(sandbox.clientConfig());
  sqs = new SQSClient(sandbox.clientConfig());
  sns = new SNSClient(sandbox.clientConfig());
});

afterAll(async () => {
  events?.destroy();
  sqs?.destroy();
  sns?.destroy();
  await sandbox?.close();
});

async function queue(name: string, policy?: (arn: string) => unknown): Promise<{ url: string; arn: string }> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl as string;
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes?.QueueArn as string;
  if (policy) {
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: JSON.stringify(policy(arn)) } }));
  }
  return { url, arn };
}

/** Receives until `count` messages arrived or the time is up. */
async function drain(url: string, count: number, ms = 5_000): Promise<string[]> {
  const bodies: string[] = [];
  const until = Date.now() + ms;
  while (bodies.length < count && Date.now() < until) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    for (const m of out.Messages ?? []) bodies.push(m.Body as string);
  }
  return bodies;
}

const order = (amount: number, source = "com.myapp.orders") => ({
  Source: source,
  DetailType: "OrderCreated",
  Detail: JSON.stringify({ orderId: `o-${amount}`, amount, status: "confirmed" }),
  EventBusName: "default",
});

describe("EventBridge with the SDK", () => {
  it("routes only the high-value event to the SQS target its queue policy admits", { timeout: 60_000 }, async () => {
    const { RuleArn } = await events.send(new PutRuleCommand({ Name: "high-value-orders", EventBusName: "default", EventPattern: PATTERN, State: "ENABLED" }));
    expect(RuleArn).toBe("arn:aws:events:us-east-1:000000000000:rule/high-value-orders");
    const allowed = await queue("sdk-high-value", (arn) => ({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "events.amazonaws.com" },
          Action: "sqs:SendMessage",
          Resource: arn,
          Condition: { ArnEquals: { "aws:SourceArn": RuleArn } },
        },
      ],
    }));
    const closed = await queue("sdk-no-policy");
    const put = await events.send(
      new PutTargetsCommand({
        Rule: "high-value-orders",
        Targets: [
          { Id: "allowed", Arn: allowed.arn },
          { Id: "closed", Arn: closed.arn },
        ],
      }),
    );
    expect(put.FailedEntryCount).toBe(0);

    const sent = await events.send(new PutEventsCommand({ Entries: [order(999), order(1500), order(5000, "com.other")] }));
    expect(sent.FailedEntryCount).toBe(0);
    expect(sent.Entries?.every((e) => typeof e.EventId === "string")).toBe(true);

    const bodies = await drain(allowed.url, 1);
    expect(bodies).toHaveLength(1);
    const event = JSON.parse(bodies[0] as string) as Record<string, unknown>;
    expect(event).toMatchObject({ version: "0", id: sent.Entries?.[1]?.EventId, source: "com.myapp.orders", "detail-type": "OrderCreated", account: "000000000000", region: "us-east-1", detail: { amount: 1500 } });
    // Nothing else arrives: not the 999 order, not the other source; and nothing for the queue without a policy.
    expect(await drain(allowed.url, 1, 1_500)).toEqual([]);
    expect(await drain(closed.url, 1, 1_500)).toEqual([]);

    const described = await events.send(new DescribeRuleCommand({ Name: "high-value-orders" }));
    expect(described).toMatchObject({ Name: "high-value-orders", Arn: RuleArn, State: "ENABLED", EventPattern: PATTERN, EventBusName: "default" });
    const targets = await events.send(new ListTargetsByRuleCommand({ Rule: "high-value-orders" }));
    expect(targets.Targets?.map((t) => t.Id)).toEqual(["allowed", "closed"]);
    expect((await events.send(new ListRulesCommand({ NamePrefix: "high" }))).Rules?.map((r) => r.Name)).toEqual(["high-value-orders"]);
  });

  it("delivers through an InputTransformer", { timeout: 30_000 }, async () => {
    const { RuleArn } = await events.send(new PutRuleCommand({ Name: "sdk-transform", EventPattern: JSON.stringify({ source: ["com.sdk.transform"] }) }));
    const q = await queue("sdk-transformed", (arn) => ({
      Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sqs:SendMessage", Resource: arn, Condition: { ArnEquals: { "aws:SourceArn": RuleArn } } }],
    }));
    await events.send(
      new PutTargetsCommand({
        Rule: "sdk-transform",
        Targets: [{ Id: "t", Arn: q.arn, InputTransformer: { InputPathsMap: { id: "$.detail.orderId" }, InputTemplate: '{"order": <id>, "rule": <aws.events.rule-name>}' } }],
      }),
    );
    await events.send(new PutEventsCommand({ Entries: [{ Source: "com.sdk.transform", DetailType: "x", Detail: '{"orderId":"o-7"}' }] }));
    const [body] = await drain(q.url, 1);
    expect(JSON.parse(body as string)).toEqual({ order: "o-7", rule: "sdk-transform" });
  });

  it("publishes to an SNS target only when the topic policy names events.amazonaws.com", { timeout: 30_000 }, async () => {
    const { RuleArn } = await events.send(new PutRuleCommand({ Name: "sdk-to-sns", EventPattern: JSON.stringify({ source: ["com.sdk.sns"] }) }));
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: "sdk-order-alerts" }))).TopicArn as string;
    const q = await queue("sdk-alerts-inbox", (arn) => ({
      Statement: [{ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: arn, Condition: { ArnEquals: { "aws:SourceArn": topicArn } } }],
    }));
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: q.arn, Attributes: { RawMessageDelivery: "true" } }));
    await events.send(new PutTargetsCommand({ Rule: "sdk-to-sns", Targets: [{ Id: "topic", Arn: topicArn }] }));
    const publish = (n: number) => events.send(new PutEventsCommand({ Entries: [{ Source: "com.sdk.sns", DetailType: "x", Detail: JSON.stringify({ n }) }] }));

    // The default topic policy admits only the owner's account, which EventBridge does not prove.
    await publish(1);
    expect(await drain(q.url, 1, 1_500)).toEqual([]);

    const policy = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sns:Publish", Resource: topicArn, Condition: { ArnEquals: { "aws:SourceArn": RuleArn } } }],
    };
    await sns.send(new SetTopicAttributesCommand({ TopicArn: topicArn, AttributeName: "Policy", AttributeValue: JSON.stringify(policy) }));
    await publish(2);
    const [body] = await drain(q.url, 1);
    expect(JSON.parse(body as string)).toMatchObject({ source: "com.sdk.sns", detail: { n: 2 } });
  });

  it("TestEventPattern answers like AWS", async () => {
    const evt = (amount: number) =>
      JSON.stringify({ id: "1", account: "000000000000", source: "com.myapp.orders", time: "2026-11-26T12:00:00Z", region: "us-east-1", resources: [], "detail-type": "OrderCreated", detail: { amount } });
    expect((await events.send(new TestEventPatternCommand({ EventPattern: PATTERN, Event: evt(1000) }))).Result).toBe(true);
    expect((await events.send(new TestEventPatternCommand({ EventPattern: PATTERN, Event: evt(999) }))).Result).toBe(false);
    await expect(events.send(new TestEventPatternCommand({ EventPattern: '{"source": "not-a-list"}', Event: evt(1) }))).rejects.toMatchObject({
      name: "InvalidEventPatternException",
      message: expect.stringMatching(/^Event pattern is not valid\. Reason: /),
      $metadata: { httpStatusCode: 400 },
    });
    await expect(events.send(new TestEventPatternCommand({ EventPattern: PATTERN, Event: "{}" }))).rejects.toMatchObject({
      name: "ValidationException",
      message: "Parameter Event is not valid.",
    });
  });

  it("manages buses, tags and pages of rules", async () => {
    const { EventBusArn } = await events.send(new CreateEventBusCommand({ Name: "sdk-orders-bus", Description: "orders", Tags: [{ Key: "team", Value: "shop" }] }));
    expect(EventBusArn).toBe("arn:aws:events:us-east-1:000000000000:event-bus/sdk-orders-bus");
    const described = await events.send(new DescribeEventBusCommand({ Name: EventBusArn }));
    expect(described).toMatchObject({ Name: "sdk-orders-bus", Arn: EventBusArn, Description: "orders" });
    expect(described.CreationTime).toBeInstanceOf(Date);
    expect(Math.abs((described.CreationTime as Date).getTime() - Date.now())).toBeLessThan(60_000);
    const names = (await events.send(new ListEventBusesCommand({ NamePrefix: "sdk-orders" }))).EventBuses?.map((b) => b.Name);
    expect(names).toEqual(["sdk-orders-bus"]);
    expect((await events.send(new ListTagsForResourceCommand({ ResourceARN: EventBusArn }))).Tags).toEqual([{ Key: "team", Value: "shop" }]);

    const arns: string[] = [];
    for (const n of ["p1", "p2", "p3"]) {
      arns.push((await events.send(new PutRuleCommand({ Name: n, EventBusName: "sdk-orders-bus", EventPattern: '{"source":["x"]}' }))).RuleArn as string);
    }
    expect(arns[0]).toBe("arn:aws:events:us-east-1:000000000000:rule/sdk-orders-bus/p1");
    await events.send(new TagResourceCommand({ ResourceARN: arns[0], Tags: [{ Key: "k", Value: "v" }] }));
    expect((await events.send(new ListTagsForResourceCommand({ ResourceARN: arns[0] }))).Tags).toEqual([{ Key: "k", Value: "v" }]);
    const first = await events.send(new ListRulesCommand({ EventBusName: "sdk-orders-bus", Limit: 2 }));
    expect(first.Rules?.map((r) => r.Name)).toEqual(["p1", "p2"]);
    const second = await events.send(new ListRulesCommand({ EventBusName: "sdk-orders-bus", Limit: 2, NextToken: first.NextToken }));
    expect(second.Rules?.map((r) => r.Name)).toEqual(["p3"]);
    expect(second.NextToken).toBeUndefined();
    await events.send(new DeleteEventBusCommand({ Name: "sdk-orders-bus" }));
    await expect(events.send(new DescribeEventBusCommand({ Name: "sdk-orders-bus" }))).rejects.toMatchObject({ name: "ResourceNotFoundException" });
  });

  it("answers errors with AWS's codes and messages", async () => {
    await expect(events.send(new DescribeRuleCommand({ Name: "nope" }))).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      message: "Rule nope does not exist on EventBus default.",
    });
    await expect(events.send(new PutRuleCommand({ Name: "bad-schedule", ScheduleExpression: "rate(5 minute)" }))).rejects.toMatchObject({
      name: "ValidationException",
      message: "Parameter ScheduleExpression is not valid.",
    });
    await events.send(new PutRuleCommand({ Name: "with-target", EventPattern: '{"source":["x"]}' }));
    await events.send(new PutTargetsCommand({ Rule: "with-target", Targets: [{ Id: "q", Arn: "arn:aws:sqs:us-east-1:000000000000:whatever" }] }));
    await expect(events.send(new DeleteRuleCommand({ Name: "with-target" }))).rejects.toMatchObject({
      name: "ValidationException",
      message: "Rule can't be deleted since it has targets.",
    });
    await events.send(new RemoveTargetsCommand({ Rule: "with-target", Ids: ["q"] }));
    await events.send(new DeleteRuleCommand({ Name: "with-target" }));
    await events.send(new CreateEventBusCommand({ Name: "sdk-bus" }));
    await expect(events.send(new CreateEventBusCommand({ Name: "sdk-bus" }))).rejects.toMatchObject({
      name: "ResourceAlreadyExistsException",
      message: "Event bus sdk-bus already exists.",
    });
    await expect(
      events.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => order(1)) })),
    ).rejects.toMatchObject({ name: "ValidationException" });
  });
});
