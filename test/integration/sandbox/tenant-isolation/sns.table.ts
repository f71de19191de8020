// SNS: topics and subscriptions are named by ARN. Another account reaches a topic only as its
// policy allows (the default policy lets in only the owner), never tags it, and reaches a
// subscription only if it made it; an ARN of another region, or a bare name, is not a
// parameter SNS takes (InvalidParameter). A pending subscription is confirmed only with its token.
import * as sns from "@aws-sdk/client-sns";
import * as sqs from "@aws-sdk/client-sqs";
import type { Attempt, Env, IsolationTable } from "./support";
import { OTHER_REGION } from "./support";

interface Victim {
  topicArn: string;
  subscriptionArn: string;
  queueUrl: string;
}

const DENIED = "AuthorizationErrorException";
const INVALID = "InvalidParameterException";

function byTopicArn(v: Victim, member: string, extra: Record<string, unknown> = {}): Attempt[] {
  return [
    { label: "by ARN", input: { [member]: v.topicArn, ...extra }, expect: DENIED },
    { label: "by ARN, signed for another region", region: OTHER_REGION, input: { [member]: v.topicArn, ...extra }, expect: INVALID },
    { label: "by bare name", input: { [member]: "victim-events", ...extra }, expect: INVALID },
  ];
}

function bySubscriptionArn(v: Victim, extra: Record<string, unknown> = {}): Attempt[] {
  return [
    { label: "by ARN", input: { SubscriptionArn: v.subscriptionArn, ...extra }, expect: DENIED },
    { label: "by ARN, signed for another region", region: OTHER_REGION, input: { SubscriptionArn: v.subscriptionArn, ...extra }, expect: INVALID },
  ];
}

/** The victim's queue receives what the victim's topic publishes, so a publish that got through would show there. */
async function victimQueue(env: Env): Promise<{ url: string; arn: string }> {
  const q = new sqs.SQSClient(env.sb.clientConfig(env.victim));
  try {
    const url = (await q.send(new sqs.CreateQueueCommand({ QueueName: "victim-inbox" }))).QueueUrl!;
    const arn = (await q.send(new sqs.GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
    return { url, arn };
  } finally {
    q.destroy();
  }
}

export const snsTable: IsolationTable<Victim> = {
  service: "sns",
  newClient: (config) => new sns.SNSClient(config),
  commands: sns,
  signatureError: "SignatureDoesNotMatch",

  async setup(env) {
    const c = env.client(env.victim);
    const topicArn = (await env.send(c, "CreateTopic", { Name: "victim-events", Attributes: { DisplayName: "Victim" }, Tags: [{ Key: "team", Value: "victim" }] }))
      .TopicArn as string;
    const queue = await victimQueue(env);
    const policy = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: queue.arn, Condition: { ArnEquals: { "aws:SourceArn": topicArn } } }],
    };
    const q = new sqs.SQSClient(env.sb.clientConfig(env.victim));
    await q.send(new sqs.SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: { Policy: JSON.stringify(policy) } }));
    q.destroy();
    const subscriptionArn = (await env.send(c, "Subscribe", { TopicArn: topicArn, Protocol: "sqs", Endpoint: queue.arn })).SubscriptionArn as string;
    // A subscription waiting for its confirmation token, which only the endpoint receives.
    await env.send(c, "Subscribe", { TopicArn: topicArn, Protocol: "email", Endpoint: "victim@example.com" });
    return { topicArn, subscriptionArn, queueUrl: queue.url };
  },

  async snapshot(env, v) {
    // Deliveries run after Publish answers: give one that got through the time to land.
    await new Promise((r) => setTimeout(r, 100));
    const c = env.client(env.victim);
    const topic = await env.send(c, "GetTopicAttributes", { TopicArn: v.topicArn });
    const tags = await env.send(c, "ListTagsForResource", { ResourceArn: v.topicArn });
    const subs = await env.send(c, "ListSubscriptionsByTopic", { TopicArn: v.topicArn });
    const sub = await env.send(c, "GetSubscriptionAttributes", { SubscriptionArn: v.subscriptionArn });
    const q = new sqs.SQSClient(env.sb.clientConfig(env.victim));
    const queued = await q.send(new sqs.GetQueueAttributesCommand({ QueueUrl: v.queueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }));
    q.destroy();
    return { topic: topic.Attributes, tags: tags.Tags, subs: subs.Subscriptions, sub: sub.Attributes, queued: queued.Attributes };
  },

  rows: {
    DeleteTopic: (v) => byTopicArn(v, "TopicArn"),
    GetTopicAttributes: (v) => byTopicArn(v, "TopicArn"),
    SetTopicAttributes: (v) => byTopicArn(v, "TopicArn", { AttributeName: "DisplayName", AttributeValue: "owned" }),
    Subscribe: (v, env) => byTopicArn(v, "TopicArn", { Protocol: "sqs", Endpoint: `arn:aws:sqs:us-east-1:${env.attacker.accountId}:loot` }),
    ConfirmSubscription: (v) => [
      { label: "the victim's topic with a guessed token", input: { TopicArn: v.topicArn, Token: "0".repeat(128) }, expect: INVALID },
      { label: "signed for another region", region: OTHER_REGION, input: { TopicArn: v.topicArn, Token: "0".repeat(128) }, expect: INVALID },
    ],
    ListSubscriptionsByTopic: (v) => byTopicArn(v, "TopicArn"),
    Publish: (v) => [
      ...byTopicArn(v, "TopicArn", { Message: "from the attacker" }),
      { label: "by TargetArn", input: { TargetArn: v.topicArn, Message: "from the attacker" }, expect: DENIED },
    ],
    PublishBatch: (v) => byTopicArn(v, "TopicArn", { PublishBatchRequestEntries: [{ Id: "a", Message: "from the attacker" }] }),
    Unsubscribe: (v) => bySubscriptionArn(v),
    GetSubscriptionAttributes: (v) => bySubscriptionArn(v),
    SetSubscriptionAttributes: (v) => bySubscriptionArn(v, { AttributeName: "RawMessageDelivery", AttributeValue: "true" }),
    TagResource: (v) => byTopicArn(v, "ResourceArn", { Tags: [{ Key: "owner", Value: "attacker" }] }),
    UntagResource: (v) => byTopicArn(v, "ResourceArn", { TagKeys: ["team"] }),
    ListTagsForResource: (v) => byTopicArn(v, "ResourceArn"),
  },

  exempt: {
    CreateTopic: "creates a topic in the caller's own account from a name",
    ListTopics: "lists the caller's own topics",
    ListSubscriptions: "lists the subscriptions of the caller's topics and those the caller made",
  },
};
