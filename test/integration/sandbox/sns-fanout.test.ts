// SNS over the wire with the SDK: the lab's fan-out reaches exactly the queues each order's
// attributes select, a queue whose policy does not allow the topic gets nothing, and http
// subscriptions get the confirmation and notifications (or nothing, when the outbound-address
// policy refuses the address).
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  NotFoundException,
  InvalidParameterException,
  PublishBatchCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
  type MessageAttributeValue,
} from "@aws-sdk/client-sns";
import { ReceiveMessageCommand, SetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { drain, makeQueue, onlyTopicPolicy, orderIds } from "./sns-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSandbox, type TestSandbox } from "@/test/support/sandbox";

const INVENTORY = { event_type: ["order_created", "order_updated"] };
const SHIPPING = { order_value: [{ numeric: [">=", 1000] }], shipping_type: ["express", "priority"] };

function attrs(event: string, value: number, shipping: string): Record<string, MessageAttributeValue> {
  return {
    event_type: { DataType: "String", StringValue: event },
    order_value: { DataType: "Number", StringValue: String(value) },
    shipping_type: { DataType: "String", StringValue: shipping },
  };
}

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

async function receiver() {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      got.push({ headers: req.headers, body });
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, got, close: () => new Promise((r) => server.close(r)) };
}

async function until(check: () => boolean, ms: number) {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

describe("SNS in the sandbox (SDK)", () => {
  let sandbox: TestSandbox;
  let sns: SNSClient;
  let sqs: SQSClient;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    sns = new SNSClient(sandbox.clientConfig());
    sqs = new SQSClient(sandbox.clientConfig());
  });
  afterAll(async () => {
    sns?.destroy();
    sqs?.destroy();
    await sandbox?.close();
  });

  it("a published order reaches exactly the queues its attributes select; a queue that does not allow the topic gets nothing", async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "order-events" }));
    const other = await sns.send(new CreateTopicCommand({ Name: "other-topic" }));
    const inventory = await makeQueue(sqs, "inventory-updates");
    const shipping = await makeQueue(sqs, "shipping-orders");
    const locked = await makeQueue(sqs, "locked-orders");
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: inventory.url, Attributes: { Policy: onlyTopicPolicy(inventory.arn, TopicArn as string) } }));
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: shipping.url, Attributes: { Policy: onlyTopicPolicy(shipping.arn, TopicArn as string) } }));
    // This queue lets only another topic in.
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: locked.url, Attributes: { Policy: onlyTopicPolicy(locked.arn, other.TopicArn as string) } }));

    const sub = async (arn: string, policy?: object) =>
      (
        await sns.send(
          new SubscribeCommand({
            TopicArn,
            Protocol: "sqs",
            Endpoint: arn,
            ReturnSubscriptionArn: true,
            ...(policy ? { Attributes: { FilterPolicy: JSON.stringify(policy), FilterPolicyScope: "MessageAttributes" } } : {}),
          }),
        )
      ).SubscriptionArn as string;
    const inventorySub = await sub(inventory.arn, INVENTORY);
    await sub(shipping.arn, SHIPPING);
    await sub(locked.arn);

    const got = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: inventorySub }));
    expect(got.Attributes).toMatchObject({ FilterPolicy: JSON.stringify(INVENTORY), FilterPolicyScope: "MessageAttributes", Protocol: "sqs", PendingConfirmation: "false" });
    const listed = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    expect(listed.Subscriptions?.map((s) => s.Endpoint).sort()).toEqual([inventory.arn, locked.arn, shipping.arn].sort());

    await sns.send(new PublishCommand({ TopicArn, Message: JSON.stringify({ orderId: "a" }), MessageAttributes: attrs("order_created", 1500, "express") }));
    await sns.send(new PublishCommand({ TopicArn, Message: JSON.stringify({ orderId: "b" }), MessageAttributes: attrs("order_updated", 999, "standard") }));
    const batch = await sns.send(
      new PublishBatchCommand({
        TopicArn,
        PublishBatchRequestEntries: [
          { Id: "c", Message: JSON.stringify({ orderId: "c" }), MessageAttributes: attrs("order_cancelled", 1200, "priority") },
          { Id: "d", Message: JSON.stringify({ orderId: "d" }), MessageAttributes: attrs("order_cancelled", 1000, "standard") },
        ],
      }),
    );
    expect(batch.Successful?.map((s) => s.Id)).toEqual(["c", "d"]);
    expect(batch.Failed ?? []).toEqual([]);

    expect(orderIds(await drain(sqs, inventory.url, 5000, 2))).toEqual(["a", "b"]);
    expect(orderIds(await drain(sqs, shipping.url, 5000, 2))).toEqual(["a", "c"]);
    // Give stray deliveries time to show up, then check nothing else arrived anywhere.
    expect(await drain(sqs, locked.url, 1500)).toEqual([]);
    expect(await drain(sqs, inventory.url, 500)).toEqual([]);
    expect(await drain(sqs, shipping.url, 500)).toEqual([]);
  }, 30_000);

  it("raw delivery puts the message and its attributes on the queue", async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "raw-topic" }));
    const q = await makeQueue(sqs, "raw-queue");
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { Policy: onlyTopicPolicy(q.arn, TopicArn as string) } }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: q.arn, Attributes: { RawMessageDelivery: "true" } }));
    await sns.send(new PublishCommand({ TopicArn, Message: "just text", MessageAttributes: { k: { DataType: "String", StringValue: "v" } } }));
    const deadline = Date.now() + 5000;
    let message: { Body?: string; MessageAttributes?: Record<string, { StringValue?: string; DataType?: string }> } | undefined;
    while (!message && Date.now() < deadline) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, WaitTimeSeconds: 1, MessageAttributeNames: ["All"] }));
      message = r.Messages?.[0];
    }
    expect(message?.Body).toBe("just text");
    expect(message?.MessageAttributes?.k).toMatchObject({ DataType: "String", StringValue: "v" });
  }, 30_000);

  it("answers errors the SDK turns into the right exceptions", async () => {
    const missing = "arn:aws:sns:us-east-1:000000000000:no-such-topic";
    await expect(sns.send(new PublishCommand({ TopicArn: missing, Message: "m" }))).rejects.toBeInstanceOf(NotFoundException);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "errors-topic" }));
    const err = await sns.send(new PublishCommand({ TopicArn, Message: "x".repeat(262_145) })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidParameterException);
    expect((err as Error).message).toBe("Invalid parameter: Message too long");
    const bad = await sns
      .send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: "arn:aws:sqs:us-east-1:000000000000:q", Attributes: { FilterPolicy: '{"a":"b"}' } }))
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(InvalidParameterException);
    expect((bad as Error).message).toMatch(/^Invalid parameter: Attributes Reason: FilterPolicy: /);
  });

  it("an http subscription to a local receiver gets the confirmation, then notifications", async () => {
    const r = await receiver();
    try {
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "webhooks" }));
      const out = await sns.send(new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: r.url }));
      expect(out.SubscriptionArn).toBe("pending confirmation");
      await until(() => r.got.length >= 1, 5000);
      const confirmation = r.got[0] as Received;
      expect(confirmation.headers["x-amz-sns-message-type"]).toBe("SubscriptionConfirmation");
      const body = JSON.parse(confirmation.body) as { Token: string; SubscribeURL: string; TopicArn: string };
      expect(body.TopicArn).toBe(TopicArn);
      expect(new URL(body.SubscribeURL).searchParams.get("Token")).toBe(body.Token);
      const confirmed = await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: body.Token }));
      expect(confirmed.SubscriptionArn?.startsWith(`${TopicArn}:`)).toBe(true);

      await sns.send(new PublishCommand({ TopicArn, Message: "ping", Subject: "hello" }));
      await until(() => r.got.length >= 2, 5000);
      const n = r.got[1] as Received;
      expect(n.headers["x-amz-sns-message-type"]).toBe("Notification");
      expect(n.headers["x-amz-sns-subscription-arn"]).toBe(confirmed.SubscriptionArn);
      expect(JSON.parse(n.body)).toMatchObject({ Type: "Notification", Message: "ping", Subject: "hello", TopicArn });
    } finally {
      await r.close();
    }
  }, 30_000);
});

describe("SNS in a hosted sandbox", () => {
  it("an http subscription to a refused address (loopback) never gets a request", async () => {
    const sandbox = await startTestSandbox({ mode: "hosted", endpointPolicy: "hosted" });
    const r = await receiver();
    // A hosted sandbox takes only issued keys (test/test is refused there).
    const sns = new SNSClient(sandbox.clientConfig(await sandbox.createAccount()));
    try {
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "hosted-hooks" }));
      await sns.send(new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: r.url }));
      await sns.send(new PublishCommand({ TopicArn, Message: "m" }));
      await new Promise((res) => setTimeout(res, 2000));
      expect(r.got).toEqual([]);
    } finally {
      sns.destroy();
      await r.close();
      await sandbox.close();
    }
  }, 30_000);
});
