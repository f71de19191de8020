// SQS through both AWS CLIs a learner may have: Debian's /usr/bin/aws 2.9 speaks the query
// protocol (XML answers), the pyenv `aws` 1.45 (botocore 1.43) speaks JSON. Each runs the same
// scenario: queue + DLQ with a RedrivePolicy, send/receive/delete with attributes, redrive after
// maxReceiveCount, a long poll woken by a send, and AWS's error codes (botocore shows the
// query-compatible code, AWS.SimpleQueueService.NonExistentQueue, for JSON too, as on AWS).

import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsCli } from "@/test/support/aws-cli";
import { startTestSandbox } from "@/test/support/sandbox";
import type { TestSandbox } from "@/test/support/sandbox";


const CLIS = [
  // CLI 2.9 (January 2023) predates message move tasks (June 2023).
  { label: "/usr/bin/aws 2.9 (query)", bin: "/usr/bin/aws", missingQueueCode: "AWS.SimpleQueueService.NonExistentQueue", moveTasks: false },
  { label: "pyenv aws 1.45 (JSON)", bin: "/root/.pyenv/shims/aws", missingQueueCode: "AWS.SimpleQueueService.NonExistentQueue", moveTasks: true },
];

let sandbox: TestSandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox();
});

afterAll(async () => {
  await sandbox?.close();
});

const cli = (bin: string) => awsCli(bin, sandbox);

type Message = { MessageId: string; ReceiptHandle: string; Body: string; Attributes?: Record<string, string>; MessageAttributes?: Record<string, { StringValue?: string; DataType: string }>; MD5OfMessageAttributes?: string };

for (const { label, bin, missingQueueCode, moveTasks } of CLIS) {
  describe.skipIf(!fs.existsSync(bin))(`SQS with ${label}`, () => {
    const tag = bin.includes("pyenv") ? "py" : "deb";

    it("runs the queue, DLQ and message scenario", { timeout: 120_000 }, async () => {
      const aws = cli(bin);
      const dlq = (await aws.json("sqs", "create-queue", "--queue-name", `${tag}-dlq`)).QueueUrl as string;
      const dlqArn = ((await aws.json("sqs", "get-queue-attributes", "--queue-url", dlq, "--attribute-names", "QueueArn")).Attributes as Record<string, string>).QueueArn!;
      const redrive = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: "2" });
      const url = (await aws.json("sqs", "create-queue", "--queue-name", `${tag}-orders`, "--attributes", JSON.stringify({ RedrivePolicy: redrive, VisibilityTimeout: "30" })))
        .QueueUrl as string;
      const attrs = (await aws.json("sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names", "All")).Attributes as Record<string, string>;
      expect(JSON.parse(attrs.RedrivePolicy!)).toEqual({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 });
      expect(attrs.VisibilityTimeout).toBe("30");

      const sent = await aws.json(
        "sqs", "send-message", "--queue-url", url, "--message-body", "order <1> & more",
        "--message-attributes", JSON.stringify({ kind: { DataType: "String", StringValue: "order" }, amount: { DataType: "Number", StringValue: "150" } }),
      );
      expect(sent.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
      const got = (await aws.json("sqs", "receive-message", "--queue-url", url, "--attribute-names", "All", "--message-attribute-names", "All")).Messages as Message[];
      expect(got[0]).toMatchObject({ MessageId: sent.MessageId, Body: "order <1> & more", MD5OfMessageAttributes: sent.MD5OfMessageAttributes });
      expect(got[0]!.MessageAttributes!.amount).toEqual({ DataType: "Number", StringValue: "150" });
      expect(got[0]!.Attributes!.ApproximateReceiveCount).toBe("1");
      await aws.json("sqs", "delete-message", "--queue-url", url, "--receipt-handle", got[0]!.ReceiptHandle);

      const batch = await aws.json("sqs", "send-message-batch", "--queue-url", url, "--entries", JSON.stringify([{ Id: "a", MessageBody: "1" }, { Id: "b", MessageBody: "2" }]));
      expect((batch.Successful as unknown[]).length).toBe(2);
      await aws.json("sqs", "purge-queue", "--queue-url", url);
      expect((await aws.json("sqs", "list-queues", "--queue-name-prefix", `${tag}-`)).QueueUrls).toEqual([dlq, url].sort());

      // A message received maxReceiveCount times lands in the DLQ on the next receive.
      const poison = await aws.json("sqs", "send-message", "--queue-url", url, "--message-body", "poison");
      for (let i = 0; i < 2; i++) {
        const r = (await aws.json("sqs", "receive-message", "--queue-url", url, "--visibility-timeout", "0")).Messages as Message[];
        expect(r[0]!.MessageId).toBe(poison.MessageId);
      }
      expect((await aws.json("sqs", "receive-message", "--queue-url", url)).Messages ?? []).toEqual([]);
      const inDlq = (await aws.json("sqs", "get-queue-attributes", "--queue-url", dlq, "--attribute-names", "ApproximateNumberOfMessages")).Attributes as Record<string, string>;
      expect(inDlq.ApproximateNumberOfMessages).toBe("1");
      expect((await aws.json("sqs", "list-dead-letter-source-queues", "--queue-url", dlq)).queueUrls).toEqual([url]);
      if (!moveTasks) {
        const moved = (await aws.json("sqs", "receive-message", "--queue-url", dlq)).Messages as Message[];
        expect(moved[0]!.MessageId).toBe(poison.MessageId);
        return;
      }
      // The module's redrive commands: the message goes back to the queue it came from.
      expect((await aws.json("sqs", "start-message-move-task", "--source-arn", dlqArn, "--max-number-of-messages-per-second", "50")).TaskHandle).toEqual(expect.any(String));
      const tasks = (await aws.json("sqs", "list-message-move-tasks", "--source-arn", dlqArn)).Results as Array<Record<string, unknown>>;
      expect(tasks[0]).toMatchObject({ Status: "COMPLETED", ApproximateNumberOfMessagesMoved: 1 });
      const back = (await aws.json("sqs", "receive-message", "--queue-url", url)).Messages as Message[];
      expect(back[0]!.MessageId).toBe(poison.MessageId);
    });

    it("wakes a long poll when a message is sent", { timeout: 120_000 }, async () => {
      const aws = cli(bin);
      const url = (await aws.json("sqs", "create-queue", "--queue-name", `${tag}-poll`)).QueueUrl as string;
      const polling = aws.background("sqs", "receive-message", "--queue-url", url, "--wait-time-seconds", "20");
      // Give the CLI time to start and send its receive, then send.
      await new Promise((r) => setTimeout(r, 4000));
      const sentAt = performance.now();
      await aws.json("sqs", "send-message", "--queue-url", url, "--message-body", "wake");
      const { out, endedAt } = await polling;
      expect((out.Messages as Message[])[0]!.Body).toBe("wake");
      // Far less than the 20 s wait: the send woke the receive.
      expect(endedAt - sentAt).toBeLessThan(8000);
    });

    it("reports AWS's error codes", { timeout: 120_000 }, async () => {
      const aws = cli(bin);
      expect(await aws.fails("sqs", "get-queue-url", "--queue-name", `${tag}-missing`)).toContain(missingQueueCode);
      expect(await aws.fails("sqs", "create-queue", "--queue-name", `${tag}-bad`, "--attributes", JSON.stringify({ VisibilityTimeout: "99999" }))).toContain("InvalidAttributeValue");
    });
  });
}
