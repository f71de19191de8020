// SNS's answers to bad input: the error codes and texts AWS gives.
import { describe, expect, it } from "vitest";
import { queueArn, rejection, setup } from "./harness";

describe("SNS validation", () => {
  it("refuses bad topic names, and FIFO names without .fifo", async () => {
    const t = setup();
    expect(await rejection(t.call("CreateTopic", { Name: "bad name" }))).toMatchObject({ code: "InvalidParameter", status: 400, message: "Invalid parameter: Topic Name" });
    expect(await rejection(t.call("CreateTopic", { Name: "x".repeat(257) }))).toMatchObject({ code: "InvalidParameter" });
    expect(await rejection(t.call("CreateTopic", { Name: "orders.fifo" }))).toMatchObject({ message: "Invalid parameter: Topic Name" });
    expect(await rejection(t.call("CreateTopic", { Name: "orders", Attributes: { FifoTopic: "true" } }))).toMatchObject({
      code: "InvalidParameter",
      message: expect.stringMatching(/^Invalid parameter: Fifo Topic names must end with \.fifo/),
    });
    expect(await rejection(t.call("CreateTopic", {}))).toMatchObject({ code: "ValidationError" });
  });

  it("CreateTopic is idempotent by name, and refuses different attributes", async () => {
    const t = setup();
    const a = await t.topic("orders", { DisplayName: "Orders" });
    expect(await t.topic("orders")).toBe(a);
    expect(await t.topic("orders", { DisplayName: "Orders" })).toBe(a);
    expect(await rejection(t.call("CreateTopic", { Name: "orders", Attributes: { DisplayName: "Other" } }))).toMatchObject({
      message: "Invalid parameter: Attributes Reason: Topic already exists with different attributes",
    });
  });

  it("answers NotFound for a topic that does not exist", async () => {
    const t = setup();
    const arn = "arn:aws:sns:us-east-1:000000000000:nope";
    for (const [op, input] of [
      ["Publish", { TopicArn: arn, Message: "m" }],
      ["GetTopicAttributes", { TopicArn: arn }],
      ["Subscribe", { TopicArn: arn, Protocol: "sqs", Endpoint: queueArn("q") }],
      ["ListSubscriptionsByTopic", { TopicArn: arn }],
    ] as const) {
      expect(await rejection(t.call(op, input))).toMatchObject({ code: "NotFound", status: 404, message: "Topic does not exist" });
    }
    expect(await rejection(t.call("Publish", { TopicArn: "not-an-arn", Message: "m" }))).toMatchObject({ code: "InvalidParameter", message: "Invalid parameter: TopicArn" });
    expect(await t.call("DeleteTopic", { TopicArn: arn })).toEqual({});
  });

  it("checks Publish's message, subject, size and attributes", async () => {
    const t = setup();
    const TopicArn = await t.topic();
    const err = (input: Record<string, unknown>) => rejection(t.call("Publish", { TopicArn, Message: "m", ...input }));
    expect(await err({ Message: "" })).toMatchObject({ code: "InvalidParameter", message: "Empty message" });
    expect(await err({ Message: "x".repeat(256 * 1024 + 1) })).toMatchObject({ code: "InvalidParameter", message: "Invalid parameter: Message too long" });
    expect(await t.call("Publish", { TopicArn, Message: "x".repeat(256 * 1024) })).toHaveProperty("MessageId");
    expect(await err({ Message: "x".repeat(256 * 1024 - 5), MessageAttributes: { abc: { DataType: "String", StringValue: "v" } } })).toMatchObject({
      message: "Invalid parameter: Message too long",
    });
    expect(await err({ Subject: "a\nb" })).toMatchObject({ code: "InvalidParameter", message: "Invalid parameter: Subject" });
    expect(await err({ Subject: "s".repeat(101) })).toMatchObject({ message: "Invalid parameter: Subject" });
    expect(await err({ MessageAttributes: { v: { DataType: "Number", StringValue: "12abc" } } })).toMatchObject({
      code: "ParameterValueInvalid",
      message: "Could not cast message attribute 'v' value to number.",
    });
    expect(await err({ MessageAttributes: { v: { DataType: "Integer", StringValue: "1" } } })).toMatchObject({
      code: "ParameterValueInvalid",
      message: "The message attribute 'v' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.",
    });
    expect(await err({ MessageAttributes: { v: { DataType: "String", StringValue: "" } } })).toMatchObject({
      message: "The message attribute 'v' must contain non-empty message attribute value for message attribute type 'String'.",
    });
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: "String", StringValue: "x" }]));
    expect(await err({ MessageAttributes: eleven })).toMatchObject({ code: "ParameterValueInvalid", message: "Number of message attributes [11] exceeds the allowed maximum [10]." });
    expect(await err({ MessageAttributes: { "AWS.x": { DataType: "String", StringValue: "x" } } })).toMatchObject({ code: "ParameterValueInvalid" });
    expect(await err({ MessageStructure: "json", Message: "{" })).toMatchObject({ message: "Invalid parameter: Message Structure - JSON message body failed to parse" });
    expect(await err({ MessageStructure: "json", Message: '{"sqs":"x"}' })).toMatchObject({ message: "Invalid parameter: Message Structure - No default entry in JSON message body" });
    expect(await err({ MessageDeduplicationId: "d" })).toMatchObject({
      message: "Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type",
    });
    expect(await rejection(t.call("Publish", { Message: "m" }))).toMatchObject({ code: "InvalidParameter" });
  });

  it("checks Subscribe's protocol, endpoint and attributes, with the API's own prefix", async () => {
    const t = setup();
    const TopicArn = await t.topic();
    const sub = (input: Record<string, unknown>) => t.call("Subscribe", { TopicArn, Protocol: "sqs", Endpoint: queueArn("q"), ...input });
    expect(await rejection(sub({ Endpoint: "https://sqs.us-east-1.amazonaws.com/000000000000/q" }))).toMatchObject({ message: "Invalid parameter: SQS endpoint ARN" });
    expect(await rejection(sub({ Protocol: "carrier-pigeon" }))).toMatchObject({ code: "InvalidParameter", message: "Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon" });
    expect(await rejection(sub({ Protocol: "https", Endpoint: "http://example.com/" }))).toMatchObject({ message: "Invalid parameter: Endpoint must match the specified protocol" });
    expect(await rejection(sub({ Endpoint: queueArn("q.fifo") }))).toMatchObject({
      message: "Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics",
    });
    expect(await rejection(sub({ Attributes: { FilterPolicy: '{"a": "b"}' } }))).toMatchObject({
      code: "InvalidParameter",
      message: expect.stringMatching(/^Invalid parameter: Attributes Reason: FilterPolicy: /),
    });
    expect(await rejection(sub({ Attributes: { FilterPolicyScope: "Body" } }))).toMatchObject({
      message: "Invalid parameter: FilterPolicyScope: Invalid value [Body]. Please use either MessageBody or MessageAttributes",
    });
    expect(await rejection(sub({ Attributes: { FilterPolicy: '{"a": {"b": ["c"]}}' } }))).toMatchObject({
      message: "Invalid parameter: Attributes Reason: Filter policy scope MessageAttributes does not support nested filter policy",
    });
    expect(await rejection(sub({ Attributes: { RawMessageDelivery: "yes" } }))).toMatchObject({ code: "InvalidParameter" });
    expect(await rejection(sub({ Protocol: "lambda", Endpoint: "arn:aws:lambda:us-east-1:000000000000:function:f", Attributes: { RawMessageDelivery: "true" } }))).toMatchObject({
      message: "Invalid parameter: Attributes Reason: Delivery protocol [lambda] does not support raw message delivery.",
    });
    expect(await rejection(sub({ Attributes: { RedrivePolicy: "{" } }))).toMatchObject({ code: "InvalidParameter" });
    expect(await rejection(sub({ Attributes: { RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:d.fifo"}' } }))).toMatchObject({ code: "InvalidParameter" });
    expect(await rejection(sub({ Attributes: { Colour: "red" } }))).toMatchObject({ code: "InvalidParameter" });
  });

  it("SetSubscriptionAttributes words filter-policy errors without the Attributes prefix, and re-checks the policy when the scope changes", async () => {
    const t = setup();
    const TopicArn = await t.topic();
    const SubscriptionArn = await t.subscribeQueue(TopicArn, "q", { FilterPolicy: '{"a":{"b":["c"]}}', FilterPolicyScope: "MessageBody" });
    const set = (AttributeName: string, AttributeValue: string) => t.call("SetSubscriptionAttributes", { SubscriptionArn, AttributeName, AttributeValue });
    expect(await rejection(set("FilterPolicyScope", "MessageAttributes"))).toMatchObject({
      message: "Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy",
    });
    expect(await rejection(set("FilterPolicy", '{"a": 1}'))).toMatchObject({ message: expect.stringMatching(/^Invalid parameter: FilterPolicy: /) });
    expect(await rejection(set("Colour", "red"))).toMatchObject({ message: "Invalid parameter: AttributeName" });
    await set("FilterPolicy", "");
    const attrs = (await t.call("GetSubscriptionAttributes", { SubscriptionArn })).Attributes as Record<string, string>;
    expect(attrs.FilterPolicy).toBeUndefined();
    expect(await rejection(t.call("GetSubscriptionAttributes", { SubscriptionArn: `${TopicArn}:00000000-0000-0000-0000-000000000000` }))).toMatchObject({
      code: "NotFound",
      message: "Subscription does not exist",
    });
  });

  it("PublishBatch: batch-level errors and per-entry failures", async () => {
    const t = setup();
    const TopicArn = await t.topic();
    const batch = (entries: unknown[]) => t.call("PublishBatch", { TopicArn, PublishBatchRequestEntries: entries });
    expect(await rejection(batch([]))).toMatchObject({ code: "EmptyBatchRequest" });
    expect(await rejection(batch(Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, Message: "m" }))))).toMatchObject({ code: "TooManyEntriesInBatchRequest" });
    expect(await rejection(batch([{ Id: "a", Message: "m" }, { Id: "a", Message: "n" }]))).toMatchObject({ code: "BatchEntryIdsNotDistinct" });
    expect(await rejection(batch([{ Id: "bad id", Message: "m" }]))).toMatchObject({ code: "InvalidBatchEntryId" });
    expect(await rejection(batch([{ Id: "a", Message: "x".repeat(200_000) }, { Id: "b", Message: "x".repeat(100_000) }]))).toMatchObject({ code: "BatchRequestTooLong" });
    const out = await batch([
      { Id: "ok", Message: "m" },
      { Id: "empty", Message: "" },
      { Id: "attr", Message: "m", MessageAttributes: { n: { DataType: "Number", StringValue: "x" } } },
    ]);
    expect(out.Successful).toEqual([{ Id: "ok", MessageId: expect.any(String) }]);
    expect(out.Failed).toEqual([
      { Id: "empty", Code: "InvalidParameter", Message: "Empty message", SenderFault: true },
      { Id: "attr", Code: "ParameterValueInvalid", Message: "Could not cast message attribute 'n' value to number.", SenderFault: true },
    ]);
  });

  it("tags: limit, unknown resources", async () => {
    const t = setup();
    const ResourceArn = await t.topic();
    await t.call("TagResource", { ResourceArn, Tags: [{ Key: "team", Value: "orders" }] });
    expect(await t.call("ListTagsForResource", { ResourceArn })).toEqual({ Tags: [{ Key: "team", Value: "orders" }] });
    await t.call("UntagResource", { ResourceArn, TagKeys: ["team"] });
    expect(await t.call("ListTagsForResource", { ResourceArn })).toEqual({ Tags: [] });
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    expect(await rejection(t.call("TagResource", { ResourceArn, Tags: many }))).toMatchObject({ code: "TagLimitExceeded" });
    expect(await rejection(t.call("ListTagsForResource", { ResourceArn: `${ResourceArn}-gone` }))).toMatchObject({ code: "ResourceNotFound", status: 404 });
  });
});
