// Nothing acknowledged is lost: queues, messages, an in-flight receive and FIFO deduplication
// survive the sandbox process being killed with SIGKILL right after the calls returned.
import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { spawnSandboxProcess } from "@/test/support/sandbox";
import type { SandboxProcess } from "@/test/support/sandbox";

const running: SandboxProcess[] = [];

afterAll(async () => {
  for (const p of running) await p.kill();
  const dir = running[0]?.dataDir;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function start(dataDir?: string) {
  const p = await spawnSandboxProcess(dataDir === undefined ? {} : { dataDir });
  running.push(p);
  return { p, sqs: new SQSClient(p.clientConfig()) };
}

describe("SQS durability", () => {
  it("keeps every acknowledged change across SIGKILL", { timeout: 120_000 }, async () => {
    const first = await start();
    const url = (await first.sqs.send(new CreateQueueCommand({ QueueName: "durable", Attributes: { VisibilityTimeout: "600" } }))).QueueUrl!;
    const fifo = (await first.sqs.send(new CreateQueueCommand({ QueueName: "durable.fifo", Attributes: { FifoQueue: "true", ContentBasedDeduplication: "true" } }))).QueueUrl!;
    await first.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "in flight" }));
    const inFlight = (await first.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages![0]!;
    const kept = await first.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "kept", MessageAttributes: { k: { DataType: "String", StringValue: "v" } } }));
    const dedup = await first.sqs.send(new SendMessageCommand({ QueueUrl: fifo, MessageBody: "once", MessageGroupId: "g" }));
    await first.p.kill("SIGKILL");
    first.sqs.destroy();

    const second = await start(first.p.dataDir);
    const url2 = url.replace(/:\d+\//, `:${second.p.port}/`);
    const fifo2 = fifo.replace(/:\d+\//, `:${second.p.port}/`);
    const attrs = await second.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url2, AttributeNames: ["All"] }));
    expect(attrs.Attributes).toMatchObject({ VisibilityTimeout: "600", ApproximateNumberOfMessages: "1", ApproximateNumberOfMessagesNotVisible: "1" });
    const got = (await second.sqs.send(new ReceiveMessageCommand({ QueueUrl: url2, MessageAttributeNames: ["All"] }))).Messages![0]!;
    expect(got).toMatchObject({ MessageId: kept.MessageId, Body: "kept", MessageAttributes: { k: { DataType: "String", StringValue: "v" } } });
    // The receipt handle from before the crash still deletes the in-flight message.
    await second.sqs.send(new DeleteMessageCommand({ QueueUrl: url2, ReceiptHandle: inFlight.ReceiptHandle }));
    const after = await second.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url2, AttributeNames: ["ApproximateNumberOfMessagesNotVisible"] }));
    expect(after.Attributes!.ApproximateNumberOfMessagesNotVisible).toBe("1"); // only "kept", just received
    const again = await second.sqs.send(new SendMessageCommand({ QueueUrl: fifo2, MessageBody: "once", MessageGroupId: "g" }));
    expect(again.MessageId).toBe(dedup.MessageId);
    second.sqs.destroy();
  });
});
