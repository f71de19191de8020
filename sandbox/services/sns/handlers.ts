// One function per SNS operation, named after it. Each takes the JSON input shape (the SDK's
// …CommandInput, read as unknown values) and returns the output shape without $metadata.
// State changes reach env.store before a handler returns.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type {
  BatchResultErrorEntry,
  ConfirmSubscriptionCommandOutput,
  CreateTopicCommandOutput,
  DeleteTopicCommandOutput,
  GetSubscriptionAttributesCommandOutput,
  GetTopicAttributesCommandOutput,
  ListSubscriptionsByTopicCommandOutput,
  ListSubscriptionsCommandOutput,
  ListTagsForResourceCommandOutput,
  ListTopicsCommandOutput,
  PublishBatchCommandOutput,
  PublishBatchResultEntry,
  PublishCommandOutput,
  SetSubscriptionAttributesCommandOutput,
  SetTopicAttributesCommandOutput,
  SubscribeCommandOutput,
  Subscription,
  TagResourceCommandOutput,
  UnsubscribeCommandOutput,
  UntagResourceCommandOutput,
} from "@aws-sdk/client-sns";
import { AwsError, type RequestContext, type ServiceEnvironment } from "@/sandbox/core/contracts";
import type { WireOutput as Wire } from "@/sandbox/core/wire-output";
import { checkPassedRole, defaultTopicPolicy, isRoleAttribute, subscriptionByArn, taggedTopicByArn, topicByArn } from "./access";
import { parseFunctionArn, parseQueueArn, type DeliveryQueue } from "./delivery";
import { confirmationText, type Urls } from "./envelope";
import {
  batchEntryIdsNotDistinct,
  batchRequestTooLong,
  emptyBatchRequest,
  internalError,
  invalidBatchEntryId,
  InvalidParameter,
  memberMustNotBeNull,
  NotFound,
  subscriptionNotFound,
  tagLimitExceeded,
  tooManyEntriesInBatchRequest,
} from "./errors";
import { type DeliveryRecord, type PublishedMessage, type SnsState, type SubscriptionRecord, type TopicRecord } from "./models";
import {
  applySubscriptionAttributes,
  checkFifoId,
  checkMessageAttributes,
  checkSubject,
  checkTopicAttribute,
  checkTopicName,
  list,
  MAX_MESSAGE_BYTES,
  MAX_TAGS,
  messageBytes,
  optionalString,
  parseMessageStructure,
  readTags,
  requiredString,
  stringMap,
  type Input,
} from "./validate";

/** What every handler works on. */
export interface Sns {
  env: ServiceEnvironment;
  state: SnsState;
  deliveries: DeliveryQueue;
  urls: Urls;
}


const PAGE_SIZE = 100;
const MAX_BATCH_ENTRIES = 10;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
const PENDING = "pending confirmation";

const EFFECTIVE_DELIVERY_POLICY = JSON.stringify({
  http: {
    defaultHealthyRetryPolicy: {
      minDelayTarget: 20,
      maxDelayTarget: 20,
      numRetries: 3,
      numMaxDelayRetries: 0,
      numNoDelayRetries: 0,
      numMinDelayRetries: 0,
      backoffFunction: "linear",
    },
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: "text/plain; charset=UTF-8" },
  },
});

// ---- lists -------------------------------------------------------------------------------

function page<T>(items: T[], token: string | undefined): { items: T[]; next?: string } {
  let start = 0;
  if (token !== undefined && token !== "") {
    const n = Number(Buffer.from(token, "base64url").toString("utf8"));
    if (!Number.isInteger(n) || n < 0 || n > items.length) throw InvalidParameter("Invalid parameter: NextToken");
    start = n;
  }
  const end = start + PAGE_SIZE;
  return { items: items.slice(start, end), ...(end < items.length ? { next: Buffer.from(String(end)).toString("base64url") } : {}) };
}

function listEntry(s: SubscriptionRecord): Subscription {
  return { SubscriptionArn: s.confirmed ? s.arn : "PendingConfirmation", Owner: s.owner, Protocol: s.protocol, Endpoint: s.endpoint, TopicArn: s.topicArn };
}

function mustSubscription(sns: Sns, input: Input, ctx: RequestContext, action: string): SubscriptionRecord {
  const sub = subscriptionByArn(sns.state, requiredString(input, "SubscriptionArn"), ctx, action);
  if (!sub) throw subscriptionNotFound();
  return sub;
}

const byCreation = (a: SubscriptionRecord, b: SubscriptionRecord) => a.createdAt - b.createdAt || a.arn.localeCompare(b.arn);

// ---- topics -------------------------------------------------------------------------------

export function CreateTopic(sns: Sns, input: Input, ctx: RequestContext): Wire<CreateTopicCommandOutput> {
  const name = requiredString(input, "Name");
  const given = stringMap(input, "Attributes");
  const fifo = (given.FifoTopic ?? "").toLowerCase() === "true";
  checkTopicName(name, fifo);
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(given)) {
    const value = checkTopicAttribute(k, v, fifo, true);
    if (isRoleAttribute(k)) checkPassedRole(k, value, { accountId: ctx.accountId }, ctx, true);
    if (k !== "FifoTopic") attributes[k] = value;
  }
  const tags = readTags(input);
  if (Object.keys(tags).length > MAX_TAGS) throw tagLimitExceeded();
  const arn = `arn:aws:sns:${ctx.region}:${ctx.accountId}:${name}`;

  // CreateTopic is idempotent by name, but refuses to change an existing topic.
  const existing = sns.state.topics.get(arn);
  if (existing) {
    const current = topicAttributes(sns, existing);
    if (Object.entries(attributes).some(([k, v]) => current[k] !== v)) {
      throw InvalidParameter("Invalid parameter: Attributes Reason: Topic already exists with different attributes");
    }
    if (Object.entries(tags).some(([k, v]) => existing.tags[k] !== v)) {
      throw InvalidParameter("Invalid parameter: Tags Reason: Topic already exists with different tags");
    }
    return { TopicArn: arn };
  }
  sns.state.putTopic({
    arn,
    name,
    accountId: ctx.accountId,
    region: ctx.region,
    fifo,
    attributes,
    tags,
    sequence: "10000000000000000000",
    subscriptionsDeleted: 0,
    createdAt: ctx.now,
  });
  return { TopicArn: arn };
}

export function DeleteTopic(sns: Sns, input: Input, ctx: RequestContext): Wire<DeleteTopicCommandOutput> {
  const arn = requiredString(input, "TopicArn");
  let topic: TopicRecord;
  try {
    topic = topicByArn(sns.state, arn, ctx, "SNS:DeleteTopic");
  } catch (e) {
    // Deleting a topic that is already gone succeeds, as on AWS.
    if (e instanceof AwsError && e.code === NotFound.code) return {};
    throw e;
  }
  sns.state.deleteTopic(topic);
  return {};
}

export function ListTopics(sns: Sns, input: Input, ctx: RequestContext): Wire<ListTopicsCommandOutput> {
  const all = [...sns.state.topics.values()]
    .filter((t) => t.accountId === ctx.accountId && t.region === ctx.region)
    .sort((a, b) => a.arn.localeCompare(b.arn));
  const { items, next } = page(all, optionalString(input, "NextToken"));
  return { Topics: items.map((t) => ({ TopicArn: t.arn })), ...(next ? { NextToken: next } : {}) };
}

function topicAttributes(sns: Sns, t: TopicRecord): Record<string, string> {
  const subs = sns.state.subscriptionsOf(t.arn);
  const out: Record<string, string> = {
    Policy: t.attributes.Policy ?? defaultTopicPolicy(t),
    Owner: t.accountId,
    SubscriptionsPending: String(subs.filter((s) => !s.confirmed).length),
    TopicArn: t.arn,
    EffectiveDeliveryPolicy: t.attributes.DeliveryPolicy ?? EFFECTIVE_DELIVERY_POLICY,
    SubscriptionsConfirmed: String(subs.filter((s) => s.confirmed).length),
    DisplayName: t.attributes.DisplayName ?? "",
    SubscriptionsDeleted: String(t.subscriptionsDeleted),
  };
  if (t.fifo) {
    out.FifoTopic = "true";
    out.ContentBasedDeduplication = t.attributes.ContentBasedDeduplication ?? "false";
  }
  for (const [k, v] of Object.entries(t.attributes)) if (!(k in out)) out[k] = v;
  return out;
}

export function GetTopicAttributes(sns: Sns, input: Input, ctx: RequestContext): Wire<GetTopicAttributesCommandOutput> {
  const topic = topicByArn(sns.state, requiredString(input, "TopicArn"), ctx, "SNS:GetTopicAttributes");
  return { Attributes: topicAttributes(sns, topic) };
}

export function SetTopicAttributes(sns: Sns, input: Input, ctx: RequestContext): Wire<SetTopicAttributesCommandOutput> {
  const topic = topicByArn(sns.state, requiredString(input, "TopicArn"), ctx, "SNS:SetTopicAttributes");
  const name = requiredString(input, "AttributeName");
  const value = optionalString(input, "AttributeValue") ?? "";
  const stored = checkTopicAttribute(name, value, topic.fifo, false);
  if (isRoleAttribute(name)) checkPassedRole(name, stored, topic, ctx, false);
  const attributes = { ...topic.attributes };
  // An empty Policy or DeliveryPolicy restores the default.
  if (stored === "" && (name === "Policy" || name === "DeliveryPolicy" || name === "ArchivePolicy")) delete attributes[name];
  else attributes[name] = stored;
  sns.state.putTopic({ ...topic, attributes });
  return {};
}

// ---- subscriptions ------------------------------------------------------------------------

const DELIVERED_PROTOCOLS = new Set(["sqs", "lambda", "http", "https", "email", "email-json"]);
const OTHER_AWS_PROTOCOLS = new Set(["sms", "application", "firehose"]);

function checkEndpoint(protocol: string, endpoint: string | undefined, topic: TopicRecord): string {
  if (endpoint === undefined || endpoint === "") throw InvalidParameter("Invalid parameter: Endpoint");
  switch (protocol) {
    case "sqs": {
      const queue = parseQueueArn(endpoint);
      if (!queue) throw InvalidParameter("Invalid parameter: SQS endpoint ARN");
      const fifoQueue = queue.name.endsWith(".fifo");
      if (fifoQueue && !topic.fifo) {
        throw InvalidParameter("Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics");
      }
      if (!fifoQueue && topic.fifo) throw InvalidParameter("Invalid parameter: Invalid parameter: Endpoint Reason: Please use FIFO SQS queue");
      return endpoint;
    }
    case "lambda":
      if (!parseFunctionArn(endpoint)) throw InvalidParameter("Invalid parameter: Lambda endpoint ARN");
      return endpoint;
    case "http":
    case "https": {
      let url: URL | undefined;
      try {
        url = new URL(endpoint);
      } catch {
        url = undefined;
      }
      if (!url || url.protocol !== `${protocol}:`) throw InvalidParameter("Invalid parameter: Endpoint must match the specified protocol");
      return endpoint;
    }
    default:
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(endpoint)) throw InvalidParameter("Invalid parameter: Email address");
      return endpoint;
  }
}

export function Subscribe(sns: Sns, input: Input, ctx: RequestContext): Wire<SubscribeCommandOutput> {
  const topic = topicByArn(sns.state, requiredString(input, "TopicArn"), ctx, "SNS:Subscribe");
  const protocol = requiredString(input, "Protocol").toLowerCase();
  const given = stringMap(input, "Attributes");
  const returnArn = input.ReturnSubscriptionArn === true || input.ReturnSubscriptionArn === "true";
  if (OTHER_AWS_PROTOCOLS.has(protocol)) throw InvalidParameter(`Invalid parameter: Protocol Reason: the sandbox does not deliver to ${protocol} endpoints`);
  if (!DELIVERED_PROTOCOLS.has(protocol)) throw InvalidParameter(`Invalid parameter: Amazon SNS does not support this protocol string: ${protocol}`);
  if (topic.fifo && protocol !== "sqs") throw InvalidParameter(`Invalid parameter: Invalid protocol type: ${protocol}`);
  const endpoint = checkEndpoint(protocol, optionalString(input, "Endpoint"), topic);
  const attributes = applySubscriptionAttributes("Subscribe", protocol, topic.fifo, {}, given);
  for (const [k, v] of Object.entries(attributes)) if (isRoleAttribute(k)) checkPassedRole(k, v, topic, ctx, true);

  // The same endpoint subscribed twice is the same subscription, unless the attributes differ.
  const existing = sns.state.subscriptionsOf(topic.arn).find((s) => s.protocol === protocol && s.endpoint === endpoint);
  if (existing) {
    if (Object.entries(attributes).some(([k, v]) => existing.attributes[k] !== v)) {
      throw InvalidParameter("Invalid parameter: Attributes Reason: Subscription already exists with different attributes");
    }
    return { SubscriptionArn: existing.confirmed || returnArn ? existing.arn : PENDING };
  }

  // Lambda endpoints, and SQS queues of the subscriber's own account, are confirmed at once. A
  // queue of another account must confirm: SNS sends it the SubscriptionConfirmation (as the
  // topic, so only if the queue policy lets the topic in), as it does for http/https; email waits.
  const confirmed = protocol === "lambda" || (protocol === "sqs" && parseQueueArn(endpoint)?.accountId === ctx.accountId);
  const sub: SubscriptionRecord = {
    arn: `${topic.arn}:${randomUUID()}`,
    topicArn: topic.arn,
    accountId: topic.accountId,
    region: topic.region,
    owner: ctx.accountId,
    principalArn: ctx.principal.arn,
    protocol,
    endpoint,
    attributes,
    confirmed,
    authenticated: confirmed,
    createdAt: ctx.now,
    ...(confirmed ? {} : { token: randomBytes(64).toString("hex") }),
  };
  const records: DeliveryRecord[] = [];
  if (protocol === "http" || protocol === "https" || (protocol === "sqs" && !confirmed)) {
    records.push({
      id: randomUUID(),
      seq: sns.deliveries.nextSeq(),
      accountId: topic.accountId,
      region: topic.region,
      kind: "confirmation",
      subscriptionArn: sub.arn,
      topicArn: topic.arn,
      message: { messageId: randomUUID(), topicArn: topic.arn, message: confirmationText(topic.arn), attributes: {}, timestamp: ctx.now },
      attempts: 0,
      createdAt: ctx.now,
    });
  }
  sns.env.store.transaction(() => {
    sns.state.putSubscription(sub);
    sns.deliveries.persist(records);
  });
  sns.deliveries.start(records);
  return { SubscriptionArn: confirmed || returnArn ? sub.arn : PENDING };
}

export function ConfirmSubscription(sns: Sns, input: Input, ctx: RequestContext): Wire<ConfirmSubscriptionCommandOutput> {
  const topicArn = requiredString(input, "TopicArn");
  const token = requiredString(input, "Token");
  // AWS honours AuthenticateOnUnsubscribe only on a signed confirmation.
  const authenticate = ctx.unsigned !== true && String(input.AuthenticateOnUnsubscribe ?? "").toLowerCase() === "true";
  // Whoever holds the token may confirm (it arrives by the SubscribeURL, often unsigned), so the
  // topic is looked up by its ARN alone rather than in the caller's account.
  topicByArn(sns.state, topicArn, ctx, undefined);
  const sub = sns.state.subscriptionByToken(token);
  if (!sub || sub.topicArn !== topicArn) throw InvalidParameter("Invalid parameter: Token");
  if (!sub.confirmed || (authenticate && sub.authenticateOnUnsubscribe !== true)) {
    const stricter = authenticate ? { authenticated: true, authenticateOnUnsubscribe: true } as const : {};
    sns.state.putSubscription({ ...sub, confirmed: true, ...stricter });
  }
  return { SubscriptionArn: sub.arn };
}

export function Unsubscribe(sns: Sns, input: Input, ctx: RequestContext): Wire<UnsubscribeCommandOutput> {
  const sub = subscriptionByArn(sns.state, requiredString(input, "SubscriptionArn"), ctx, "SNS:Unsubscribe");
  if (!sub) return {}; // already gone: Unsubscribe is idempotent
  const topic = sns.state.topics.get(sub.topicArn);
  sns.env.store.transaction(() => {
    sns.state.deleteSubscription(sub);
    if (topic) sns.state.putTopic({ ...topic, subscriptionsDeleted: topic.subscriptionsDeleted + 1 });
  });
  return {};
}

export function ListSubscriptions(sns: Sns, input: Input, ctx: RequestContext): Wire<ListSubscriptionsCommandOutput> {
  const all = [...sns.state.subscriptions.values()]
    .filter((s) => s.region === ctx.region && (s.owner === ctx.accountId || s.accountId === ctx.accountId))
    .sort(byCreation);
  const { items, next } = page(all, optionalString(input, "NextToken"));
  return { Subscriptions: items.map(listEntry), ...(next ? { NextToken: next } : {}) };
}

export function ListSubscriptionsByTopic(sns: Sns, input: Input, ctx: RequestContext): Wire<ListSubscriptionsByTopicCommandOutput> {
  const topic = topicByArn(sns.state, requiredString(input, "TopicArn"), ctx, "SNS:ListSubscriptionsByTopic");
  const { items, next } = page(sns.state.subscriptionsOf(topic.arn).sort(byCreation), optionalString(input, "NextToken"));
  return { Subscriptions: items.map(listEntry), ...(next ? { NextToken: next } : {}) };
}

export function GetSubscriptionAttributes(sns: Sns, input: Input, ctx: RequestContext): Wire<GetSubscriptionAttributesCommandOutput> {
  const sub = mustSubscription(sns, input, ctx, "SNS:GetSubscriptionAttributes");
  const out: Record<string, string> = {
    ConfirmationWasAuthenticated: String(sub.authenticated),
    Endpoint: sub.endpoint,
    Owner: sub.owner,
    PendingConfirmation: String(!sub.confirmed),
    Protocol: sub.protocol,
    RawMessageDelivery: sub.attributes.RawMessageDelivery ?? "false",
    SubscriptionArn: sub.arn,
    SubscriptionPrincipal: sub.principalArn,
    TopicArn: sub.topicArn,
  };
  if (sub.protocol === "http" || sub.protocol === "https") out.EffectiveDeliveryPolicy = sub.attributes.DeliveryPolicy ?? EFFECTIVE_DELIVERY_POLICY;
  for (const [k, v] of Object.entries(sub.attributes)) if (!(k in out)) out[k] = v;
  return { Attributes: out };
}

export function SetSubscriptionAttributes(sns: Sns, input: Input, ctx: RequestContext): Wire<SetSubscriptionAttributesCommandOutput> {
  const sub = mustSubscription(sns, input, ctx, "SNS:SetSubscriptionAttributes");
  const name = requiredString(input, "AttributeName");
  const value = optionalString(input, "AttributeValue") ?? "";
  const topic = sns.state.topics.get(sub.topicArn);
  if (isRoleAttribute(name)) checkPassedRole(name, value, sub, ctx, false);
  const attributes = applySubscriptionAttributes("SetSubscriptionAttributes", sub.protocol, topic?.fifo ?? false, sub.attributes, { [name]: value });
  sns.state.putSubscription({ ...sub, attributes });
  return {};
}

// ---- publishing ---------------------------------------------------------------------------


/** Validates one message, records it (FIFO sequence, deduplication, deliveries) and starts delivery. */
function publishOne(sns: Sns, target: TopicRecord, entry: Input, ctx: RequestContext): { MessageId: string; SequenceNumber?: string } {
  // Re-read: an earlier entry of the same batch has moved the FIFO sequence on.
  const topic = sns.state.topics.get(target.arn) ?? target;
  const e = entry;
  if (e.Message === undefined || e.Message === null) throw memberMustNotBeNull("message");
  const message = optionalString(e, "Message") ?? "";
  if (message === "") throw InvalidParameter("Empty message");
  const subject = optionalString(e, "Subject");
  checkSubject(subject);
  const structure = optionalString(e, "MessageStructure");
  if (structure !== undefined && structure !== "json") throw InvalidParameter("Invalid parameter: MessageStructure");
  const perProtocol = structure === "json" ? parseMessageStructure(message) : undefined;
  const attributes = checkMessageAttributes(e.MessageAttributes);
  if (messageBytes(message, attributes) > MAX_MESSAGE_BYTES) throw InvalidParameter("Invalid parameter: Message too long");

  const groupId = optionalString(e, "MessageGroupId");
  let dedupId = optionalString(e, "MessageDeduplicationId");
  if (groupId !== undefined) checkFifoId("MessageGroupId", groupId);
  if (dedupId !== undefined) checkFifoId("MessageDeduplicationId", dedupId);
  if (topic.fifo) {
    if (groupId === undefined) throw InvalidParameter("Invalid parameter: The MessageGroupId parameter is required for FIFO topics");
    if (dedupId === undefined) {
      if (topic.attributes.ContentBasedDeduplication !== "true") {
        throw InvalidParameter(
          "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
        );
      }
      dedupId = createHash("sha256").update(message).digest("hex");
    }
    // A duplicate within five minutes is acknowledged again and not delivered again.
    const earlier = sns.state.findDuplicate(topic, dedupId, ctx.now);
    if (earlier) return { MessageId: earlier.messageId, SequenceNumber: earlier.sequenceNumber };
  } else if (dedupId !== undefined) {
    throw InvalidParameter(
      "Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type",
    );
  }

  const messageId = randomUUID();
  const sequenceNumber = topic.fifo ? (BigInt(topic.sequence) + 1n).toString().padStart(20, "0") : undefined;
  const base: Omit<PublishedMessage, "message"> = {
    messageId,
    topicArn: topic.arn,
    attributes,
    timestamp: ctx.now,
    ...(subject !== undefined ? { subject } : {}),
    ...(groupId !== undefined ? { groupId } : {}),
    ...(dedupId !== undefined ? { dedupId } : {}),
    ...(sequenceNumber !== undefined ? { sequenceNumber } : {}),
  };
  const records: DeliveryRecord[] = [];
  for (const sub of sns.state.subscriptionsOf(topic.arn)) {
    if (!sub.confirmed) continue;
    const body = perProtocol ? (perProtocol[sub.protocol] ?? (perProtocol.default as string)) : message;
    if (!sns.state.matches(sub, { attributes, body })) continue;
    records.push({
      id: randomUUID(),
      seq: sns.deliveries.nextSeq(),
      accountId: topic.accountId,
      region: topic.region,
      kind: "notification",
      subscriptionArn: sub.arn,
      topicArn: topic.arn,
      message: { ...base, message: body },
      attempts: 0,
      createdAt: ctx.now,
    });
  }
  sns.env.store.transaction(() => {
    if (topic.fifo && sequenceNumber !== undefined && dedupId !== undefined) {
      sns.state.putTopic({ ...topic, sequence: sequenceNumber });
      sns.state.putDedup(topic, dedupId, { messageId, sequenceNumber, at: ctx.now });
    }
    sns.deliveries.persist(records);
  });
  sns.deliveries.start(records);
  return { MessageId: messageId, ...(sequenceNumber !== undefined ? { SequenceNumber: sequenceNumber } : {}) };
}

function publishTarget(sns: Sns, input: Input, ctx: RequestContext): TopicRecord {
  const topicArn = optionalString(input, "TopicArn");
  const targetArn = optionalString(input, "TargetArn");
  if (optionalString(input, "PhoneNumber") !== undefined) {
    throw InvalidParameter("Invalid parameter: PhoneNumber Reason: the sandbox does not send SMS messages");
  }
  if (topicArn !== undefined && targetArn !== undefined) {
    throw InvalidParameter("Invalid parameter: TopicArn or TargetArn Reason: Only one of TopicArn or TargetArn may be specified");
  }
  const arn = topicArn ?? targetArn;
  if (arn === undefined || arn === "") throw InvalidParameter("Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter");
  return topicByArn(sns.state, arn, ctx, "SNS:Publish", topicArn !== undefined ? "TopicArn" : "TargetArn");
}

export function Publish(sns: Sns, input: Input, ctx: RequestContext): Wire<PublishCommandOutput> {
  const topic = publishTarget(sns, input, ctx);
  return publishOne(sns, topic, input, ctx);
}

export function PublishBatch(sns: Sns, input: Input, ctx: RequestContext): Wire<PublishBatchCommandOutput> {
  const topic = topicByArn(sns.state, requiredString(input, "TopicArn"), ctx, "SNS:Publish");
  const entries = list(input, "PublishBatchRequestEntries");
  if (entries.length === 0) throw emptyBatchRequest();
  if (entries.length > MAX_BATCH_ENTRIES) throw tooManyEntriesInBatchRequest();
  const seen = new Set<string>();
  let total = 0;
  for (const raw of entries) {
    const entry = (raw ?? {}) as Input;
    const id = entry.Id;
    if (typeof id !== "string" || !BATCH_ENTRY_ID.test(id)) throw invalidBatchEntryId();
    if (seen.has(id)) throw batchEntryIdsNotDistinct();
    seen.add(id);
    if (typeof entry.Message === "string") total += Buffer.byteLength(entry.Message);
  }
  if (total > MAX_MESSAGE_BYTES) throw batchRequestTooLong();

  const Successful: PublishBatchResultEntry[] = [];
  const Failed: BatchResultErrorEntry[] = [];
  for (const raw of entries) {
    const entry = (raw ?? {}) as Input & { Id: string };
    try {
      Successful.push({ Id: entry.Id, ...publishOne(sns, topic, entry, ctx) });
    } catch (e) {
      const err = e instanceof AwsError ? e : internalError();
      Failed.push({ Id: entry.Id, Code: err.code, Message: err.message, SenderFault: err.senderFault });
    }
  }
  return { Successful, Failed };
}

// ---- tags ---------------------------------------------------------------------------------

function taggedTopic(sns: Sns, input: Input, ctx: RequestContext, action: string): TopicRecord {
  return taggedTopicByArn(sns.state, requiredString(input, "ResourceArn"), ctx, action);
}

export function TagResource(sns: Sns, input: Input, ctx: RequestContext): Wire<TagResourceCommandOutput> {
  const topic = taggedTopic(sns, input, ctx, "SNS:TagResource");
  const tags = { ...topic.tags, ...readTags(input) };
  if (Object.keys(tags).length > MAX_TAGS) throw tagLimitExceeded();
  sns.state.putTopic({ ...topic, tags });
  return {};
}

export function UntagResource(sns: Sns, input: Input, ctx: RequestContext): Wire<UntagResourceCommandOutput> {
  const topic = taggedTopic(sns, input, ctx, "SNS:UntagResource");
  const tags = { ...topic.tags };
  for (const key of list(input, "TagKeys")) {
    if (typeof key !== "string") throw InvalidParameter("Invalid parameter: TagKeys");
    delete tags[key];
  }
  sns.state.putTopic({ ...topic, tags });
  return {};
}

export function ListTagsForResource(sns: Sns, input: Input, ctx: RequestContext): Wire<ListTagsForResourceCommandOutput> {
  const topic = taggedTopic(sns, input, ctx, "SNS:ListTagsForResource");
  return { Tags: Object.entries(topic.tags).map(([Key, Value]) => ({ Key, Value })) };
}

/** Every SNS operation the sandbox provides, by its AWS name (index.ts builds the table from it). */
export const handlers = {
  CreateTopic,
  DeleteTopic,
  ListTopics,
  GetTopicAttributes,
  SetTopicAttributes,
  Subscribe,
  ConfirmSubscription,
  Unsubscribe,
  ListSubscriptions,
  ListSubscriptionsByTopic,
  GetSubscriptionAttributes,
  SetSubscriptionAttributes,
  Publish,
  PublishBatch,
  TagResource,
  UntagResource,
  ListTagsForResource,
} satisfies Record<string, (sns: Sns, input: Input, ctx: RequestContext) => unknown>;
