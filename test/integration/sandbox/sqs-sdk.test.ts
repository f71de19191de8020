// SQS through the AWS SDK v3 (JSON protocol) against an in-process sandbox: the SDK checks the
// MD5s, parses errors into its exception classes, and long-polls over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  QueueDoesNotExist,
  QueueNameExists,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  StartMessageMoveTaskCommand,
  SQSClient,
  TagQueueCommand,
  TooManyEntriesInBatchRequest,
} from "@aws-sdk/client-sqs";
import type { SQSServiceException } from "@aws-sdk/client-sqs";
import { startTestSandbox } from "@/test/support/sandbox";
import type { TestSandbox } from "@/test/support/sandbox";

let sandbox: TestSandbox;
let sqs: SQSClient;
let n = 0;
const name = (base: string) => `${base}-${Date.now().toString(36)}-${n++}`;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  sqs = new SQSClient(sandbox.clientConfig());
});

afterAll(async () => {
  sqs?.destroy();
  await sandbox?.close();
});

async function createQueue(base: string, Attributes?: Record<string, string>) {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name(base), ...(Attributes ? { Attributes } : {}) }));
  return QueueUrl!;
}

async function arnOf(url: string) {
  const r = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }));
  return r.Attributes!.QueueArn!;
}

describe("SQS over the SDK v3", () => {
  it("creates, finds, lists, tags and deletes queues", async () => {
    const url = await createQueue("orders", { VisibilityTimeout: "45" });
    expect(url).toMatch(/\/000000000000\/orders-/);
    const queueName = url.split("/").pop()!;
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }))).QueueUrl).toBe(url);
    expect((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: queueName }))).QueueUrls).toEqual([url]);
    await sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { team: "lab" } }));
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toEqual({ team: "lab" });
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] }));
    expect(attrs.Attributes).toMatchObject({ VisibilityTimeout: "45", MaximumMessageSize: "1048576" });
    await expect(sqs.send(new CreateQueueCommand({ QueueName: queueName, Attributes: { VisibilityTimeout: "10" } }))).rejects.toBeInstanceOf(QueueNameExists);
    await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    const err = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueueDoesNotExist);
    expect((err as SQSServiceException).name).toBe("QueueDoesNotExist");
    await expect(sqs.send(new GetQueueUrlCommand({ QueueName: queueName }))).rejects.toMatchObject({ name: "QueueDoesNotExist", $metadata: { httpStatusCode: 400 } });
  });

  it("sends, receives (the SDK verifies the MD5s) and deletes, with message attributes", async () => {
    const url = await createQueue("msgs");
    const body = "ünïcødé \r\n <xml> & 😀";
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: body,
        MessageAttributes: {
          kind: { DataType: "String", StringValue: "order" },
          amount: { DataType: "Number", StringValue: "150" },
          blob: { DataType: "Binary", BinaryValue: new Uint8Array([0, 1, 2, 255]) },
        },
      }),
    );
    expect(sent.MessageId).toBeDefined();
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ["All"], MessageSystemAttributeNames: ["All"] }));
    const m = r.Messages![0]!;
    expect(m.Body).toBe(body);
    expect(m.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
    expect(m.MessageAttributes!.amount).toEqual({ DataType: "Number", StringValue: "150" });
    expect([...(m.MessageAttributes!.blob!.BinaryValue ?? [])]).toEqual([0, 1, 2, 255]);
    expect(m.Attributes!.ApproximateReceiveCount).toBe("1");
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
  });

  it("batches sends and deletes, and reports batch errors as exceptions", async () => {
    const url = await createQueue("batch");
    const sent = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `body ${i}` })) }));
    expect(sent.Successful).toHaveLength(10);
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    expect(r.Messages).toHaveLength(10);
    const del = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: r.Messages!.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })) }));
    expect(del.Successful).toHaveLength(10);
    await expect(
      sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: Array.from({ length: 11 }, (_, i) => ({ Id: `m${i}`, MessageBody: "x" })) })),
    ).rejects.toBeInstanceOf(TooManyEntriesInBatchRequest);
    await expect(sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: "not-a-handle" }))).rejects.toBeInstanceOf(ReceiptHandleIsInvalid);
  });

  it("moves a message received maxReceiveCount times to the DLQ", async () => {
    const dlq = await createQueue("dlq");
    const url = await createQueue("work", { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await arnOf(dlq), maxReceiveCount: 2 }) });
    const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "poison" }));
    for (let i = 0; i < 2; i++) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
      const m = r.Messages![0]!;
      expect(m.MessageId).toBe(MessageId);
      // Release it at once instead of waiting out the visibility timeout.
      await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
    }
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    const moved = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq, WaitTimeSeconds: 1 }));
    expect(moved.Messages?.[0]?.MessageId).toBe(MessageId);
    expect((await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }))).queueUrls).toEqual([url]);
    // Redrive: the message goes back to its source queue.
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: dlq, ReceiptHandle: moved.Messages![0]!.ReceiptHandle, VisibilityTimeout: 0 }));
    const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: await arnOf(dlq) }));
    expect(TaskHandle).toBeDefined();
    const tasks = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: await arnOf(dlq) }));
    expect(tasks.Results?.[0]).toMatchObject({ Status: "COMPLETED", ApproximateNumberOfMessagesMoved: 1 });
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages?.[0]?.MessageId).toBe(MessageId);
  });

  it("wakes a long poll as soon as a message arrives", async () => {
    const url = await createQueue("poll");
    const started = performance.now();
    const receiving = sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 10 }));
    await new Promise((r) => setTimeout(r, 300));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "now" }));
    const r = await receiving;
    expect(r.Messages?.[0]?.Body).toBe("now");
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it("keeps FIFO order per group and deduplicates", async () => {
    const fifo = (await sqs.send(new CreateQueueCommand({ QueueName: `${name("ordered")}.fifo`, Attributes: { FifoQueue: "true", ContentBasedDeduplication: "true" } }))).QueueUrl!;
    const a = await sqs.send(new SendMessageCommand({ QueueUrl: fifo, MessageBody: "1", MessageGroupId: "g" }));
    const dup = await sqs.send(new SendMessageCommand({ QueueUrl: fifo, MessageBody: "1", MessageGroupId: "g" }));
    expect(dup.MessageId).toBe(a.MessageId);
    await sqs.send(new SendMessageCommand({ QueueUrl: fifo, MessageBody: "2", MessageGroupId: "g" }));
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: fifo, MaxNumberOfMessages: 10 }));
    expect(r.Messages!.map((m) => m.Body)).toEqual(["1", "2"]);
  });

  it("answers errors with the SDK's exception names and purges", async () => {
    const url = await createQueue("errs");
    const missing = url.replace(/[^/]+$/, "no-such-queue");
    await expect(sqs.send(new SendMessageCommand({ QueueUrl: missing, MessageBody: "x" }))).rejects.toBeInstanceOf(QueueDoesNotExist);
    await expect(sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: "99999" } }))).rejects.toMatchObject({ name: "InvalidAttributeValue" });
    await expect(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "x".repeat(1_048_577) }))).rejects.toMatchObject({ name: "InvalidParameterValue" });
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    await expect(sqs.send(new PurgeQueueCommand({ QueueUrl: url }))).rejects.toMatchObject({ name: "PurgeQueueInProgress", $metadata: { httpStatusCode: 403 } });
  });
});
