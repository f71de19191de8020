// SNS's one rule for references (sandbox/services/sns/access.ts): topics and subscriptions of
// another account only as AWS allows, ARNs of AWS's grammar and of the request's region, roles
// handed to SNS of the topic's account, and a queue of another account confirming before it
// receives anything.
import { describe, expect, it } from "vitest";
import type { RequestContext } from "@/sandbox/core/contracts";
import { ACCOUNT, queueArn, rejection, REGION, setup } from "./harness";

const OTHER = "111111111111";

function allowOther(topicArn: string, actions: string[]) {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: actions, Resource: topicArn }],
  });
}

describe("SNS topic references across accounts", () => {
  it("never lets another account tag or untag a topic, whatever the topic policy says", async () => {
    const t = setup();
    const TopicArn = await t.topic("shared");
    await t.call("SetTopicAttributes", { TopicArn, AttributeName: "Policy", AttributeValue: allowOther(TopicArn, ["SNS:*"]) });
    for (const [op, input] of [
      ["TagResource", { ResourceArn: TopicArn, Tags: [{ Key: "k", Value: "v" }] }],
      ["UntagResource", { ResourceArn: TopicArn, TagKeys: ["k"] }],
    ] as const) {
      expect(await rejection(t.call(op, input, t.ctx(OTHER)))).toMatchObject({ code: "AuthorizationError", status: 403 });
    }
    // A topic policy may grant ListTagsForResource and Publish.
    expect(await t.call("ListTagsForResource", { ResourceArn: TopicArn }, t.ctx(OTHER))).toEqual({ Tags: [] });
    expect((await t.call("Publish", { TopicArn, Message: "m" }, t.ctx(OTHER))).MessageId).toBeDefined();
  });

  it("refuses ARNs of another region or outside AWS's grammar with InvalidParameter, tagging APIs included", async () => {
    const t = setup();
    const TopicArn = await t.topic("orders");
    const elsewhere = TopicArn.replace(REGION, "eu-west-1");
    const traversal = TopicArn.replace(REGION, "..");
    for (const arn of [elsewhere, traversal]) {
      expect(await rejection(t.call("GetTopicAttributes", { TopicArn: arn }))).toMatchObject({ code: "InvalidParameter" });
      expect(await rejection(t.call("ListTagsForResource", { ResourceArn: arn }))).toMatchObject({ code: "InvalidParameter" });
      expect(await rejection(t.call("Unsubscribe", { SubscriptionArn: `${arn}:0b5c6bd1-7d43-4a21-9b4f-1b0f3c8d0e11` }))).toMatchObject({ code: "InvalidParameter" });
    }
  });

  it("lets only the subscriber's and the topic's accounts read or change a subscription, naming the action", async () => {
    const t = setup();
    const TopicArn = await t.topic("orders");
    const sub = await t.subscribeQueue(TopicArn, "mine");
    const err = await rejection(t.call("GetSubscriptionAttributes", { SubscriptionArn: sub }, t.ctx(OTHER)));
    expect(err).toMatchObject({ code: "AuthorizationError", status: 403 });
    expect(err.message).toBe(`User: arn:aws:iam::${OTHER}:root is not authorized to perform: SNS:GetSubscriptionAttributes on resource: ${sub}`);
  });
});

describe("roles handed to SNS", () => {
  it("takes a delivery-status role only of the caller's and the topic's account", async () => {
    const t = setup();
    const TopicArn = await t.topic("orders");
    const own = `arn:aws:iam::${ACCOUNT}:role/sns-feedback`;
    await t.call("SetTopicAttributes", { TopicArn, AttributeName: "SQSFailureFeedbackRoleArn", AttributeValue: own });
    const foreign = await rejection(
      t.call("SetTopicAttributes", { TopicArn, AttributeName: "SQSFailureFeedbackRoleArn", AttributeValue: `arn:aws:iam::${OTHER}:role/sns-feedback` }),
    );
    expect(foreign).toMatchObject({ code: "AuthorizationError", status: 403 });
    expect(foreign.message).toContain(`iam:PassRole on resource: arn:aws:iam::${OTHER}:role/sns-feedback`);
    const created = await rejection(t.call("CreateTopic", { Name: "other", Attributes: { LambdaSuccessFeedbackRoleArn: `arn:aws:iam::${OTHER}:role/r` } }));
    expect(created).toMatchObject({ code: "AuthorizationError" });
    expect(await rejection(t.call("SetTopicAttributes", { TopicArn, AttributeName: "HTTPSuccessFeedbackRoleArn", AttributeValue: "not-a-role" }))).toMatchObject({
      code: "InvalidParameter",
    });
  });

  it("takes a subscription role only of the topic's account", async () => {
    const t = setup();
    const TopicArn = await t.topic("orders");
    const sub = await t.subscribeQueue(TopicArn, "mine");
    const err = await rejection(
      t.call("SetSubscriptionAttributes", { SubscriptionArn: sub, AttributeName: "SubscriptionRoleArn", AttributeValue: `arn:aws:iam::${OTHER}:role/firehose` }),
    );
    expect(err).toMatchObject({ code: "AuthorizationError" });
    await t.call("SetSubscriptionAttributes", { SubscriptionArn: sub, AttributeName: "SubscriptionRoleArn", AttributeValue: `arn:aws:iam::${ACCOUNT}:role/firehose` });
  });
});

describe("a queue of another account", () => {
  it("is subscribed pending confirmation, gets the SubscriptionConfirmation as the topic, and then the messages", async () => {
    const t = setup();
    const TopicArn = await t.topic("orders");
    const theirs = queueArn("inbox", OTHER);
    const out = await t.call("Subscribe", { TopicArn, Protocol: "sqs", Endpoint: theirs, ReturnSubscriptionArn: true });
    const arn = out.SubscriptionArn as string;
    expect((await t.call("GetSubscriptionAttributes", { SubscriptionArn: arn })).Attributes).toMatchObject({ PendingConfirmation: "true" });
    await t.flush();
    expect(t.sqs.calls).toHaveLength(1);
    const delivered = t.sqs.calls[0]!;
    expect(delivered.ctx.principal).toMatchObject({ kind: "service", service: "sns.amazonaws.com", accountId: ACCOUNT, sourceArn: TopicArn });
    expect(delivered.ctx.accountId).toBe(OTHER);
    const confirmation = JSON.parse(String(delivered.input.MessageBody)) as { Type: string; Token: string; TopicArn: string };
    expect(confirmation).toMatchObject({ Type: "SubscriptionConfirmation", TopicArn });

    await t.call("Publish", { TopicArn, Message: "before" });
    await t.flush();
    expect(t.sqs.calls).toHaveLength(1); // nothing reaches an unconfirmed subscription

    const other: RequestContext = t.ctx(OTHER);
    await t.call("ConfirmSubscription", { TopicArn, Token: confirmation.Token }, other);
    await t.call("Publish", { TopicArn, Message: "after" });
    await t.flush();
    expect(t.sqs.calls).toHaveLength(2);
    expect(JSON.parse(String(t.sqs.calls[1]!.input.MessageBody))).toMatchObject({ Type: "Notification", Message: "after" });
  });

  it("subscribed by its own account is confirmed at once", async () => {
    const t = setup();
    const TopicArn = await t.topic("orders");
    await t.call("SetTopicAttributes", { TopicArn, AttributeName: "Policy", AttributeValue: allowOther(TopicArn, ["SNS:Subscribe"]) });
    const out = await t.call("Subscribe", { TopicArn, Protocol: "sqs", Endpoint: queueArn("inbox", OTHER) }, t.ctx(OTHER));
    expect(out.SubscriptionArn).toMatch(/^arn:aws:sns:/);
  });
});
