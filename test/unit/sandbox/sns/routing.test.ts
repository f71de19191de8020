// Filter-policy routing with the lab's two subscriptions, and what each queue is sent.
import { describe, expect, it } from "vitest";
import { accessDenied, ACCOUNT, queueArn, setup } from "./harness";

const INVENTORY = JSON.stringify({ event_type: ["order_created", "order_updated"] });
const SHIPPING = JSON.stringify({ order_value: [{ numeric: [">=", 1000] }], shipping_type: ["express", "priority"] });

type Attr = { DataType: string; StringValue: string };
const order = (event: string, value: string, shipping: string, valueType = "Number"): Record<string, Attr> => ({
  event_type: { DataType: "String", StringValue: event },
  order_value: { DataType: valueType, StringValue: value },
  shipping_type: { DataType: "String", StringValue: shipping },
});

async function labSetup(options: Parameters<typeof setup>[0] = {}) {
  const t = setup(options);
  const topicArn = await t.topic();
  await t.subscribeQueue(topicArn, "inventory-updates", { FilterPolicy: INVENTORY, FilterPolicyScope: "MessageAttributes" });
  await t.subscribeQueue(topicArn, "shipping-orders", { FilterPolicy: SHIPPING });
  return { ...t, topicArn };
}

describe("SNS filter-policy routing (the lab's subscriptions)", () => {
  it.each([
    ["order_created", "1500", "express", "Number", ["inventory-updates", "shipping-orders"]],
    ["order_updated", "999", "standard", "Number", ["inventory-updates"]],
    ["order_cancelled", "1200", "priority", "Number", ["shipping-orders"]],
    ["order_cancelled", "999", "express", "Number", []],
    ["order_cancelled", "1000", "express", "Number", ["shipping-orders"]],
    ["order_cancelled", "1500", "standard", "Number", []],
    // The source material's mistake: a numeric filter never matches a String attribute.
    ["order_created", "1500", "express", "String", ["inventory-updates"]],
  ])("%s / %s (%s) / %s reaches exactly the selected queues", async (event, value, shipping, type, expected) => {
    const t = await labSetup();
    await t.call("Publish", { TopicArn: t.topicArn, Message: "{}", MessageAttributes: order(event, value, shipping, type) });
    await t.flush();
    expect(t.received().sort()).toEqual(expected);
  });

  it("answers Publish before delivering, then delivers on the next tick", async () => {
    const t = await labSetup();
    const out = await t.call("Publish", { TopicArn: t.topicArn, Message: "hi", MessageAttributes: order("order_created", "1", "x") });
    expect(out.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(t.sqs.calls).toHaveLength(0);
    await t.flush();
    expect(t.received()).toEqual(["inventory-updates"]);
  });

  it("a subscription without a filter policy gets everything; MessageBody scope filters on the JSON body", async () => {
    const t = setup();
    const topicArn = await t.topic();
    await t.subscribeQueue(topicArn, "all");
    await t.subscribeQueue(topicArn, "big", { FilterPolicy: JSON.stringify({ order: { amount: [{ numeric: [">", 100] }] } }), FilterPolicyScope: "MessageBody" });
    await t.call("Publish", { TopicArn: topicArn, Message: JSON.stringify({ order: { amount: 50 } }) });
    await t.call("Publish", { TopicArn: topicArn, Message: JSON.stringify({ order: { amount: 500 } }) });
    await t.call("Publish", { TopicArn: topicArn, Message: "not json" });
    await t.flush();
    expect(t.received().filter((q) => q === "all")).toHaveLength(3);
    expect(t.received().filter((q) => q === "big")).toHaveLength(1);
  });

  it("sends the SNS JSON envelope, as the service principal of the topic, to the queue's account", async () => {
    const t = await labSetup();
    await t.call("Publish", { TopicArn: t.topicArn, Subject: "New order", Message: '{"orderId":"o-1"}', MessageAttributes: order("order_created", "1500", "express") });
    await t.flush();
    const call = t.sqs.calls.find((c) => String(c.input.QueueUrl).endsWith("/inventory-updates"));
    expect(call?.input.QueueUrl).toBe(`http://sqs.internal/${ACCOUNT}/inventory-updates`);
    expect(call?.input.MessageAttributes).toBeUndefined();
    expect(call?.ctx).toMatchObject({
      accountId: ACCOUNT,
      region: "us-east-1",
      principal: { kind: "service", service: "sns.amazonaws.com", accountId: ACCOUNT, sourceArn: t.topicArn },
    });
    const body = JSON.parse(String(call?.input.MessageBody)) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual([
      "Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp", "SignatureVersion", "Signature", "SigningCertURL", "UnsubscribeURL", "MessageAttributes",
    ]);
    expect(body).toMatchObject({
      Type: "Notification",
      TopicArn: t.topicArn,
      Subject: "New order",
      Message: '{"orderId":"o-1"}',
      SignatureVersion: "1",
      MessageAttributes: { order_value: { Type: "Number", Value: "1500" }, event_type: { Type: "String", Value: "order_created" } },
    });
    expect(body.Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(String(body.UnsubscribeURL)).toContain("Action=Unsubscribe");
  });

  it("raw delivery sends the message itself, with the attributes as SQS message attributes", async () => {
    const t = setup();
    const topicArn = await t.topic();
    await t.subscribeQueue(topicArn, "raw", { RawMessageDelivery: "true" });
    await t.call("Publish", {
      TopicArn: topicArn,
      Message: "plain text",
      MessageAttributes: { a: { DataType: "String", StringValue: "x" }, b: { DataType: "Binary", BinaryValue: new Uint8Array([1, 2, 3]) } },
    });
    await t.flush();
    expect(t.sqs.calls[0]?.input).toEqual({
      QueueUrl: `http://sqs.internal/${ACCOUNT}/raw`,
      MessageBody: "plain text",
      MessageAttributes: { a: { DataType: "String", StringValue: "x" }, b: { DataType: "Binary", BinaryValue: "AQID" } },
    });
  });

  it("MessageStructure json sends each protocol its own text, default otherwise", async () => {
    const t = setup();
    const topicArn = await t.topic();
    await t.subscribeQueue(topicArn, "q", { RawMessageDelivery: "true" });
    await t.call("Subscribe", { TopicArn: topicArn, Protocol: "lambda", Endpoint: "arn:aws:lambda:us-east-1:000000000000:function:f" });
    await t.call("Publish", { TopicArn: topicArn, MessageStructure: "json", Message: JSON.stringify({ default: "d", sqs: "for sqs" }) });
    await t.flush();
    expect(t.sqs.calls[0]?.input.MessageBody).toBe("for sqs");
    const event = JSON.parse(String(t.lambda.calls[0]?.input.Payload)) as { Records: [{ Sns: { Message: string } }] };
    expect(event.Records[0].Sns.Message).toBe("d");
  });

  it("a queue whose policy refuses the topic gets nothing, is not retried, and the other queues still get theirs", async () => {
    const t = await labSetup({ refuse: (r) => (String(r.input.QueueUrl).endsWith("/shipping-orders") ? accessDenied() : undefined) });
    await t.call("Publish", { TopicArn: t.topicArn, Message: "{}", MessageAttributes: order("order_created", "1500", "express") });
    await t.flush();
    await t.flush(60_000);
    expect(t.received()).toEqual(["inventory-updates"]);
    expect(t.sqs.refused).toHaveLength(1);
    expect(t.sns.deliveries.pending()).toBe(0);
  });

  it("a refused message goes to the subscription's dead-letter queue when it has one", async () => {
    const t = setup({ refuse: (r) => (String(r.input.QueueUrl).endsWith("/locked") ? accessDenied() : undefined) });
    const topicArn = await t.topic();
    await t.subscribeQueue(topicArn, "locked", { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn("sub-dlq") }) });
    await t.call("Publish", { TopicArn: topicArn, Message: "m" });
    await t.flush();
    expect(t.received()).toEqual(["sub-dlq"]);
  });

  it("a failing SQS call (not a 4xx) is retried with backoff, then given up", async () => {
    let failures = 2;
    const t = setup({ refuse: () => (failures-- > 0 ? new Error("socket hang up") : undefined) });
    const topicArn = await t.topic();
    await t.subscribeQueue(topicArn, "flaky");
    await t.call("Publish", { TopicArn: topicArn, Message: "m" });
    await t.flush();
    expect(t.sqs.calls).toHaveLength(0);
    await t.flush(1000);
    expect(t.sqs.calls).toHaveLength(0);
    await t.flush(2000);
    expect(t.received()).toEqual(["flaky"]);
    expect(t.sns.deliveries.pending()).toBe(0);
  });

  it("delivers to Lambda the SNS event, as sns.amazonaws.com with the topic as source", async () => {
    const t = setup();
    const topicArn = await t.topic();
    const fn = "arn:aws:lambda:us-east-1:000000000000:function:premium-order-processor";
    const sub = (await t.call("Subscribe", { TopicArn: topicArn, Protocol: "lambda", Endpoint: fn })).SubscriptionArn;
    await t.call("Publish", { TopicArn: topicArn, Message: "hello", MessageAttributes: { k: { DataType: "String", StringValue: "v" } } });
    await t.flush();
    const c = t.lambda.calls[0];
    expect(c?.input).toMatchObject({ FunctionName: fn, InvocationType: "Event" });
    expect(c?.ctx.principal).toMatchObject({ kind: "service", service: "sns.amazonaws.com", sourceArn: topicArn });
    expect(JSON.parse(String(c?.input.Payload))).toMatchObject({
      Records: [
        {
          EventSource: "aws:sns",
          EventVersion: "1.0",
          EventSubscriptionArn: sub,
          Sns: { Type: "Notification", TopicArn: topicArn, Subject: null, Message: "hello", MessageAttributes: { k: { Type: "String", Value: "v" } } },
        },
      ],
    });
  });
});
