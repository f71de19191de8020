// The lab's step 4 end to end with the SDK: the high-value-orders rule targets a real Lambda
// function (run by the sandbox in its jail). The function sends each event it gets to an SQS
// queue with the SDK (its one way out of the jail is the sandbox's API), so the test sees what
// EventBridge delivered: nothing while the function's resource policy does not admit the rule,
// then exactly the orders of 1000 or more.
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand, EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSandbox } from "@/test/support/sandbox";
import type { TestSandbox } from "@/test/support/sandbox";
import { ROLE, zipOf } from "@/test/unit/sandbox/lambda/helpers";

const PATTERN = JSON.stringify({ source: ["com.myapp.orders"], "detail-type": ["OrderCreated"], detail: { amount: [{ numeric: [">=", 1000] }] } });
const RECORDER = `import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";
const sqs = new SQSClient({});
export const handler = async (event) => {
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.OUT_QUEUE, MessageBody: JSON.stringify(event) }));
  return { ok: true };
};`;

type Delivered = { detail: { amount: number } };

let sandbox: TestSandbox;
let events: EventBridgeClient;
let lambda: LambdaClient;
let sqs: SQSClient;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  events = new EventBridgeClient(sandbox.clientConfig());
  lambda = new LambdaClient(sandbox.clientConfig());
  sqs = new SQSClient(sandbox.clientConfig());
});

afterAll(async () => {
  events?.destroy();
  lambda?.destroy();
  sqs?.destroy();
  await sandbox?.close();
});

const order = (amount: number) => ({ Source: "com.myapp.orders", DetailType: "OrderCreated", Detail: JSON.stringify({ orderId: `o-${amount}`, amount, status: "confirmed" }) });

/** Takes what the function sent off the queue (long polling) into `into`, until it holds `count` or `ms` pass. */
async function collect(queueUrl: string, into: Delivered[], count: number, ms: number): Promise<Delivered[]> {
  const until = Date.now() + ms;
  while (into.length < count) {
    const left = until - Date.now();
    if (left <= 0) break;
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: Math.max(1, Math.min(20, Math.floor(left / 1000))) }));
    for (const m of got.Messages ?? []) {
      into.push(JSON.parse(m.Body ?? "") as Delivered);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
    }
  }
  return into;
}

describe("EventBridge → Lambda", () => {
  it("invokes the function only once its policy admits the rule, and only for orders of 1000 or more", { timeout: 60_000 }, async () => {
    const { QueueUrl: out } = await sqs.send(new CreateQueueCommand({ QueueName: "premium-orders-seen" }));
    if (out === undefined) throw new Error("CreateQueue returned no QueueUrl");
    const seen: Delivered[] = [];
    const fn = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: "premium-order-processor",
        Runtime: "nodejs20.x",
        Role: ROLE,
        Handler: "index.handler",
        Code: { ZipFile: Buffer.from(zipOf({ "index.mjs": RECORDER }), "base64") },
        Environment: { Variables: { OUT_QUEUE: out } },
        Timeout: 10,
      }),
    );
    const { RuleArn } = await events.send(new PutRuleCommand({ Name: "high-value-orders", EventBusName: "default", EventPattern: PATTERN, State: "ENABLED" }));
    expect((await events.send(new PutTargetsCommand({ Rule: "high-value-orders", Targets: [{ Id: "premium", Arn: fn.FunctionArn }] }))).FailedEntryCount).toBe(0);

    // No permission yet: EventBridge's invocation is refused and the event is dropped.
    await events.send(new PutEventsCommand({ Entries: [order(2000)] }));
    expect(await collect(out, seen, 1, 2_000)).toEqual([]);

    // A statement for another rule does not help either.
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: "premium-order-processor",
        StatementId: "other-rule",
        Action: "lambda:InvokeFunction",
        Principal: "events.amazonaws.com",
        SourceArn: "arn:aws:events:us-east-1:000000000000:rule/some-other-rule",
      }),
    );
    await events.send(new PutEventsCommand({ Entries: [order(3000)] }));
    expect(await collect(out, seen, 1, 2_000)).toEqual([]);

    await lambda.send(
      new AddPermissionCommand({
        FunctionName: "premium-order-processor",
        StatementId: "high-value-orders-invoke",
        Action: "lambda:InvokeFunction",
        Principal: "events.amazonaws.com",
        SourceArn: RuleArn,
      }),
    );
    await events.send(new PutEventsCommand({ Entries: [order(999), order(1000), order(1500)] }));
    await collect(out, seen, 2, 20_000);
    await collect(out, seen, 3, 1_500); // nothing more arrives
    expect(seen.map((e) => e.detail.amount).sort()).toEqual([1000, 1500]);
    expect(seen[0]).toMatchObject({ source: "com.myapp.orders", "detail-type": "OrderCreated", account: "000000000000" });
  });
});
