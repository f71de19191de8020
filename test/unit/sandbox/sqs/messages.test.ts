import { describe, expect, it } from "vitest";
import { md5Hex } from "@/sandbox/services/sqs/md5";
import { ACCOUNT, errorOf, setup } from "./helpers";

describe("SQS messages", () => {
  it("sends, receives with checksums and attributes, and deletes", async () => {
    const t = setup();
    const url = await t.queue("orders");
    const sent = await t.call("SendMessage", {
      QueueUrl: url,
      MessageBody: "hello",
      MessageAttributes: { timestamp: { DataType: "Number", StringValue: "1493147359900" }, other: { DataType: "String", StringValue: "x" } },
    });
    expect(sent.MD5OfMessageBody).toBe(md5Hex("hello"));
    expect(sent.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
    const r = await t.call("ReceiveMessage", { QueueUrl: url, MessageAttributeNames: ["timestamp"], MessageSystemAttributeNames: ["All"] });
    const m = r.Messages![0]!;
    expect(m).toMatchObject({ MessageId: sent.MessageId, Body: "hello", MD5OfBody: md5Hex("hello") });
    // The checksum covers only the attributes returned: AWS's value for this one attribute.
    expect(m.MD5OfMessageAttributes).toBe("235c5c510d26fb653d073faed50ae77c");
    expect(m.MessageAttributes).toEqual({ timestamp: { DataType: "Number", StringValue: "1493147359900" } });
    expect(m.Attributes).toMatchObject({ SenderId: ACCOUNT, ApproximateReceiveCount: "1", SentTimestamp: String(t.env.scheduler.now()) });
    expect(m.Attributes!.ApproximateFirstReceiveTimestamp).toBe(String(t.env.scheduler.now()));
    await t.call("DeleteMessage", { QueueUrl: url, ReceiptHandle: m.ReceiptHandle });
    expect(await t.attr(url, "ApproximateNumberOfMessagesNotVisible")).toBe("0");
    expect(await t.call("ReceiveMessage", { QueueUrl: url })).toEqual({});
  });

  it("hides a received message for the visibility timeout, then delivers it again with a new handle", async () => {
    const t = setup();
    const url = await t.queue("orders", { VisibilityTimeout: "10" });
    await t.call("SendMessage", { QueueUrl: url, MessageBody: "a" });
    const first = (await t.call("ReceiveMessage", { QueueUrl: url })).Messages![0]!;
    expect(await t.call("ReceiveMessage", { QueueUrl: url })).toEqual({});
    expect(await t.attr(url, "ApproximateNumberOfMessagesNotVisible")).toBe("1");
    await t.advance(10_000);
    expect(await t.attr(url, "ApproximateNumberOfMessages")).toBe("1");
    const second = (await t.call("ReceiveMessage", { QueueUrl: url, AttributeNames: ["ApproximateReceiveCount"] })).Messages![0]!;
    expect(second.Attributes).toEqual({ ApproximateReceiveCount: "2" });
    expect(second.ReceiptHandle).not.toBe(first.ReceiptHandle);
    // The older handle no longer deletes the message (AWS: the request succeeds, nothing is deleted).
    await t.call("DeleteMessage", { QueueUrl: url, ReceiptHandle: first.ReceiptHandle });
    expect(await t.attr(url, "ApproximateNumberOfMessagesNotVisible")).toBe("1");
    await t.call("DeleteMessage", { QueueUrl: url, ReceiptHandle: second.ReceiptHandle });
    expect(await t.attr(url, "ApproximateNumberOfMessagesNotVisible")).toBe("0");
    // Deleting again is fine; a handle that is not one is not.
    await t.call("DeleteMessage", { QueueUrl: url, ReceiptHandle: second.ReceiptHandle });
    const e = await errorOf(t.call("DeleteMessage", { QueueUrl: url, ReceiptHandle: "garbage" }));
    expect(e.code).toBe("ReceiptHandleIsInvalid");
    expect(e.status).toBe(404);
  });

  it("changes visibility: a receive-level override, 0 to release, and AWS's limits", async () => {
    const t = setup();
    const url = await t.queue("orders");
    await t.call("SendMessage", { QueueUrl: url, MessageBody: "a" });
    const m = (await t.call("ReceiveMessage", { QueueUrl: url, VisibilityTimeout: 100 })).Messages![0]!;
    await t.advance(50_000);
    expect(await t.call("ReceiveMessage", { QueueUrl: url })).toEqual({});
    await t.call("ChangeMessageVisibility", { QueueUrl: url, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 });
    const again = (await t.call("ReceiveMessage", { QueueUrl: url })).Messages![0]!;
    expect(again.MessageId).toBe(m.MessageId);
    const stale = await errorOf(t.call("ChangeMessageVisibility", { QueueUrl: url, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 5 }));
    expect(stale.code).toBe("InvalidParameterValue");
    const tooLong = await errorOf(t.call("ChangeMessageVisibility", { QueueUrl: url, ReceiptHandle: again.ReceiptHandle, VisibilityTimeout: 43_201 }));
    expect(tooLong.code).toBe("InvalidParameterValue");
    const batch = await t.call("ChangeMessageVisibilityBatch", {
      QueueUrl: url,
      Entries: [
        { Id: "ok", ReceiptHandle: again.ReceiptHandle, VisibilityTimeout: 60 },
        { Id: "bad", ReceiptHandle: "nope", VisibilityTimeout: 60 },
      ],
    });
    expect(batch.Successful).toEqual([{ Id: "ok" }]);
    expect(batch.Failed).toEqual([expect.objectContaining({ Id: "bad", Code: "ReceiptHandleIsInvalid", SenderFault: true })]);
  });

  it("moves a message to the DLQ on the receive after maxReceiveCount, keeping its id and SentTimestamp", async () => {
    const t = setup();
    const dlq = await t.queue("orders-dlq");
    const dlqArn = (await t.attr(dlq, "QueueArn"))!;
    const url = await t.queue("orders", { VisibilityTimeout: "1", RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }) });
    const sent = await t.call("SendMessage", { QueueUrl: url, MessageBody: "poison" });
    const sentAt = t.env.scheduler.now();
    for (let i = 0; i < 2; i++) {
      const r = await t.call("ReceiveMessage", { QueueUrl: url });
      expect(r.Messages?.[0]?.MessageId).toBe(sent.MessageId);
      await t.advance(1000);
    }
    expect(await t.call("ReceiveMessage", { QueueUrl: url })).toEqual({});
    expect(await t.attr(url, "ApproximateNumberOfMessages")).toBe("0");
    const moved = (await t.call("ReceiveMessage", { QueueUrl: dlq, AttributeNames: ["All"] })).Messages![0]!;
    expect(moved.MessageId).toBe(sent.MessageId);
    expect(moved.Body).toBe("poison");
    expect(moved.Attributes!.SentTimestamp).toBe(String(sentAt));
    expect(moved.Attributes!.DeadLetterQueueSourceArn).toBe(await t.attr(url, "QueueArn"));
  });

  it("redrives a DLQ's messages back to their source with a message move task", async () => {
    const t = setup();
    const dlq = await t.queue("dlq");
    const dlqArn = (await t.attr(dlq, "QueueArn"))!;
    const url = await t.queue("work", { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) });
    const sent = await t.call("SendMessage", { QueueUrl: url, MessageBody: "retry me" });
    const first = (await t.call("ReceiveMessage", { QueueUrl: url })).Messages![0]!;
    await t.call("ChangeMessageVisibility", { QueueUrl: url, ReceiptHandle: first.ReceiptHandle, VisibilityTimeout: 0 });
    expect(await t.call("ReceiveMessage", { QueueUrl: url })).toEqual({});
    expect(await t.attr(dlq, "ApproximateNumberOfMessages")).toBe("1");
    const notDlq = await errorOf(t.call("StartMessageMoveTask", { SourceArn: (await t.attr(url, "QueueArn"))! }));
    expect(notDlq.code).toBe("InvalidParameterValue");
    const { TaskHandle } = await t.call("StartMessageMoveTask", { SourceArn: dlqArn, MaxNumberOfMessagesPerSecond: 50 });
    expect(TaskHandle).toEqual(expect.any(String));
    const tasks = await t.call("ListMessageMoveTasks", { SourceArn: dlqArn });
    expect(tasks.Results).toEqual([expect.objectContaining({ Status: "COMPLETED", ApproximateNumberOfMessagesMoved: 1, SourceArn: dlqArn })]);
    const back = (await t.call("ReceiveMessage", { QueueUrl: url, AttributeNames: ["ApproximateReceiveCount"] })).Messages![0]!;
    expect(back).toMatchObject({ MessageId: sent.MessageId, Body: "retry me", Attributes: { ApproximateReceiveCount: "1" } });
    expect(await t.attr(dlq, "ApproximateNumberOfMessages")).toBe("0");
  });

  it("delays messages by the queue's and the message's DelaySeconds", async () => {
    const t = setup();
    const url = await t.queue("orders", { DelaySeconds: "5" });
    await t.call("SendMessage", { QueueUrl: url, MessageBody: "queue-delay" });
    await t.call("SendMessage", { QueueUrl: url, MessageBody: "own-delay", DelaySeconds: 20 });
    expect(await t.attr(url, "ApproximateNumberOfMessagesDelayed")).toBe("2");
    expect(await t.call("ReceiveMessage", { QueueUrl: url })).toEqual({});
    await t.advance(5000);
    expect((await t.call("ReceiveMessage", { QueueUrl: url })).Messages?.[0]?.Body).toBe("queue-delay");
    expect(await t.call("ReceiveMessage", { QueueUrl: url })).toEqual({});
    await t.advance(15_000);
    expect((await t.call("ReceiveMessage", { QueueUrl: url })).Messages?.[0]?.Body).toBe("own-delay");
    expect((await errorOf(t.call("SendMessage", { QueueUrl: url, MessageBody: "x", DelaySeconds: 901 }))).code).toBe("InvalidParameterValue");
  });

  it("drops messages past the retention period", async () => {
    const t = setup();
    const url = await t.queue("orders", { MessageRetentionPeriod: "60" });
    await t.call("SendMessage", { QueueUrl: url, MessageBody: "old" });
    await t.advance(59_000);
    expect(await t.attr(url, "ApproximateNumberOfMessages")).toBe("1");
    await t.advance(1000);
    expect(await t.attr(url, "ApproximateNumberOfMessages")).toBe("0");
    expect(await t.call("ReceiveMessage", { QueueUrl: url })).toEqual({});
  });

  it("enforces the size, body and attribute limits with AWS's codes", async () => {
    const t = setup();
    const url = await t.queue("small", { MaximumMessageSize: "1024" });
    const big = await errorOf(t.call("SendMessage", { QueueUrl: url, MessageBody: "x".repeat(1025) }));
    expect(big.code).toBe("InvalidParameterValue");
    expect(big.message).toContain("Message must be shorter than 1024 bytes");
    await t.call("SendMessage", { QueueUrl: url, MessageBody: "x".repeat(1024) });
    expect((await errorOf(t.call("SendMessage", { QueueUrl: url, MessageBody: "bad\u0001" }))).code).toBe("InvalidMessageContents");
    expect((await errorOf(t.call("SendMessage", { QueueUrl: url, MessageBody: "" }))).code).toBe("MissingParameter");
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: "String", StringValue: "v" }]));
    expect((await errorOf(t.call("SendMessage", { QueueUrl: url, MessageBody: "x", MessageAttributes: eleven }))).code).toBe("InvalidParameterValue");
    const bad = [
      { "AWS.x": { DataType: "String", StringValue: "v" } },
      { "a b": { DataType: "String", StringValue: "v" } },
      { a: { DataType: "Text", StringValue: "v" } },
      { a: { DataType: "String" } },
      { a: { DataType: "Number", StringValue: "abc" } },
    ];
    for (const attrs of bad) expect((await errorOf(t.call("SendMessage", { QueueUrl: url, MessageBody: "x", MessageAttributes: attrs }))).code).toBe("InvalidParameterValue");
    await t.call("SendMessage", { QueueUrl: url, MessageBody: "x", MessageAttributes: { "custom.type": { DataType: "String.custom", StringValue: "v" } } });
  });

  it("validates batches and reports entries that fail", async () => {
    const t = setup();
    const url = await t.queue("orders");
    expect((await errorOf(t.call("SendMessageBatch", { QueueUrl: url, Entries: [] }))).code).toBe("EmptyBatchRequest");
    const many = Array.from({ length: 11 }, (_, i) => ({ Id: `m${i}`, MessageBody: "x" }));
    expect((await errorOf(t.call("SendMessageBatch", { QueueUrl: url, Entries: many }))).code).toBe("TooManyEntriesInBatchRequest");
    const dup = [{ Id: "a", MessageBody: "1" }, { Id: "a", MessageBody: "2" }];
    expect((await errorOf(t.call("SendMessageBatch", { QueueUrl: url, Entries: dup }))).code).toBe("BatchEntryIdsNotDistinct");
    expect((await errorOf(t.call("SendMessageBatch", { QueueUrl: url, Entries: [{ Id: "a b", MessageBody: "1" }] }))).code).toBe("InvalidBatchEntryId");
    const huge = [{ Id: "a", MessageBody: "x".repeat(600_000) }, { Id: "b", MessageBody: "x".repeat(600_000) }];
    expect((await errorOf(t.call("SendMessageBatch", { QueueUrl: url, Entries: huge }))).code).toBe("BatchRequestTooLong");
    const r = await t.call("SendMessageBatch", { QueueUrl: url, Entries: [{ Id: "ok", MessageBody: "1" }, { Id: "bad", MessageBody: "\u0000" }] });
    expect((r.Successful as Array<{ Id: string; MD5OfMessageBody: string }>)[0]).toMatchObject({ Id: "ok", MD5OfMessageBody: md5Hex("1") });
    expect(r.Failed).toEqual([expect.objectContaining({ Id: "bad", Code: "InvalidMessageContents", SenderFault: true })]);
    const got = await t.call("ReceiveMessage", { QueueUrl: url, MaxNumberOfMessages: 10 });
    const del = await t.call("DeleteMessageBatch", {
      QueueUrl: url,
      Entries: [{ Id: "one", ReceiptHandle: got.Messages![0]!.ReceiptHandle }, { Id: "two", ReceiptHandle: "nope" }],
    });
    expect(del.Successful).toEqual([{ Id: "one" }]);
    expect((del.Failed as Array<{ Code: string }>)[0]!.Code).toBe("ReceiptHandleIsInvalid");
  });

  it("validates ReceiveMessage parameters", async () => {
    const t = setup();
    const url = await t.queue("orders");
    expect((await errorOf(t.call("ReceiveMessage", { QueueUrl: url, MaxNumberOfMessages: 11 }))).code).toBe("InvalidParameterValue");
    expect((await errorOf(t.call("ReceiveMessage", { QueueUrl: url, WaitTimeSeconds: 21 }))).code).toBe("InvalidParameterValue");
    expect((await errorOf(t.call("ReceiveMessage", { QueueUrl: url, VisibilityTimeout: -1 }))).code).toBe("InvalidParameterValue");
  });

  it("receives up to MaxNumberOfMessages in send order", async () => {
    const t = setup();
    const url = await t.queue("orders");
    for (let i = 0; i < 15; i++) await t.call("SendMessage", { QueueUrl: url, MessageBody: `m${i}` });
    const r = await t.call("ReceiveMessage", { QueueUrl: url, MaxNumberOfMessages: 10 });
    expect(r.Messages!.map((m) => m.Body)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
    expect((await t.call("ReceiveMessage", { QueueUrl: url, MaxNumberOfMessages: 10 })).Messages).toHaveLength(5);
  });
});

describe("SQS long polling", () => {
  it("wakes a waiting receive as soon as a message is sent", async () => {
    const t = setup();
    const url = await t.queue("orders");
    let done = false;
    const waiting = t.call("ReceiveMessage", { QueueUrl: url, WaitTimeSeconds: 20 }).then((r) => ((done = true), r));
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    await t.call("SendMessage", { QueueUrl: url, MessageBody: "wake" });
    const r = await waiting;
    expect(r.Messages?.[0]?.Body).toBe("wake");
  });

  it("answers empty after WaitTimeSeconds, and wakes when a delayed message surfaces", async () => {
    const t = setup();
    const url = await t.queue("orders", { ReceiveMessageWaitTimeSeconds: "5" });
    const empty = t.call("ReceiveMessage", { QueueUrl: url });
    await t.advance(5000);
    expect(await empty).toEqual({});
    await t.call("SendMessage", { QueueUrl: url, MessageBody: "later", DelaySeconds: 3 });
    const waiting = t.call("ReceiveMessage", { QueueUrl: url, WaitTimeSeconds: 10 });
    await t.advance(3000);
    expect((await waiting).Messages?.[0]?.Body).toBe("later");
  });

  it("serves several waiters one message each", async () => {
    const t = setup();
    const url = await t.queue("orders");
    const a = t.call("ReceiveMessage", { QueueUrl: url, WaitTimeSeconds: 20 });
    const b = t.call("ReceiveMessage", { QueueUrl: url, WaitTimeSeconds: 20 });
    await new Promise((r) => setImmediate(r));
    await t.call("SendMessage", { QueueUrl: url, MessageBody: "1" });
    await t.call("SendMessage", { QueueUrl: url, MessageBody: "2" });
    const bodies = [(await a).Messages?.[0]?.Body, (await b).Messages?.[0]?.Body];
    expect(bodies).toEqual(["1", "2"]);
  });

  it("answers a waiting receive empty when the queue is deleted", async () => {
    const t = setup();
    const url = await t.queue("orders");
    const waiting = t.call("ReceiveMessage", { QueueUrl: url, WaitTimeSeconds: 20 });
    await new Promise((r) => setImmediate(r));
    await t.call("DeleteQueue", { QueueUrl: url });
    expect(await waiting).toEqual({});
  });
});

describe("SQS FIFO queues", () => {
  it("delivers each group in order and blocks a group while a message of it is in flight", async () => {
    const t = setup();
    const url = await t.queue("orders.fifo", { FifoQueue: "true", ContentBasedDeduplication: "true" });
    for (const [g, b] of [["A", "a1"], ["A", "a2"], ["B", "b1"], ["A", "a3"]]) await t.call("SendMessage", { QueueUrl: url, MessageBody: b, MessageGroupId: g });
    const first = await t.call("ReceiveMessage", { QueueUrl: url, AttributeNames: ["All"] });
    expect(first.Messages!.map((m) => m.Body)).toEqual(["a1"]);
    expect(first.Messages![0]!.Attributes).toMatchObject({ MessageGroupId: "A", MessageDeduplicationId: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(first.Messages![0]!.Attributes!.SequenceNumber).toMatch(/^\d{20}$/);
    // Group A is blocked while a1 is in flight; B is free.
    expect((await t.call("ReceiveMessage", { QueueUrl: url, MaxNumberOfMessages: 10 })).Messages!.map((m) => m.Body)).toEqual(["b1"]);
    await t.call("DeleteMessage", { QueueUrl: url, ReceiptHandle: first.Messages![0]!.ReceiptHandle });
    expect((await t.call("ReceiveMessage", { QueueUrl: url, MaxNumberOfMessages: 10 })).Messages!.map((m) => m.Body)).toEqual(["a2", "a3"]);
  });

  it("redelivers an expired in-flight message before the rest of its group", async () => {
    const t = setup();
    const url = await t.queue("o.fifo", { FifoQueue: "true", ContentBasedDeduplication: "true", VisibilityTimeout: "5" });
    await t.call("SendMessage", { QueueUrl: url, MessageBody: "1", MessageGroupId: "g" });
    await t.call("SendMessage", { QueueUrl: url, MessageBody: "2", MessageGroupId: "g" });
    const m = (await t.call("ReceiveMessage", { QueueUrl: url })).Messages![0]!;
    await t.advance(5000);
    // Once the visibility timeout is over, the handle has expired (AWS refuses it on FIFO queues).
    expect((await errorOf(t.call("DeleteMessage", { QueueUrl: url, ReceiptHandle: m.ReceiptHandle }))).message).toContain("The receipt handle has expired");
    const again = (await t.call("ReceiveMessage", { QueueUrl: url, AttributeNames: ["ApproximateReceiveCount"] })).Messages![0]!;
    expect(again).toMatchObject({ Body: "1", Attributes: { ApproximateReceiveCount: "2" } });
  });

  it("deduplicates within five minutes and answers with the original MessageId", async () => {
    const t = setup();
    const url = await t.queue("o.fifo", { FifoQueue: "true" });
    const a = await t.call("SendMessage", { QueueUrl: url, MessageBody: "x", MessageGroupId: "g", MessageDeduplicationId: "d1" });
    const b = await t.call("SendMessage", { QueueUrl: url, MessageBody: "y", MessageGroupId: "g", MessageDeduplicationId: "d1" });
    expect(b.MessageId).toBe(a.MessageId);
    expect(b.SequenceNumber).toBe(a.SequenceNumber);
    expect(await t.attr(url, "ApproximateNumberOfMessages")).toBe("1");
    await t.advance(5 * 60_000);
    const c = await t.call("SendMessage", { QueueUrl: url, MessageBody: "x", MessageGroupId: "g", MessageDeduplicationId: "d1" });
    expect(c.MessageId).not.toBe(a.MessageId);
    expect(BigInt(c.SequenceNumber as string)).toBeGreaterThan(BigInt(a.SequenceNumber as string));
  });

  it("deduplicates by content when ContentBasedDeduplication is on, and survives a restart", async () => {
    const t = setup();
    const url = await t.queue("o.fifo", { FifoQueue: "true", ContentBasedDeduplication: "true" });
    const a = await t.call("SendMessage", { QueueUrl: url, MessageBody: "same", MessageGroupId: "g" });
    t.restart();
    const b = await t.call("SendMessage", { QueueUrl: url, MessageBody: "same", MessageGroupId: "other" });
    expect(b.MessageId).toBe(a.MessageId);
  });

  it("requires FIFO parameters and refuses per-message delays", async () => {
    const t = setup();
    const url = await t.queue("o.fifo", { FifoQueue: "true" });
    expect((await errorOf(t.call("SendMessage", { QueueUrl: url, MessageBody: "x", MessageDeduplicationId: "d" }))).code).toBe("MissingParameter");
    expect((await errorOf(t.call("SendMessage", { QueueUrl: url, MessageBody: "x", MessageGroupId: "g" }))).code).toBe("InvalidParameterValue");
    expect((await errorOf(t.call("SendMessage", { QueueUrl: url, MessageBody: "x", MessageGroupId: "g", MessageDeduplicationId: "d", DelaySeconds: 5 }))).code).toBe(
      "InvalidParameterValue",
    );
    const std = await t.queue("std");
    expect((await errorOf(t.call("SendMessage", { QueueUrl: std, MessageBody: "x", MessageDeduplicationId: "d" }))).code).toBe("InvalidParameterValue");
  });

  it("redrives FIFO messages to a FIFO DLQ", async () => {
    const t = setup();
    const dlq = await t.queue("d.fifo", { FifoQueue: "true" });
    const arn = (await t.attr(dlq, "QueueArn"))!;
    const url = await t.queue("s.fifo", { FifoQueue: "true", ContentBasedDeduplication: "true", VisibilityTimeout: "1", RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: 1 }) });
    await t.call("SendMessage", { QueueUrl: url, MessageBody: "p", MessageGroupId: "g" });
    await t.call("SendMessage", { QueueUrl: url, MessageBody: "q", MessageGroupId: "g" });
    expect((await t.call("ReceiveMessage", { QueueUrl: url })).Messages![0]!.Body).toBe("p");
    await t.advance(1000);
    // p moves to the DLQ; q, next in the group, is delivered.
    expect((await t.call("ReceiveMessage", { QueueUrl: url })).Messages![0]!.Body).toBe("q");
    expect((await t.call("ReceiveMessage", { QueueUrl: dlq })).Messages![0]!.Body).toBe("p");
  });
});

describe("SQS queue policies", () => {
  const topicArn = `arn:aws:sns:us-east-1:${ACCOUNT}:orders`;
  const sns = (sourceArn = topicArn) => ({ kind: "service" as const, accountId: ACCOUNT, service: "sns.amazonaws.com", arn: "sns.amazonaws.com", sourceArn });

  it("lets a service deliver only when the queue policy allows its source", async () => {
    const t = setup();
    const url = await t.queue("orders");
    const arn = (await t.attr(url, "QueueArn"))!;
    const denied = await errorOf(t.call("SendMessage", { QueueUrl: url, MessageBody: "x" }, t.ctx({ principal: sns() })));
    expect(denied.code).toBe("AccessDenied");
    const policy = {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: arn, Condition: { ArnEquals: { "aws:SourceArn": topicArn } } },
      ],
    };
    await t.call("SetQueueAttributes", { QueueUrl: url, Attributes: { Policy: JSON.stringify(policy) } });
    const ok = await t.call("SendMessage", { QueueUrl: url, MessageBody: "x" }, t.ctx({ principal: sns() }));
    expect(ok.MessageId).toBeDefined();
    const other = await errorOf(t.call("SendMessage", { QueueUrl: url, MessageBody: "x" }, t.ctx({ principal: sns(`${topicArn}-other`) })));
    expect(other.code).toBe("AccessDenied");
    const m = (await t.call("ReceiveMessage", { QueueUrl: url, AttributeNames: ["SenderId"] })).Messages![0]!;
    expect(m.Attributes!.SenderId).toMatch(/^AIDA/);
  });

  it("lets a task in as its execution role's session without a policy, never as the bare service (Step Functions tasks)", async () => {
    const t = setup();
    const url = await t.queue("orders");
    const session = {
      kind: "assumed-role" as const,
      accountId: ACCOUNT,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/workflow`,
      roleName: "workflow",
      sessionName: "task",
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/workflow/task`,
    };
    expect((await t.call("SendMessage", { QueueUrl: url, MessageBody: "x" }, t.ctx({ principal: session }))).MessageId).toBeDefined();
    const bare = { kind: "service" as const, accountId: ACCOUNT, service: "states.amazonaws.com", arn: "states.amazonaws.com", sourceArn: `arn:aws:states:us-east-1:${ACCOUNT}:execution:m:e` };
    expect((await errorOf(t.call("SendMessage", { QueueUrl: url, MessageBody: "x" }, t.ctx({ principal: bare })))).code).toBe("AccessDenied");
  });

  it("refuses another account unless the policy allows it", async () => {
    const t = setup();
    const url = await t.queue("orders");
    const other = t.ctx({ accountId: "111111111111", principal: { kind: "account", accountId: "111111111111", arn: "arn:aws:iam::111111111111:root" } });
    expect((await errorOf(t.call("SendMessage", { QueueUrl: url, MessageBody: "x" }, other))).code).toBe("AccessDenied");
    await t.call("AddPermission", { QueueUrl: url, Label: "other", AWSAccountIds: ["111111111111"], Actions: ["SendMessage"] });
    await t.call("SendMessage", { QueueUrl: url, MessageBody: "x" }, other);
    expect((await errorOf(t.call("ReceiveMessage", { QueueUrl: url }, other))).code).toBe("AccessDenied");
  });
});
