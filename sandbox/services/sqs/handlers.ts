// One function per SQS operation, named after it. Each takes the JSON-protocol input (the SDK's
// …CommandInput) and returns the JSON output; state lives in the model, which writes every
// acknowledged change to the durable store before the handler returns.
import { createHash, randomUUID } from "node:crypto";
import type {
  AddPermissionCommandOutput,
  CancelMessageMoveTaskCommandOutput,
  ChangeMessageVisibilityBatchCommandOutput,
  ChangeMessageVisibilityCommandOutput,
  CreateQueueCommandOutput,
  DeleteMessageBatchCommandOutput,
  DeleteMessageCommandOutput,
  DeleteQueueCommandOutput,
  GetQueueAttributesCommandOutput,
  GetQueueUrlCommandOutput,
  ListDeadLetterSourceQueuesCommandOutput,
  ListMessageMoveTasksCommandOutput,
  ListMessageMoveTasksResultEntry,
  ListQueuesCommandOutput,
  ListQueueTagsCommandOutput,
  Message,
  PurgeQueueCommandOutput,
  ReceiveMessageCommandOutput,
  RemovePermissionCommandOutput,
  SendMessageBatchCommandOutput,
  SendMessageCommandOutput,
  SetQueueAttributesCommandOutput,
  StartMessageMoveTaskCommandOutput,
  TagQueueCommandOutput,
  UntagQueueCommandOutput,
} from "@aws-sdk/client-sqs";
import { isAccountId } from "@/sandbox/core/aws-names";
import type { Principal, RequestContext, ServiceEnvironment } from "@/sandbox/core/contracts";
import { AwsError } from "@/sandbox/core/contracts";
import type { WireOutput as Wire } from "@/sandbox/core/wire-output";
import {
  batchEntryIdsNotDistinct,
  batchRequestTooLong,
  emptyBatchRequest,
  InvalidAttributeName,
  invalidBatchEntryId,
  InvalidParameterValue,
  messageNotInflight,
  missingParameter,
  purgeQueueInProgress,
  queueDeletedRecently,
  QueueNameExists,
  receiptHandleIsInvalid,
  ResourceNotFoundException,
  tooManyEntriesInBatchRequest,
  UnsupportedOperation,
  invalidParameter,
} from "./errors";
import { queueByArn, queueByName, queueByUrl, queueUrl } from "./access";
import type { Input } from "./input";
import { integerInRange, objectList, optionalString, requiredString, stringList, stringMap } from "./input";
import { md5Hex, md5OfAttributes } from "./md5";
import type { MessageAttributeValue } from "./md5";
import { checkBody, checkFifoId, checkMessageAttributes } from "./messages";
import type { Msg, Queue, SqsModel, StoredMessage, StoredMoveTask, Waiter } from "./models";
import { PURGE_WAIT_MS } from "./models";
import { COMPUTED, DEFAULT_MAX_MESSAGE_SIZE, isKnownAttribute, normaliseAttribute } from "./queue-attributes";

export interface Sqs {
  model: SqsModel;
  env: ServiceEnvironment;
}

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_QUEUE_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_VISIBILITY_S = 43_200;

// ---- senders ----------------------------------------------------------------------------------

function senderId(p: Principal): string {
  if (p.kind === "account") return p.accountId;
  const fake = (seed: string) =>
    createHash("sha1").update(seed).digest("base64").replace(/[^A-Za-z0-9]/g, "").toUpperCase().slice(0, 17);
  if (p.kind === "assumed-role") return `AROA${fake(p.roleArn)}:${p.sessionName}`;
  return `AIDA${fake(p.service)}`;
}

// ---- receipt handles ----------------------------------------------------------------------------

function receiptHandle(q: Queue, m: Msg): string {
  return Buffer.from(`${q.key}\n${m.rec.id}\n${m.rec.receipt ?? ""}`, "utf8").toString("base64");
}

function parseReceiptHandle(q: Queue, handle: string): { messageId: string; receipt: string } {
  const parts = Buffer.from(handle, "base64").toString("utf8").split("\n");
  if (parts.length !== 3 || parts[0] !== q.key || !parts[1] || !parts[2]) throw receiptHandleIsInvalid(handle);
  return { messageId: parts[1], receipt: parts[2] };
}

// ---- batches ------------------------------------------------------------------------------------

function batchEntries(input: Input, entryName: string): Input[] {
  const entries = objectList(input, "Entries");
  if (entries.length === 0) throw emptyBatchRequest(entryName);
  if (entries.length > 10) throw tooManyEntriesInBatchRequest(entries.length);
  const seen = new Set<string>();
  for (const e of entries) {
    const id = e.Id;
    if (typeof id !== "string" || !BATCH_ID.test(id)) throw invalidBatchEntryId();
    if (seen.has(id)) throw batchEntryIdsNotDistinct(id);
    seen.add(id);
  }
  return entries;
}

interface BatchFailure {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

function failure(id: string, e: unknown): BatchFailure {
  if (e instanceof AwsError) return { Id: id, SenderFault: e.senderFault, Code: e.code, Message: e.message };
  throw e;
}

// ---- queues -------------------------------------------------------------------------------------

export function CreateQueue(s: Sqs, input: Input, ctx: RequestContext): Wire<CreateQueueCommandOutput> {
  const now = s.env.scheduler.now();
  const name = requiredString(input, "QueueName");
  const attributes = stringMap(input, "Attributes");
  const tags = stringMap(input, "tags");
  const fifoAttr = attributes.FifoQueue?.toLowerCase();
  const fifo = fifoAttr === "true";
  if (fifo ? !FIFO_QUEUE_NAME.test(name) : !QUEUE_NAME.test(name)) {
    throw InvalidParameterValue(
      fifo || name.endsWith(".fifo")
        ? "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length."
        : "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length",
    );
  }
  const arn = `arn:aws:sqs:${ctx.region}:${ctx.accountId}:${name}`;
  const vctx = { fifo, creating: true, queueArn: arn, findQueue: (a: string) => s.model.byArn(a) };
  const normalised: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes)) normalised[key] = normaliseAttribute(key, value, vctx);
  checkTags(tags);

  const existing = s.model.get(ctx.accountId, ctx.region, name);
  if (existing) {
    // Same name and the same values for every attribute given: the existing queue's URL.
    for (const [key, value] of Object.entries(normalised)) {
      const current = key === "FifoQueue" ? String(existing.fifo) : (existing.attribute(key) ?? "");
      if (current !== value) throw QueueNameExists(`A queue already exists with the same name and a different value for attribute ${key}`);
    }
    return { QueueUrl: queueUrl(ctx, existing) };
  }
  if (s.model.deletedRecently(ctx.accountId, ctx.region, name, now)) throw queueDeletedRecently(name);
  delete normalised.FifoQueue; // the queue's type is fixed at creation and kept apart
  for (const [key, value] of Object.entries(normalised)) if (value === "") delete normalised[key];
  const q = s.model.createQueue({
    accountId: ctx.accountId,
    region: ctx.region,
    name,
    fifo,
    attributes: normalised,
    tags,
    createdAt: now,
    modifiedAt: now,
  });
  return { QueueUrl: queueUrl(ctx, q) };
}

function checkTags(tags: Record<string, string>): void {
  const entries = Object.entries(tags);
  if (entries.length > 50) throw InvalidParameterValue("Too many tags added for queue. A queue can have at most 50 tags.");
  for (const [key, value] of entries) {
    if (key.length < 1 || key.length > 128) throw InvalidParameterValue(`Tag key ${key} is invalid. Tag keys must be 1 to 128 characters long.`);
    if (value.length > 256) throw InvalidParameterValue(`Tag value for key ${key} is invalid. Tag values must be at most 256 characters long.`);
    if (key.toLowerCase().startsWith("aws:")) throw InvalidParameterValue(`Tag key ${key} is invalid. The aws: prefix is reserved.`);
  }
}

export function DeleteQueue(s: Sqs, input: Input, ctx: RequestContext): Wire<DeleteQueueCommandOutput> {
  const now = s.env.scheduler.now();
  const q = queueByUrl(s.model, input, ctx, "DeleteQueue", now);
  s.model.deleteQueue(q, now);
  return {};
}

export function GetQueueUrl(s: Sqs, input: Input, ctx: RequestContext): Wire<GetQueueUrlCommandOutput> {
  const name = requiredString(input, "QueueName");
  const q = queueByName(s.model, name, optionalString(input, "QueueOwnerAWSAccountId"), ctx, s.env.scheduler.now());
  return { QueueUrl: queueUrl(ctx, q) };
}

function page(names: string[], input: Input): { items: string[]; next?: string } {
  const max = integerInRange(input, "MaxResults", 1, 1000, "MaxResults must be an integer between 1 and 1000.");
  const token = optionalString(input, "NextToken");
  let start = 0;
  if (token !== undefined && token !== "") {
    const after = Buffer.from(token, "base64").toString("utf8");
    if (!after.startsWith("after:")) throw InvalidParameterValue("Invalid NextToken value.");
    start = names.findIndex((n) => n > after.slice(6));
    if (start < 0) start = names.length;
  }
  const limit = max ?? 1000;
  const items = names.slice(start, start + limit);
  const last = items[items.length - 1];
  const more = max !== undefined && start + limit < names.length && last !== undefined;
  return more ? { items, next: Buffer.from(`after:${last}`, "utf8").toString("base64") } : { items };
}

export function ListQueues(s: Sqs, input: Input, ctx: RequestContext): Wire<ListQueuesCommandOutput> {
  const prefix = optionalString(input, "QueueNamePrefix") ?? "";
  const mine: Queue[] = [];
  for (const q of s.model.queues.values()) {
    if (q.rec.accountId === ctx.accountId && q.rec.region === ctx.region && q.rec.name.startsWith(prefix)) mine.push(q);
  }
  const byName = new Map(mine.map((q) => [q.rec.name, q]));
  const { items, next } = page([...byName.keys()].sort(), input);
  const out: Wire<ListQueuesCommandOutput> = {};
  if (items.length > 0) out.QueueUrls = items.map((n) => queueUrl(ctx, byName.get(n)!));
  if (next !== undefined) out.NextToken = next;
  return out;
}

export function GetQueueAttributes(s: Sqs, input: Input, ctx: RequestContext): Wire<GetQueueAttributesCommandOutput> {
  const now = s.env.scheduler.now();
  const q = queueByUrl(s.model, input, ctx, "GetQueueAttributes", now);
  const names = stringList(input, "AttributeNames");
  for (const n of names) if (n !== "All" && !isKnownAttribute(n)) throw InvalidAttributeName(`Unknown Attribute ${n}.`);
  const all = names.includes("All");
  const wanted = all
    ? [
        ...COMPUTED,
        ...Object.keys(q.fifo ? { ...q.rec.attributes, FifoQueue: 1, ContentBasedDeduplication: 1, DeduplicationScope: 1, FifoThroughputLimit: 1 } : q.rec.attributes),
        "DelaySeconds",
        "MaximumMessageSize",
        "MessageRetentionPeriod",
        "ReceiveMessageWaitTimeSeconds",
        "VisibilityTimeout",
        "SqsManagedSseEnabled",
      ]
    : names;
  const attributes: Record<string, string> = {};
  let counts: ReturnType<SqsModel["counts"]> | undefined;
  for (const name of wanted) {
    switch (name) {
      case "QueueArn":
        attributes.QueueArn = q.arn;
        break;
      case "CreatedTimestamp":
        attributes.CreatedTimestamp = String(Math.floor(q.rec.createdAt / 1000));
        break;
      case "LastModifiedTimestamp":
        attributes.LastModifiedTimestamp = String(Math.floor(q.rec.modifiedAt / 1000));
        break;
      case "ApproximateNumberOfMessages":
      case "ApproximateNumberOfMessagesNotVisible":
      case "ApproximateNumberOfMessagesDelayed": {
        counts ??= s.model.counts(q, now);
        const n = name === "ApproximateNumberOfMessages" ? counts.visible : name === "ApproximateNumberOfMessagesNotVisible" ? counts.inflight : counts.delayed;
        attributes[name] = String(n);
        break;
      }
      default: {
        const v = q.attribute(name);
        if (v !== undefined && v !== "") attributes[name] = v;
      }
    }
  }
  return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
}

export function SetQueueAttributes(s: Sqs, input: Input, ctx: RequestContext): Wire<SetQueueAttributesCommandOutput> {
  const now = s.env.scheduler.now();
  const q = queueByUrl(s.model, input, ctx, "SetQueueAttributes", now);
  const attributes = stringMap(input, "Attributes");
  const vctx = { fifo: q.fifo, creating: false, queueArn: q.arn, findQueue: (a: string) => s.model.byArn(a) };
  const normalised = Object.entries(attributes).map(([k, v]) => [k, normaliseAttribute(k, v, vctx)] as const);
  for (const [key, value] of normalised) {
    if (key === "RedrivePolicy" && value !== "" && (JSON.parse(value) as { deadLetterTargetArn: string }).deadLetterTargetArn === q.arn) {
      throw invalidParameter("RedrivePolicy", attributes.RedrivePolicy, "Dead letter target can not be the same as the source queue.");
    }
  }
  for (const [key, value] of normalised) {
    if (value === "") delete q.rec.attributes[key];
    else q.rec.attributes[key] = value;
  }
  q.rec.modifiedAt = now;
  s.model.saveQueue(q);
  return {};
}

export function PurgeQueue(s: Sqs, input: Input, ctx: RequestContext): Wire<PurgeQueueCommandOutput> {
  const now = s.env.scheduler.now();
  const q = queueByUrl(s.model, input, ctx, "PurgeQueue", now);
  if (q.rec.lastPurgeAt !== undefined && now - q.rec.lastPurgeAt < PURGE_WAIT_MS) throw purgeQueueInProgress(q.arn);
  s.model.purge(q, now);
  return {};
}

export function ListDeadLetterSourceQueues(s: Sqs, input: Input, ctx: RequestContext): Wire<ListDeadLetterSourceQueuesCommandOutput> {
  const now = s.env.scheduler.now();
  const dlq = queueByUrl(s.model, input, ctx, "ListDeadLetterSourceQueues", now);
  const sources = new Map<string, Queue>();
  for (const q of s.model.queues.values()) {
    if (q.rec.accountId === dlq.rec.accountId && q.rec.region === dlq.rec.region && q.redrive?.deadLetterTargetArn === dlq.arn) sources.set(q.rec.name, q);
  }
  const { items, next } = page([...sources.keys()].sort(), input);
  const out: Wire<ListDeadLetterSourceQueuesCommandOutput> = { queueUrls: items.map((n) => queueUrl(ctx, sources.get(n)!)) };
  if (next !== undefined) out.NextToken = next;
  return out;
}

export function TagQueue(s: Sqs, input: Input, ctx: RequestContext): Wire<TagQueueCommandOutput> {
  const now = s.env.scheduler.now();
  const q = queueByUrl(s.model, input, ctx, "TagQueue", now);
  const tags = stringMap(input, "Tags");
  if (Object.keys(tags).length === 0) throw missingParameter("Tags");
  const merged = { ...q.rec.tags, ...tags };
  checkTags(merged);
  q.rec.tags = merged;
  s.model.saveQueue(q);
  return {};
}

export function UntagQueue(s: Sqs, input: Input, ctx: RequestContext): Wire<UntagQueueCommandOutput> {
  const now = s.env.scheduler.now();
  const q = queueByUrl(s.model, input, ctx, "UntagQueue", now);
  const keys = stringList(input, "TagKeys");
  if (keys.length === 0) throw missingParameter("TagKeys");
  for (const k of keys) delete q.rec.tags[k];
  s.model.saveQueue(q);
  return {};
}

export function ListQueueTags(s: Sqs, input: Input, ctx: RequestContext): Wire<ListQueueTagsCommandOutput> {
  const q = queueByUrl(s.model, input, ctx, "ListQueueTags", s.env.scheduler.now());
  return Object.keys(q.rec.tags).length > 0 ? { Tags: { ...q.rec.tags } } : {};
}

/** AddPermission writes a statement into the queue's Policy, as AWS does. */
export function AddPermission(s: Sqs, input: Input, ctx: RequestContext): Wire<AddPermissionCommandOutput> {
  const now = s.env.scheduler.now();
  const q = queueByUrl(s.model, input, ctx, "AddPermission", now);
  const label = requiredString(input, "Label");
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(label)) throw invalidParameter("Label", label, "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length.");
  const accounts = stringList(input, "AWSAccountIds");
  const actions = stringList(input, "Actions");
  if (accounts.length === 0) throw missingParameter("AWSAccountIds");
  if (actions.length === 0) throw missingParameter("Actions");
  for (const a of accounts) if (!isAccountId(a)) throw invalidParameter("AWSAccountIds", a, "Must be a 12-digit AWS account id.");
  const policy = currentPolicy(q);
  if (policy.Statement.some((st) => st.Sid === label)) throw invalidParameter("Label", label, "Already exists.");
  policy.Statement.push({
    Sid: label,
    Effect: "Allow",
    Principal: { AWS: accounts.length === 1 ? `arn:aws:iam::${accounts[0]}:root` : accounts.map((a) => `arn:aws:iam::${a}:root`) },
    Action: actions.length === 1 ? `SQS:${actions[0]}` : actions.map((a) => `SQS:${a}`),
    Resource: q.arn,
  });
  q.rec.attributes.Policy = JSON.stringify(policy);
  q.rec.modifiedAt = now;
  s.model.saveQueue(q);
  return {};
}

export function RemovePermission(s: Sqs, input: Input, ctx: RequestContext): Wire<RemovePermissionCommandOutput> {
  const now = s.env.scheduler.now();
  const q = queueByUrl(s.model, input, ctx, "RemovePermission", now);
  const label = requiredString(input, "Label");
  const policy = currentPolicy(q);
  const kept = policy.Statement.filter((st) => st.Sid !== label);
  if (kept.length === policy.Statement.length) throw invalidParameter("Label", label, "can't find label on existing policy.");
  if (kept.length === 0) delete q.rec.attributes.Policy;
  else q.rec.attributes.Policy = JSON.stringify({ ...policy, Statement: kept });
  q.rec.modifiedAt = now;
  s.model.saveQueue(q);
  return {};
}

function currentPolicy(q: Queue): { Version: string; Id: string; Statement: Array<Record<string, unknown>> } {
  const raw = q.rec.attributes.Policy;
  if (raw) {
    const p = JSON.parse(raw) as Record<string, unknown>;
    const statements = Array.isArray(p.Statement) ? (p.Statement as Array<Record<string, unknown>>) : p.Statement ? [p.Statement as Record<string, unknown>] : [];
    return { Version: String(p.Version ?? "2012-10-17"), Id: String(p.Id ?? `${q.arn}/SQSDefaultPolicy`), Statement: statements };
  }
  return { Version: "2012-10-17", Id: `${q.arn}/SQSDefaultPolicy`, Statement: [] };
}

// ---- sending ------------------------------------------------------------------------------------

interface SendResult {
  MessageId: string;
  MD5OfMessageBody: string;
  MD5OfMessageAttributes?: string;
  MD5OfMessageSystemAttributes?: string;
  SequenceNumber?: string;
}

/** Validates and enqueues one message (SendMessage, or an entry of SendMessageBatch). */
function send(s: Sqs, q: Queue, entry: Input, ctx: RequestContext, now: number): SendResult {
  const prepared = prepare(q, entry);
  return enqueue(s, q, prepared, ctx, now);
}

interface Prepared {
  body: string;
  size: number;
  delayMs: number;
  attributes?: Record<string, MessageAttributeValue>;
  systemAttributes?: Record<string, MessageAttributeValue>;
  groupId?: string;
  dedupId?: string;
}

function prepare(q: Queue, entry: Input): Prepared {
  const body = checkBody(entry.MessageBody);
  const user = checkMessageAttributes(entry.MessageAttributes);
  const system = checkMessageAttributes(entry.MessageSystemAttributes, "system");
  const size = Buffer.byteLength(body, "utf8") + user.size;
  if (size > q.maxMessageSize) {
    throw InvalidParameterValue(`One or more parameters are invalid. Reason: Message must be shorter than ${q.maxMessageSize} bytes.`);
  }
  const delay = integerInRange(entry, "DelaySeconds", 0, 900, "DelaySeconds must be >= 0 and <= 900.");
  const out: Prepared = { body, size, delayMs: q.delayMs };
  if (user.attributes) out.attributes = user.attributes;
  if (system.attributes) out.systemAttributes = system.attributes;
  const groupId = entry.MessageGroupId;
  const dedupId = entry.MessageDeduplicationId;
  if (q.fifo) {
    if (delay !== undefined && delay !== 0) throw invalidParameter("DelaySeconds", delay, "The request include parameter that is not valid for this queue type.");
    if (groupId === undefined || groupId === null || groupId === "") throw missingParameter("MessageGroupId");
    out.groupId = checkFifoId("MessageGroupId", groupId);
    if (dedupId !== undefined && dedupId !== null) out.dedupId = checkFifoId("MessageDeduplicationId", dedupId);
    else if (q.contentDedup) out.dedupId = createHash("sha256").update(body, "utf8").digest("hex");
    else throw InvalidParameterValue("The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
  } else {
    if (delay !== undefined) out.delayMs = delay * 1000;
    // Standard queues take a MessageGroupId (fair queues); deduplication ids belong to FIFO.
    if (groupId !== undefined && groupId !== null) out.groupId = checkFifoId("MessageGroupId", groupId);
    if (dedupId !== undefined && dedupId !== null) {
      throw invalidParameter("MessageDeduplicationId", dedupId, "The request include parameter that is not valid for this queue type.");
    }
  }
  return out;
}

function sendResult(id: string, seq: string | undefined, md5Body: string, md5Attributes: string | undefined, md5System: string | undefined): SendResult {
  const r: SendResult = { MessageId: id, MD5OfMessageBody: md5Body };
  if (md5Attributes) r.MD5OfMessageAttributes = md5Attributes;
  if (md5System) r.MD5OfMessageSystemAttributes = md5System;
  if (seq !== undefined) r.SequenceNumber = seq;
  return r;
}

function enqueue(s: Sqs, q: Queue, p: Prepared, ctx: RequestContext, now: number): SendResult {
  const md5Body = md5Hex(p.body);
  const md5Attributes = p.attributes ? md5OfAttributes(p.attributes) : undefined;
  const md5System = p.systemAttributes ? md5OfAttributes(p.systemAttributes) : undefined;
  let dedupKey: string | undefined;
  if (q.fifo && p.dedupId !== undefined) {
    dedupKey = q.dedupPerGroup ? `${p.groupId ?? ""}\u0000${p.dedupId}` : p.dedupId;
    const seen = s.model.findDuplicate(q, dedupKey, now);
    if (seen) return sendResult(seen.messageId, seen.sequenceNumber, md5Body, md5Attributes, md5System);
  }
  const rec: StoredMessage = {
    id: randomUUID(),
    body: p.body,
    md5Body,
    senderId: senderId(ctx.principal),
    sentAt: now,
    enqueuedAt: now,
    visibleAt: now + p.delayMs,
    receiveCount: 0,
  };
  if (p.attributes) rec.attributes = p.attributes;
  if (md5Attributes) rec.md5Attributes = md5Attributes;
  if (p.systemAttributes) rec.systemAttributes = p.systemAttributes;
  if (md5System) rec.md5SystemAttributes = md5System;
  if (p.groupId !== undefined) rec.groupId = p.groupId;
  if (q.fifo) {
    if (p.dedupId !== undefined) rec.dedupId = p.dedupId;
    rec.sequenceNumber = s.model.nextSequence(q, now);
  }
  s.model.addMessage(q, rec, now, dedupKey);
  return sendResult(rec.id, rec.sequenceNumber, md5Body, md5Attributes, md5System);
}

export function SendMessage(s: Sqs, input: Input, ctx: RequestContext): Wire<SendMessageCommandOutput> {
  const now = s.env.scheduler.now();
  const q = queueByUrl(s.model, input, ctx, "SendMessage", now);
  return send(s, q, input, ctx, now);
}

export function SendMessageBatch(s: Sqs, input: Input, ctx: RequestContext): Wire<SendMessageBatchCommandOutput> {
  const now = s.env.scheduler.now();
  const q = queueByUrl(s.model, input, ctx, "SendMessageBatch", now);
  const entries = batchEntries(input, "SendMessageBatchRequestEntry");
  // The whole request is refused when the bodies and attributes together exceed the limit.
  let total = 0;
  for (const e of entries) {
    if (typeof e.MessageBody === "string") total += Buffer.byteLength(e.MessageBody, "utf8");
    try {
      total += checkMessageAttributes(e.MessageAttributes).size;
    } catch {
      // the entry fails on its own below
    }
  }
  if (total > DEFAULT_MAX_MESSAGE_SIZE) throw batchRequestTooLong(DEFAULT_MAX_MESSAGE_SIZE, total);
  const Successful: Array<SendResult & { Id: string }> = [];
  const Failed: BatchFailure[] = [];
  for (const e of entries) {
    const id = e.Id as string;
    try {
      Successful.push({ Id: id, ...send(s, q, e, ctx, now) });
    } catch (err) {
      Failed.push(failure(id, err));
    }
  }
  return { Successful, Failed };
}

// ---- receiving ----------------------------------------------------------------------------------

const SYSTEM_ATTRIBUTES = [
  "SenderId",
  "SentTimestamp",
  "ApproximateReceiveCount",
  "ApproximateFirstReceiveTimestamp",
  "SequenceNumber",
  "MessageDeduplicationId",
  "MessageGroupId",
  "AWSTraceHeader",
  "DeadLetterQueueSourceArn",
] as const;

interface Shape {
  system: ReadonlySet<string>;
  /** undefined: no message attributes; "all"; or exact names and prefixes ("orders.*"). */
  user: "all" | { names: Set<string>; prefixes: string[] } | undefined;
}

function receiveShape(input: Input): Shape {
  const sys = [...stringList(input, "AttributeNames"), ...stringList(input, "MessageSystemAttributeNames")];
  const system = new Set<string>(sys.includes("All") ? SYSTEM_ATTRIBUTES : sys);
  const names = stringList(input, "MessageAttributeNames");
  let user: Shape["user"];
  if (names.includes("All") || names.includes(".*")) user = "all";
  else if (names.length > 0) {
    user = { names: new Set(names.filter((n) => !n.endsWith(".*"))), prefixes: names.filter((n) => n.endsWith(".*")).map((n) => n.slice(0, -1)) };
  }
  return { system, user };
}

function systemAttribute(name: string, r: StoredMessage): string | undefined {
  switch (name) {
    case "SenderId":
      return r.senderId;
    case "SentTimestamp":
      return String(r.sentAt);
    case "ApproximateReceiveCount":
      return String(r.receiveCount);
    case "ApproximateFirstReceiveTimestamp":
      return r.firstReceiveAt === undefined ? undefined : String(r.firstReceiveAt);
    case "SequenceNumber":
      return r.sequenceNumber;
    case "MessageDeduplicationId":
      return r.dedupId;
    case "MessageGroupId":
      return r.groupId;
    case "AWSTraceHeader":
      return r.systemAttributes?.AWSTraceHeader?.StringValue;
    case "DeadLetterQueueSourceArn":
      return r.deadLetterSourceArn;
    default:
      return undefined;
  }
}

type Received = Wire<ReceiveMessageCommandOutput>;

function formatMessage(q: Queue, m: Msg, shape: Shape): Wire<Message> {
  const r = m.rec;
  const out: Wire<Message> = { MessageId: r.id, ReceiptHandle: receiptHandle(q, m), MD5OfBody: r.md5Body, Body: r.body };
  if (shape.system.size > 0) {
    const attributes: Record<string, string> = {};
    for (const name of shape.system) {
      const v = systemAttribute(name, r);
      if (v !== undefined) attributes[name] = v;
    }
    if (Object.keys(attributes).length > 0) out.Attributes = attributes;
  }
  if (shape.user && r.attributes) {
    let selected: Record<string, MessageAttributeValue> | undefined;
    if (shape.user === "all") selected = r.attributes;
    else {
      const { names, prefixes } = shape.user;
      for (const [name, value] of Object.entries(r.attributes)) {
        if (names.has(name) || prefixes.some((p) => name.startsWith(p))) (selected ??= {})[name] = value;
      }
    }
    if (selected && Object.keys(selected).length > 0) {
      out.MessageAttributes = selected;
      // The checksum covers exactly the attributes returned, as AWS computes it.
      out.MD5OfMessageAttributes = selected === r.attributes && r.md5Attributes ? r.md5Attributes : md5OfAttributes(selected);
    }
  }
  return out;
}

// Top-level rather than a closure per request: under tsx (keepNames) every named closure costs a
// defineProperty on the hot path.
function formatReceived(q: Queue, msgs: Msg[], shape: Shape): Received {
  return msgs.length > 0 ? { Messages: msgs.map((m) => formatMessage(q, m, shape)) } : {};
}

export function ReceiveMessage(s: Sqs, input: Input, ctx: RequestContext): Received | Promise<Received> {
  const now = s.env.scheduler.now();
  const q = queueByUrl(s.model, input, ctx, "ReceiveMessage", now);
  const max = integerInRange(input, "MaxNumberOfMessages", 1, 10, "Must be between 1 and 10, if provided.") ?? 1;
  const visibility = integerInRange(input, "VisibilityTimeout", 0, MAX_VISIBILITY_S, `Must be >= 0 and <= ${MAX_VISIBILITY_S}, if provided.`);
  const wait = integerInRange(input, "WaitTimeSeconds", 0, 20, "Must be >= 0 and <= 20, if provided.") ?? q.waitSeconds;
  const shape = receiveShape(input);
  const options = { max, visibilityMs: visibility === undefined ? q.visibilityMs : visibility * 1000 };
  const got = s.model.take(q, options, now);
  if (got.length > 0 || wait === 0) return formatReceived(q, got, shape);

  // Long polling: wait for a send, a message surfacing, or the end of WaitTimeSeconds.
  return new Promise<Received>((resolve) => {
    const waiter: Waiter = {
      attempt() {
        const msgs = s.model.take(q, options, s.env.scheduler.now());
        if (msgs.length === 0) return false;
        timer.cancel();
        resolve(formatReceived(q, msgs, shape));
        return true;
      },
      expire() {
        timer.cancel();
        resolve({});
      },
    };
    const timer = s.env.scheduler.setTimeout(() => {
      s.model.removeWaiter(q, waiter);
      resolve({});
    }, wait * 1000);
    s.model.addWaiter(q, waiter);
  });
}

// ---- acknowledging ------------------------------------------------------------------------------

function deleteOne(s: Sqs, q: Queue, handle: unknown, now: number): void {
  if (typeof handle !== "string" || handle === "") throw missingParameter("ReceiptHandle");
  const { messageId, receipt } = parseReceiptHandle(q, handle);
  const m = s.model.find(q, messageId);
  // Deleting a message that is already gone succeeds; an older receipt handle succeeds without
  // deleting (AWS: "you must provide the most recently received ReceiptHandle").
  if (!m || m.rec.receipt !== receipt) return;
  if (q.fifo && m.rec.visibleAt <= now) {
    throw invalidParameter("ReceiptHandle", handle, "The receipt handle has expired.");
  }
  s.model.deleteMessage(q, m);
}

export function DeleteMessage(s: Sqs, input: Input, ctx: RequestContext): Wire<DeleteMessageCommandOutput> {
  const now = s.env.scheduler.now();
  const q = queueByUrl(s.model, input, ctx, "DeleteMessage", now);
  deleteOne(s, q, input.ReceiptHandle, now);
  return {};
}

export function DeleteMessageBatch(s: Sqs, input: Input, ctx: RequestContext): Wire<DeleteMessageBatchCommandOutput> {
  const now = s.env.scheduler.now();
  const q = queueByUrl(s.model, input, ctx, "DeleteMessageBatch", now);
  const entries = batchEntries(input, "DeleteMessageBatchRequestEntry");
  const Successful: Array<{ Id: string }> = [];
  const Failed: BatchFailure[] = [];
  for (const e of entries) {
    const id = e.Id as string;
    try {
      deleteOne(s, q, e.ReceiptHandle, now);
      Successful.push({ Id: id });
    } catch (err) {
      Failed.push(failure(id, err));
    }
  }
  return { Successful, Failed };
}

function changeOne(s: Sqs, q: Queue, handle: unknown, timeout: unknown, now: number): void {
  if (typeof handle !== "string" || handle === "") throw missingParameter("ReceiptHandle");
  const seconds = integerInRange({ VisibilityTimeout: timeout }, "VisibilityTimeout", 0, MAX_VISIBILITY_S, `Must be >= 0 and <= ${MAX_VISIBILITY_S}.`);
  if (seconds === undefined) throw missingParameter("VisibilityTimeout");
  const { messageId, receipt } = parseReceiptHandle(q, handle);
  const m = s.model.find(q, messageId);
  if (!m || m.rec.receipt !== receipt) {
    throw invalidParameter("ReceiptHandle", handle, "Message does not exist or is not available for visibility timeout change.");
  }
  if (m.rec.visibleAt <= now) throw messageNotInflight();
  // AWS caps a message's total invisibility at 12 hours from the receive.
  const since = now - (m.rec.lastReceiveAt ?? now);
  if (since + seconds * 1000 > MAX_VISIBILITY_S * 1000) {
    throw invalidParameter("VisibilityTimeout", seconds, `Total VisibilityTimeout for the message is beyond the limit [${MAX_VISIBILITY_S} seconds]`);
  }
  s.model.changeVisibility(q, m, now + seconds * 1000, now);
}

export function ChangeMessageVisibility(s: Sqs, input: Input, ctx: RequestContext): Wire<ChangeMessageVisibilityCommandOutput> {
  const now = s.env.scheduler.now();
  const q = queueByUrl(s.model, input, ctx, "ChangeMessageVisibility", now);
  changeOne(s, q, input.ReceiptHandle, input.VisibilityTimeout, now);
  return {};
}

export function ChangeMessageVisibilityBatch(s: Sqs, input: Input, ctx: RequestContext): Wire<ChangeMessageVisibilityBatchCommandOutput> {
  const now = s.env.scheduler.now();
  const q = queueByUrl(s.model, input, ctx, "ChangeMessageVisibilityBatch", now);
  const entries = batchEntries(input, "ChangeMessageVisibilityBatchRequestEntry");
  const Successful: Array<{ Id: string }> = [];
  const Failed: BatchFailure[] = [];
  for (const e of entries) {
    const id = e.Id as string;
    try {
      changeOne(s, q, e.ReceiptHandle, e.VisibilityTimeout, now);
      Successful.push({ Id: id });
    } catch (err) {
      Failed.push(failure(id, err));
    }
  }
  return { Successful, Failed };
}

// ---- dead-letter queue redrive (message move tasks) ---------------------------------------------

/**
 * Moves a dead-letter queue's available messages back to their source queues (or to
 * DestinationArn). AWS moves them at up to MaxNumberOfMessagesPerSecond in the background; the
 * sandbox moves them at once, so the task is already COMPLETED when listed.
 */
export function StartMessageMoveTask(s: Sqs, input: Input, ctx: RequestContext): Wire<StartMessageMoveTaskCommandOutput> {
  const now = s.env.scheduler.now();
  const sourceArn = requiredString(input, "SourceArn");
  const destinationArn = optionalString(input, "DestinationArn");
  const rate = integerInRange(input, "MaxNumberOfMessagesPerSecond", 1, 500, "MaxNumberOfMessagesPerSecond must be between 1 and 500.");
  const src = queueByArn(s.model, sourceArn, "SourceArn", ctx, "StartMessageMoveTask", now);
  const isDlq = [...s.model.queues.values()].some((q) => q.redrive?.deadLetterTargetArn === src.arn);
  if (!isDlq) throw invalidParameter("SourceArn", sourceArn, "Source queue must be configured as a Dead Letter Queue.");
  const dest = destinationArn === undefined ? undefined : queueByArn(s.model, destinationArn, "DestinationArn", ctx, "StartMessageMoveTask", now);
  let missing = 0;
  const { moved, toMove } = s.model.moveAvailable(
    src,
    (rec) => {
      const target = dest ?? (rec.deadLetterSourceArn ? s.model.byArn(rec.deadLetterSourceArn) : undefined);
      if (!target) missing++;
      return target;
    },
    now,
  );
  const task: StoredMoveTask = {
    taskHandle: Buffer.from(JSON.stringify({ taskId: randomUUID(), sourceArn }), "utf8").toString("base64"),
    sourceArn,
    status: missing > 0 ? "FAILED" : "COMPLETED",
    moved,
    toMove,
    startedAt: now,
  };
  if (destinationArn !== undefined) task.destinationArn = destinationArn;
  if (rate !== undefined) task.maxNumberOfMessagesPerSecond = rate;
  if (missing > 0) task.failureReason = "AWS.SimpleQueueService.NonExistentQueue";
  s.model.saveMoveTask(ctx.accountId, ctx.region, task);
  return { TaskHandle: task.taskHandle };
}

export function ListMessageMoveTasks(s: Sqs, input: Input, ctx: RequestContext): Wire<ListMessageMoveTasksCommandOutput> {
  const sourceArn = requiredString(input, "SourceArn");
  queueByArn(s.model, sourceArn, "SourceArn", ctx, "ListMessageMoveTasks", s.env.scheduler.now());
  const max = integerInRange(input, "MaxResults", 1, 10, "MaxResults must be between 1 and 10.") ?? 1;
  const tasks = [...s.model.moveTasks.values()].filter((t) => t.sourceArn === sourceArn).sort((a, b) => b.startedAt - a.startedAt);
  return {
    Results: tasks.slice(0, max).map((t) => {
      const r: Wire<ListMessageMoveTasksResultEntry> = {
        Status: t.status,
        SourceArn: t.sourceArn,
        ApproximateNumberOfMessagesMoved: t.moved,
        ApproximateNumberOfMessagesToMove: t.toMove,
        StartedTimestamp: t.startedAt,
      };
      if (t.destinationArn !== undefined) r.DestinationArn = t.destinationArn;
      if (t.maxNumberOfMessagesPerSecond !== undefined) r.MaxNumberOfMessagesPerSecond = t.maxNumberOfMessagesPerSecond;
      if (t.failureReason !== undefined) r.FailureReason = t.failureReason;
      return r;
    }),
  };
}

export function CancelMessageMoveTask(s: Sqs, input: Input, ctx: RequestContext): Wire<CancelMessageMoveTaskCommandOutput> {
  const handle = requiredString(input, "TaskHandle");
  const task = [...s.model.moveTasks.entries()].find(([key, t]) => key.startsWith(`${ctx.accountId}/${ctx.region}/`) && t.taskHandle === handle)?.[1];
  if (!task) throw ResourceNotFoundException("The resource that you specified for the TaskHandle parameter doesn't exist.");
  // Tasks finish within StartMessageMoveTask, so there is never a running one to cancel.
  throw UnsupportedOperation("Only active tasks can be cancelled.");
}

/** Every operation's handler, by name. */
export const handlers = {
  CreateQueue,
  DeleteQueue,
  GetQueueUrl,
  ListQueues,
  GetQueueAttributes,
  SetQueueAttributes,
  PurgeQueue,
  ListDeadLetterSourceQueues,
  TagQueue,
  UntagQueue,
  ListQueueTags,
  AddPermission,
  RemovePermission,
  SendMessage,
  SendMessageBatch,
  ReceiveMessage,
  DeleteMessage,
  DeleteMessageBatch,
  ChangeMessageVisibility,
  ChangeMessageVisibilityBatch,
  StartMessageMoveTask,
  ListMessageMoveTasks,
  CancelMessageMoveTask,
} satisfies Record<string, (s: Sqs, input: Input, ctx: RequestContext) => unknown>;
