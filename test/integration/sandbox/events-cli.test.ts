// EventBridge through the AWS CLIs a learner may have (both speak JSON 1.1 to EventBridge): the
// lab's step-4 commands — put-rule with the high-value pattern, put-targets to an SQS queue whose
// policy admits the rule, put-events — then the queue holds only the high-value order, and
// test-event-pattern answers (and fails) as AWS does.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsCli } from "@/test/support/aws-cli";
import { startTestSandbox } from "@/test/support/sandbox";
import type { TestSandbox } from "@/test/support/sandbox";


const CLIS = [
  { label: "pyenv aws 1.45", bin: "/root/.pyenv/shims/aws" },
  { label: "/usr/bin/aws 2.9", bin: "/usr/bin/aws" },
];

const PATTERN = JSON.stringify({
  "detail-type": ["OrderCreated"],
  source: ["com.myapp.orders"],
  detail: { amount: [{ numeric: [">=", 1000] }] },
});

let sandbox: TestSandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox();
});

afterAll(async () => {
  await sandbox?.close();
});

const cli = (bin: string) => awsCli(bin, sandbox);

const event = (amount: number, source = "com.myapp.orders") =>
  JSON.stringify({
    id: "e1",
    account: "000000000000",
    source,
    time: "2026-11-26T12:00:00Z",
    region: "us-east-1",
    resources: [],
    "detail-type": "OrderCreated",
    detail: { orderId: "o-1", amount, status: "confirmed" },
  });

for (const { label, bin } of CLIS) {
  describe.skipIf(!fs.existsSync(bin))(`EventBridge with ${label}`, () => {
    const tag = bin.includes("pyenv") ? "py" : "deb";

    it("a high-value event reaches the rule's SQS target and a low one does not", { timeout: 120_000 }, async () => {
      const aws = cli(bin);
      const rule = `${tag}-high-value-orders`;
      const ruleArn = (await aws.json("events", "put-rule", "--name", rule, "--event-bus-name", "default", "--event-pattern", PATTERN, "--state", "ENABLED")).RuleArn as string;
      expect(ruleArn).toBe(`arn:aws:events:us-east-1:000000000000:rule/${rule}`);

      const url = (await aws.json("sqs", "create-queue", "--queue-name", `${tag}-premium`)).QueueUrl as string;
      const queueArn = ((await aws.json("sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names", "QueueArn")).Attributes as Record<string, string>).QueueArn as string;
      const policy = JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sqs:SendMessage", Resource: queueArn, Condition: { ArnEquals: { "aws:SourceArn": ruleArn } } }],
      });
      await aws.json("sqs", "set-queue-attributes", "--queue-url", url, "--attributes", JSON.stringify({ Policy: policy }));

      const put = await aws.json("events", "put-targets", "--rule", rule, "--event-bus-name", "default", "--targets", `Id=premium,Arn=${queueArn}`);
      expect(put.FailedEntryCount).toBe(0);
      expect(((await aws.json("events", "list-targets-by-rule", "--rule", rule)).Targets as Array<{ Arn: string }>).map((t) => t.Arn)).toEqual([queueArn]);
      expect(await aws.json("events", "describe-rule", "--name", rule)).toMatchObject({ Name: rule, State: "ENABLED", EventPattern: PATTERN });

      const entries = [999, 1000].map((amount) => ({
        Source: "com.myapp.orders",
        DetailType: "OrderCreated",
        Detail: JSON.stringify({ orderId: `o-${amount}`, amount, status: "confirmed" }),
        EventBusName: "default",
      }));
      const sent = await aws.json("events", "put-events", "--entries", JSON.stringify(entries));
      expect(sent.FailedEntryCount).toBe(0);

      const bodies: string[] = [];
      for (let i = 0; i < 4 && bodies.length < 2; i++) {
        const got = await aws.json("sqs", "receive-message", "--queue-url", url, "--max-number-of-messages", "10", "--wait-time-seconds", "1");
        for (const m of (got.Messages as Array<{ Body: string }> | undefined) ?? []) bodies.push(m.Body);
      }
      expect(bodies.map((b) => (JSON.parse(b) as { detail: { amount: number } }).detail.amount)).toEqual([1000]);
    });

    it("test-event-pattern answers like AWS", { timeout: 60_000 }, async () => {
      const aws = cli(bin);
      expect(await aws.json("events", "test-event-pattern", "--event-pattern", PATTERN, "--event", event(1500))).toEqual({ Result: true });
      expect(await aws.json("events", "test-event-pattern", "--event-pattern", PATTERN, "--event", event(999))).toEqual({ Result: false });
      expect(await aws.json("events", "test-event-pattern", "--event-pattern", PATTERN, "--event", event(5000, "com.other"))).toEqual({ Result: false });
      const badPattern = await aws.fails("events", "test-event-pattern", "--event-pattern", '{"detail":{"amount":[{"numeric":[">=","x"]}]}}', "--event", event(1));
      expect(badPattern).toContain("An error occurred (InvalidEventPatternException) when calling the TestEventPattern operation: Event pattern is not valid. Reason: ");
      const badEvent = await aws.fails("events", "test-event-pattern", "--event-pattern", PATTERN, "--event", '{"source":"x"}');
      expect(badEvent).toContain("An error occurred (ValidationException) when calling the TestEventPattern operation: Parameter Event is not valid.");
      const missing = await aws.fails("events", "describe-rule", "--name", `${tag}-nope`);
      expect(missing).toContain(`An error occurred (ResourceNotFoundException) when calling the DescribeRule operation: Rule ${tag}-nope does not exist on EventBus default.`);
    });
  });
}
