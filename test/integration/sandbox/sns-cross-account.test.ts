// SNS to SQS across accounts, as on AWS: a topic of account A reaches a queue of account B only
// when B's queue policy lets sns.amazonaws.com in for that topic (aws:SourceArn); B subscribes
// its own queue at once (A's topic policy allowing it), while a subscription A makes for B's
// queue waits for B to confirm with the token SNS sent to the queue.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfirmSubscriptionCommand, CreateTopicCommand, PublishCommand, SetTopicAttributesCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { AccountKeys, TestSandbox } from "@/test/support/sandbox";
import { startTestSandbox } from "@/test/support/sandbox";

let sb: TestSandbox;
let a: AccountKeys;
let b: AccountKeys;
let snsA: SNSClient;
let snsB: SNSClient;
let sqsB: SQSClient;
let topicArn: string;

async function queueOfB(name: string, allowTopic?: string): Promise<{ url: string; arn: string }> {
  const url = (await sqsB.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const arn = (await sqsB.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
  if (allowTopic) {
    const policy = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: arn, Condition: { ArnEquals: { "aws:SourceArn": allowTopic } } }],
    };
    await sqsB.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: JSON.stringify(policy) } }));
  }
  return { url, arn };
}

/** Waits (briefly) for the queue's next message and deletes it. */
async function nextBody(url: string, waitSeconds = 2): Promise<string | undefined> {
  const got = await sqsB.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: waitSeconds }));
  const m = got.Messages?.[0];
  if (m) await sqsB.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
  return m?.Body;
}

beforeAll(async () => {
  sb = await startTestSandbox();
  [a, b] = await Promise.all([sb.createAccount(), sb.createAccount()]);
  snsA = new SNSClient(sb.clientConfig(a));
  snsB = new SNSClient(sb.clientConfig(b));
  sqsB = new SQSClient(sb.clientConfig(b));
  topicArn = (await snsA.send(new CreateTopicCommand({ Name: "orders" }))).TopicArn!;
  const policy = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${b.accountId}:root` }, Action: "sns:Subscribe", Resource: topicArn }],
  };
  await snsA.send(new SetTopicAttributesCommand({ TopicArn: topicArn, AttributeName: "Policy", AttributeValue: JSON.stringify(policy) }));
});
afterAll(async () => {
  for (const c of [snsA, snsB, sqsB]) c?.destroy();
  await sb?.close();
});

describe("SNS topic of one account, SQS queue of another (SDK v3)", () => {
  it("delivers to the queue whose policy allows the topic, subscribed by the queue's owner", async () => {
    const queue = await queueOfB("orders-from-a", topicArn);
    const sub = await snsB.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: queue.arn, Attributes: { RawMessageDelivery: "true" } }));
    expect(sub.SubscriptionArn).toMatch(/^arn:aws:sns:us-east-1:\d{12}:orders:/);
    await snsA.send(new PublishCommand({ TopicArn: topicArn, Message: "order 1" }));
    expect(await nextBody(queue.url)).toBe("order 1");
  });

  it("delivers nothing to a queue whose policy names another topic", async () => {
    const queue = await queueOfB("orders-other-topic", topicArn.replace(":orders", ":other"));
    await snsB.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: queue.arn }));
    await snsA.send(new PublishCommand({ TopicArn: topicArn, Message: "order 2" }));
    expect(await nextBody(queue.url, 1)).toBeUndefined();
  });

  it("waits for the queue's owner to confirm a subscription the topic's owner made", async () => {
    const queue = await queueOfB("orders-confirmed", topicArn);
    const sub = await snsA.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: queue.arn }));
    expect(sub.SubscriptionArn).toBe("pending confirmation");
    const confirmation = JSON.parse((await nextBody(queue.url)) ?? "{}") as { Type?: string; Token?: string; TopicArn?: string };
    expect(confirmation).toMatchObject({ Type: "SubscriptionConfirmation", TopicArn: topicArn });

    await snsA.send(new PublishCommand({ TopicArn: topicArn, Message: "before confirming" }));
    expect(await nextBody(queue.url, 1)).toBeUndefined();

    const confirmed = await snsB.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: confirmation.Token }));
    expect(confirmed.SubscriptionArn).toMatch(/^arn:aws:sns:/);
    await snsA.send(new PublishCommand({ TopicArn: topicArn, Message: "after confirming" }));
    expect(JSON.parse((await nextBody(queue.url)) ?? "{}")).toMatchObject({ Type: "Notification", Message: "after confirming" });
  });
});
