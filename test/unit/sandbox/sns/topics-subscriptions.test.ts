// Topic and subscription lifecycle, FIFO topics, topic policies and account reset.
import { describe, expect, it } from "vitest";
import { ACCOUNT, queueArn, rejection, setup } from "./harness";

describe("SNS topics and subscriptions", () => {
  it("GetTopicAttributes has AWS's defaults and counts subscriptions", async () => {
    const t = setup();
    const TopicArn = await t.topic();
    await t.subscribeQueue(TopicArn, "q");
    await t.call("Subscribe", { TopicArn, Protocol: "email", Endpoint: "someone@example.com" });
    const a = (await t.call("GetTopicAttributes", { TopicArn })).Attributes as Record<string, string>;
    expect(a).toMatchObject({ TopicArn, Owner: ACCOUNT, DisplayName: "", SubscriptionsConfirmed: "1", SubscriptionsPending: "1", SubscriptionsDeleted: "0" });
    expect(JSON.parse(a.Policy ?? "")).toMatchObject({ Id: "__default_policy_ID", Statement: [{ Resource: TopicArn, Condition: { StringEquals: { "AWS:SourceOwner": ACCOUNT } } }] });
    expect(a.FifoTopic).toBeUndefined();
    await t.call("SetTopicAttributes", { TopicArn, AttributeName: "DisplayName", AttributeValue: "Orders" });
    expect(((await t.call("GetTopicAttributes", { TopicArn })).Attributes as Record<string, string>).DisplayName).toBe("Orders");
    expect(await rejection(t.call("SetTopicAttributes", { TopicArn, AttributeName: "FifoTopic", AttributeValue: "true" }))).toMatchObject({
      message: "Invalid parameter: AttributeName",
    });
    expect(await rejection(t.call("SetTopicAttributes", { TopicArn, AttributeName: "Policy", AttributeValue: "{" }))).toMatchObject({ code: "InvalidParameter" });
  });

  it("Subscribe returns the existing subscription for the same endpoint; different attributes are refused", async () => {
    const t = setup();
    const TopicArn = await t.topic();
    const a = await t.subscribeQueue(TopicArn, "q", { RawMessageDelivery: "true" });
    expect(await t.subscribeQueue(TopicArn, "q", { RawMessageDelivery: "true" })).toBe(a);
    expect(await rejection(t.call("Subscribe", { TopicArn, Protocol: "sqs", Endpoint: queueArn("q"), Attributes: { RawMessageDelivery: "false" } }))).toMatchObject({
      message: "Invalid parameter: Attributes Reason: Subscription already exists with different attributes",
    });
    const attrs = (await t.call("GetSubscriptionAttributes", { SubscriptionArn: a })).Attributes as Record<string, string>;
    expect(attrs).toMatchObject({
      SubscriptionArn: a,
      TopicArn,
      Owner: ACCOUNT,
      Protocol: "sqs",
      Endpoint: queueArn("q"),
      PendingConfirmation: "false",
      ConfirmationWasAuthenticated: "true",
      RawMessageDelivery: "true",
    });
  });

  it("email subscriptions stay pending; ListSubscriptions shows PendingConfirmation; ReturnSubscriptionArn gives the ARN", async () => {
    const t = setup();
    const TopicArn = await t.topic();
    expect((await t.call("Subscribe", { TopicArn, Protocol: "email", Endpoint: "a@example.com" })).SubscriptionArn).toBe("pending confirmation");
    const arn = (await t.call("Subscribe", { TopicArn, Protocol: "email", Endpoint: "b@example.com", ReturnSubscriptionArn: true })).SubscriptionArn as string;
    expect(arn.startsWith(`${TopicArn}:`)).toBe(true);
    const listed = (await t.call("ListSubscriptionsByTopic", { TopicArn })).Subscriptions as Array<Record<string, string>>;
    expect(listed.map((s) => s.SubscriptionArn)).toEqual(["PendingConfirmation", "PendingConfirmation"]);
    await t.call("Publish", { TopicArn, Message: "m" });
    await t.flush();
    expect(t.sns.deliveries.pending()).toBe(0);
  });

  it("Unsubscribe and DeleteTopic remove subscriptions; ListTopics pages by 100", async () => {
    const t = setup();
    const TopicArn = await t.topic();
    const sub = await t.subscribeQueue(TopicArn, "q");
    await t.call("Unsubscribe", { SubscriptionArn: sub });
    await t.call("Unsubscribe", { SubscriptionArn: sub });
    expect(((await t.call("GetTopicAttributes", { TopicArn })).Attributes as Record<string, string>).SubscriptionsDeleted).toBe("1");
    await t.subscribeQueue(TopicArn, "q2");
    await t.call("DeleteTopic", { TopicArn });
    expect((await t.call("ListSubscriptions", {})).Subscriptions).toEqual([]);
    for (let i = 0; i < 120; i++) await t.topic(`t-${String(i).padStart(3, "0")}`);
    const first = await t.call("ListTopics", {});
    expect((first.Topics as unknown[]).length).toBe(100);
    const second = await t.call("ListTopics", { NextToken: first.NextToken });
    expect((second.Topics as unknown[]).length).toBe(20);
    expect(second.NextToken).toBeUndefined();
    expect(await rejection(t.call("ListTopics", { NextToken: "garbage!" }))).toMatchObject({ code: "InvalidParameter" });
  });

  it("resetAccount removes the account's topics, subscriptions and pending deliveries", async () => {
    const t = setup();
    const TopicArn = await t.topic();
    await t.subscribeQueue(TopicArn, "q");
    await t.call("Publish", { TopicArn, Message: "m" });
    t.sns.resetAccount(ACCOUNT);
    await t.flush();
    expect(t.sqs.calls).toHaveLength(0);
    expect((await t.call("ListTopics", {})).Topics).toEqual([]);
    t.restart();
    expect((await t.call("ListTopics", {})).Topics).toEqual([]);
    await t.flush();
    expect(t.sqs.calls).toHaveLength(0);
  });
});

describe("SNS FIFO topics", () => {
  it("creates FIFO topics with FifoTopic and ContentBasedDeduplication", async () => {
    const t = setup();
    const TopicArn = await t.topic("orders.fifo", { FifoTopic: "true", ContentBasedDeduplication: "true" });
    const a = (await t.call("GetTopicAttributes", { TopicArn })).Attributes as Record<string, string>;
    expect(a).toMatchObject({ FifoTopic: "true", ContentBasedDeduplication: "true" });
    const std = await t.topic("plain");
    expect(await rejection(t.call("SetTopicAttributes", { TopicArn: std, AttributeName: "ContentBasedDeduplication", AttributeValue: "true" }))).toMatchObject({
      code: "InvalidParameter",
    });
  });

  it("requires MessageGroupId and a deduplication id, numbers messages and drops duplicates", async () => {
    const t = setup();
    const TopicArn = await t.topic("orders.fifo", { FifoTopic: "true" });
    await t.subscribeQueue(TopicArn, "q.fifo");
    expect(await rejection(t.call("Publish", { TopicArn, Message: "m" }))).toMatchObject({
      message: "Invalid parameter: The MessageGroupId parameter is required for FIFO topics",
    });
    expect(await rejection(t.call("Publish", { TopicArn, Message: "m", MessageGroupId: "g" }))).toMatchObject({
      message: "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
    });
    const a = await t.call("Publish", { TopicArn, Message: "m", MessageGroupId: "g", MessageDeduplicationId: "d1" });
    const b = await t.call("Publish", { TopicArn, Message: "m", MessageGroupId: "g", MessageDeduplicationId: "d2" });
    const dup = await t.call("Publish", { TopicArn, Message: "m", MessageGroupId: "g", MessageDeduplicationId: "d1" });
    expect(a.SequenceNumber).toMatch(/^\d{20}$/);
    expect(BigInt(String(b.SequenceNumber))).toBeGreaterThan(BigInt(String(a.SequenceNumber)));
    expect(dup).toEqual(a);
    await t.flush();
    expect(t.sqs.calls.map((c) => [c.input.MessageGroupId, c.input.MessageDeduplicationId])).toEqual([
      ["g", "d1"],
      ["g", "d2"],
    ]);
    expect(JSON.parse(String(t.sqs.calls[0]?.input.MessageBody))).toMatchObject({ SequenceNumber: a.SequenceNumber });
    // After five minutes the id may be used again.
    await t.flush(5 * 60 * 1000 + 1);
    const later = await t.call("Publish", { TopicArn, Message: "m", MessageGroupId: "g", MessageDeduplicationId: "d1" }, t.ctx());
    expect(later.MessageId).not.toBe(a.MessageId);
  });

  it("only FIFO queues subscribe to FIFO topics; PublishBatch numbers each entry", async () => {
    const t = setup();
    const TopicArn = await t.topic("orders.fifo", { FifoTopic: "true", ContentBasedDeduplication: "true" });
    expect(await rejection(t.call("Subscribe", { TopicArn, Protocol: "sqs", Endpoint: queueArn("std") }))).toMatchObject({ code: "InvalidParameter" });
    expect(await rejection(t.call("Subscribe", { TopicArn, Protocol: "lambda", Endpoint: "arn:aws:lambda:us-east-1:000000000000:function:f" }))).toMatchObject({
      code: "InvalidParameter",
    });
    const out = await t.call("PublishBatch", {
      TopicArn,
      PublishBatchRequestEntries: [
        { Id: "1", Message: "a", MessageGroupId: "g" },
        { Id: "2", Message: "b", MessageGroupId: "g" },
        { Id: "3", Message: "c" },
      ],
    });
    const ok = out.Successful as Array<{ SequenceNumber: string }>;
    expect(ok).toHaveLength(2);
    expect(BigInt(ok[1]?.SequenceNumber ?? "0")).toBeGreaterThan(BigInt(ok[0]?.SequenceNumber ?? "0"));
    expect(out.Failed).toEqual([{ Id: "3", Code: "InvalidParameter", Message: "Invalid parameter: The MessageGroupId parameter is required for FIFO topics", SenderFault: true }]);
  });
});

describe("SNS topic policy", () => {
  const OTHER = "111111111111";

  it("another account may not publish unless the topic policy allows it", async () => {
    const t = setup();
    const TopicArn = await t.topic();
    expect(await rejection(t.call("Publish", { TopicArn, Message: "m" }, t.ctx(OTHER)))).toMatchObject({ code: "AuthorizationError", status: 403 });
    const policy = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: "sns:Publish", Resource: TopicArn }],
    };
    await t.call("SetTopicAttributes", { TopicArn, AttributeName: "Policy", AttributeValue: JSON.stringify(policy) });
    expect(await t.call("Publish", { TopicArn, Message: "m" }, t.ctx(OTHER))).toHaveProperty("MessageId");
  });

  it("EventBridge may publish only when the topic policy allows events.amazonaws.com", async () => {
    const t = setup();
    const TopicArn = await t.topic();
    const ruleArn = `arn:aws:events:us-east-1:${ACCOUNT}:rule/r`;
    const ctx = { ...t.ctx(), principal: { kind: "service" as const, accountId: ACCOUNT, service: "events.amazonaws.com", arn: "events.amazonaws.com", sourceArn: ruleArn } };
    expect(await rejection(t.call("Publish", { TopicArn, Message: "m" }, ctx))).toMatchObject({ code: "AuthorizationError" });
    const policy = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sns:Publish", Resource: TopicArn }],
    };
    await t.call("SetTopicAttributes", { TopicArn, AttributeName: "Policy", AttributeValue: JSON.stringify(policy) });
    expect(await t.call("Publish", { TopicArn, Message: "m" }, ctx)).toHaveProperty("MessageId");
  });
});
