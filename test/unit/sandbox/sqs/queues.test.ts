import { describe, expect, it } from "vitest";
import { ACCOUNT, ENDPOINT, errorOf, setup } from "./helpers";

describe("SQS queues", () => {
  it("creates a queue whose URL uses the client's endpoint and whose ARN names account and region", async () => {
    const t = setup();
    const url = await t.queue("orders");
    expect(url).toBe(`${ENDPOINT}/${ACCOUNT}/orders`);
    expect(await t.attr(url, "QueueArn")).toBe(`arn:aws:sqs:us-east-1:${ACCOUNT}:orders`);
    expect((await t.call("GetQueueUrl", { QueueName: "orders" })).QueueUrl).toBe(url);
  });

  it("accepts a queue URL with any host", async () => {
    const t = setup();
    await t.queue("orders");
    const r = await t.call("GetQueueAttributes", { QueueUrl: `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/orders`, AttributeNames: ["VisibilityTimeout"] });
    expect(r.Attributes).toEqual({ VisibilityTimeout: "30" });
  });

  it("is idempotent for the same attributes and refuses different ones", async () => {
    const t = setup();
    const url = await t.queue("orders", { VisibilityTimeout: "60" });
    expect(await t.queue("orders", { VisibilityTimeout: "60" })).toBe(url);
    expect(await t.queue("orders")).toBe(url);
    const e = await errorOf(t.call("CreateQueue", { QueueName: "orders", Attributes: { VisibilityTimeout: "45" } }));
    expect(e.code).toBe("QueueNameExists");
    expect(e.queryCode).toBe("QueueAlreadyExists");
  });

  it("validates names and attribute ranges with AWS's errors", async () => {
    const t = setup();
    expect((await errorOf(t.call("CreateQueue", { QueueName: "bad name" }))).code).toBe("InvalidParameterValue");
    expect((await errorOf(t.call("CreateQueue", { QueueName: "x".repeat(81) }))).code).toBe("InvalidParameterValue");
    expect((await errorOf(t.call("CreateQueue", { QueueName: "a.fifo" }))).code).toBe("InvalidParameterValue");
    expect((await errorOf(t.call("CreateQueue", { QueueName: "a", Attributes: { FifoQueue: "true" } }))).code).toBe("InvalidParameterValue");
    const cases: Array<[string, string]> = [
      ["VisibilityTimeout", "43201"],
      ["MessageRetentionPeriod", "59"],
      ["MessageRetentionPeriod", "1209601"],
      ["DelaySeconds", "901"],
      ["MaximumMessageSize", "1023"],
      ["MaximumMessageSize", "1048577"],
      ["ReceiveMessageWaitTimeSeconds", "21"],
      ["VisibilityTimeout", "abc"],
    ];
    for (const [name, value] of cases) {
      const e = await errorOf(t.call("CreateQueue", { QueueName: "q", Attributes: { [name]: value } }));
      expect(e.code, `${name}=${value}`).toBe("InvalidAttributeValue");
      expect(e.message).toBe(`Invalid value for the parameter ${name}.`);
    }
    expect((await errorOf(t.call("CreateQueue", { QueueName: "q", Attributes: { Bogus: "1" } }))).code).toBe("InvalidAttributeName");
    expect((await errorOf(t.call("CreateQueue", { QueueName: "q", Attributes: { ContentBasedDeduplication: "true" } }))).code).toBe("InvalidAttributeName");
    expect(await t.queue("q", { MaximumMessageSize: "1048576", MessageRetentionPeriod: "60" })).toBe(`${ENDPOINT}/${ACCOUNT}/q`);
  });

  it("validates RedrivePolicy against the dead-letter queue", async () => {
    const t = setup();
    const dlqArn = `arn:aws:sqs:us-east-1:${ACCOUNT}:dlq`;
    const missing = await errorOf(t.call("CreateQueue", { QueueName: "src", Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }) } }));
    expect(missing.code).toBe("InvalidParameterValue");
    expect(missing.message).toContain("Dead letter target does not exist");
    await t.queue("dlq");
    const zero = await errorOf(t.call("CreateQueue", { QueueName: "src", Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 0 }) } }));
    expect(zero.message).toContain("valid values are from 1 to 1000");
    expect((await errorOf(t.call("CreateQueue", { QueueName: "src", Attributes: { RedrivePolicy: "{not json" } }))).code).toBe("InvalidParameterValue");
    const url = await t.queue("src", { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: "3" }) });
    expect(await t.attr(url, "RedrivePolicy")).toBe(JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }));
    const sources = await t.call("ListDeadLetterSourceQueues", { QueueUrl: `${ENDPOINT}/${ACCOUNT}/dlq` });
    expect(sources.queueUrls).toEqual([url]);
    await t.queue("fifo-dlq.fifo", { FifoQueue: "true" });
    const mixed = await errorOf(
      t.call("CreateQueue", { QueueName: "other", Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:fifo-dlq.fifo`, maxReceiveCount: 3 }) } }),
    );
    expect(mixed.code).toBe("InvalidParameterValue");
  });

  it("answers GetQueueAttributes All with the defaults, counts and timestamps", async () => {
    const t = setup();
    const url = await t.queue("orders");
    const r = await t.call("GetQueueAttributes", { QueueUrl: url, AttributeNames: ["All"] });
    expect(r.Attributes).toMatchObject({
      VisibilityTimeout: "30",
      MaximumMessageSize: "1048576",
      MessageRetentionPeriod: "345600",
      DelaySeconds: "0",
      ReceiveMessageWaitTimeSeconds: "0",
      ApproximateNumberOfMessages: "0",
      ApproximateNumberOfMessagesNotVisible: "0",
      ApproximateNumberOfMessagesDelayed: "0",
      QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:orders`,
    });
    expect(Number(r.Attributes!.CreatedTimestamp)).toBe(Math.floor(t.env.scheduler.now() / 1000));
    expect(r.Attributes!.FifoQueue).toBeUndefined();
    expect((await errorOf(t.call("GetQueueAttributes", { QueueUrl: url, AttributeNames: ["Nope"] }))).code).toBe("InvalidAttributeName");
    const fifo = await t.queue("o.fifo", { FifoQueue: "true", ContentBasedDeduplication: "true" });
    const f = await t.call("GetQueueAttributes", { QueueUrl: fifo, AttributeNames: ["All"] });
    expect(f.Attributes).toMatchObject({ FifoQueue: "true", ContentBasedDeduplication: "true", DeduplicationScope: "queue", FifoThroughputLimit: "perQueue" });
  });

  it("sets attributes, updating LastModifiedTimestamp, and clears a policy with an empty value", async () => {
    const t = setup();
    const url = await t.queue("orders");
    await t.advance(5000);
    const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "*" }] });
    await t.call("SetQueueAttributes", { QueueUrl: url, Attributes: { VisibilityTimeout: "90", Policy: policy } });
    expect(await t.attr(url, "VisibilityTimeout")).toBe("90");
    expect(await t.attr(url, "Policy")).toBe(policy);
    expect(Number(await t.attr(url, "LastModifiedTimestamp"))).toBeGreaterThan(Number(await t.attr(url, "CreatedTimestamp")));
    await t.call("SetQueueAttributes", { QueueUrl: url, Attributes: { Policy: "" } });
    expect(await t.attr(url, "Policy")).toBeUndefined();
    expect((await errorOf(t.call("SetQueueAttributes", { QueueUrl: url, Attributes: { Policy: "{" } }))).code).toBe("InvalidAttributeValue");
    expect((await errorOf(t.call("SetQueueAttributes", { QueueUrl: url, Attributes: { FifoQueue: "true" } }))).code).toBe("InvalidAttributeName");
  });

  it("lists queues by prefix with pagination", async () => {
    const t = setup();
    for (const n of ["a1", "a2", "a3", "b1"]) await t.queue(n);
    expect((await t.call("ListQueues", { QueueNamePrefix: "a" })).QueueUrls).toHaveLength(3);
    const p1 = await t.call("ListQueues", { QueueNamePrefix: "a", MaxResults: 2 });
    expect(p1.QueueUrls).toHaveLength(2);
    const p2 = await t.call("ListQueues", { QueueNamePrefix: "a", MaxResults: 2, NextToken: p1.NextToken });
    expect(p2.QueueUrls).toEqual([`${ENDPOINT}/${ACCOUNT}/a3`]);
    expect(p2.NextToken).toBeUndefined();
    expect(await t.call("ListQueues", { QueueNamePrefix: "zzz" })).toEqual({});
    expect((await errorOf(t.call("ListQueues", { MaxResults: 0 }))).code).toBe("InvalidParameterValue");
  });

  it("deletes a queue, answers QueueDoesNotExist after, and refuses the name for 60 s", async () => {
    const t = setup();
    const url = await t.queue("orders");
    await t.call("DeleteQueue", { QueueUrl: url });
    const e = await errorOf(t.call("GetQueueUrl", { QueueName: "orders" }));
    expect(e.code).toBe("QueueDoesNotExist");
    expect(e.queryCode).toBe("AWS.SimpleQueueService.NonExistentQueue");
    expect((await errorOf(t.call("SendMessage", { QueueUrl: url, MessageBody: "x" }))).code).toBe("QueueDoesNotExist");
    expect((await errorOf(t.call("CreateQueue", { QueueName: "orders" }))).code).toBe("QueueDeletedRecently");
    await t.advance(60_000);
    expect(await t.queue("orders")).toBe(url);
  });

  it("tags queues", async () => {
    const t = setup();
    const r = await t.call("CreateQueue", { QueueName: "orders", tags: { team: "a" } });
    const url = r.QueueUrl!;
    await t.call("TagQueue", { QueueUrl: url, Tags: { env: "lab" } });
    expect((await t.call("ListQueueTags", { QueueUrl: url })).Tags).toEqual({ team: "a", env: "lab" });
    await t.call("UntagQueue", { QueueUrl: url, TagKeys: ["team"] });
    expect((await t.call("ListQueueTags", { QueueUrl: url })).Tags).toEqual({ env: "lab" });
  });

  it("keeps queues and messages across a restart and resets an account", async () => {
    const t = setup();
    const url = await t.queue("orders", { VisibilityTimeout: "10" });
    await t.call("SendMessage", { QueueUrl: url, MessageBody: "kept" });
    t.restart();
    expect(await t.attr(url, "VisibilityTimeout")).toBe("10");
    const r = await t.call("ReceiveMessage", { QueueUrl: url });
    expect(r.Messages?.[0]?.Body).toBe("kept");
    // The receive was written too: after another restart the message is still in flight.
    t.restart();
    expect(await t.attr(url, "ApproximateNumberOfMessagesNotVisible")).toBe("1");
    await t.call("DeleteMessage", { QueueUrl: url, ReceiptHandle: r.Messages![0]!.ReceiptHandle });
    expect(await t.attr(url, "ApproximateNumberOfMessagesNotVisible")).toBe("0");
    t.service.resetAccount(ACCOUNT);
    expect((await errorOf(t.call("GetQueueUrl", { QueueName: "orders" }))).code).toBe("QueueDoesNotExist");
    t.restart();
    expect(await t.call("ListQueues", {})).toEqual({});
  });

  it("purges once per 60 s", async () => {
    const t = setup();
    const url = await t.queue("orders");
    await t.call("SendMessage", { QueueUrl: url, MessageBody: "a" });
    await t.call("PurgeQueue", { QueueUrl: url });
    expect(await t.attr(url, "ApproximateNumberOfMessages")).toBe("0");
    const e = await errorOf(t.call("PurgeQueue", { QueueUrl: url }));
    expect(e.code).toBe("PurgeQueueInProgress");
    expect(e.status).toBe(403);
    await t.advance(60_000);
    await t.call("PurgeQueue", { QueueUrl: url });
  });

  it("adds and removes permissions as policy statements", async () => {
    const t = setup();
    const url = await t.queue("orders");
    await t.call("AddPermission", { QueueUrl: url, Label: "p1", AWSAccountIds: ["111111111111"], Actions: ["SendMessage"] });
    const policy = JSON.parse((await t.attr(url, "Policy"))!) as { Statement: Array<{ Sid: string; Action: string }> };
    expect(policy.Statement[0]).toMatchObject({ Sid: "p1", Action: "SQS:SendMessage" });
    await t.call("RemovePermission", { QueueUrl: url, Label: "p1" });
    expect(await t.attr(url, "Policy")).toBeUndefined();
  });
});
