// Helpers shared by the SNS integration tests (SDK and CLI): queues, the lab's queue policy,
// and collecting what reaches a queue.
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";

export async function makeQueue(sqs: SQSClient, name: string): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  return { url: QueueUrl as string, arn: attrs.Attributes?.QueueArn as string };
}

/** The lab's queue policy: only sns.amazonaws.com, only from this topic. */
export function onlyTopicPolicy(queueArn: string, topicArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "sns.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: queueArn,
        Condition: { ArnEquals: { "aws:SourceArn": topicArn } },
      },
    ],
  });
}

/** Every message body that arrives within `ms` (long polling; nothing is deleted). */
export async function drain(sqs: SQSClient, url: string, ms: number, want = Infinity): Promise<string[]> {
  const bodies: string[] = [];
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && bodies.length < want) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 60 }));
    for (const m of r.Messages ?? []) bodies.push(m.Body ?? "");
  }
  return bodies;
}

/** The orderId inside each SNS envelope's Message, sorted. */
export const orderIds = (bodies: string[]) =>
  bodies.map((b) => (JSON.parse((JSON.parse(b) as { Message: string }).Message) as { orderId: string }).orderId).sort();
