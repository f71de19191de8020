// Input checks shared by the handlers, with SNS's error texts. Inputs come from the query
// decoder or from other services' in-process calls, so every member is read as `unknown`.
import type { AwsError } from "@/sandbox/core/contracts";
import { parsePolicy } from "@/semantics/iam-policy";
import { validateFilterPolicy, type SnsApi } from "@/semantics/sns-filter-policy";
import { InvalidParameter, memberMustNotBeNull, ParameterValueInvalid } from "./errors";
import type { StoredAttribute } from "./models";
import { parseQueueArn } from "./delivery";

export type Input = Record<string, unknown>;

/** A member the caller may leave out; a non-string value is refused rather than coerced. */
export function optionalString(input: Input, name: string): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw InvalidParameter(`Invalid parameter: ${name}`);
  return v;
}

export function requiredString(input: Input, name: string): string {
  const v = optionalString(input, name);
  if (v === undefined) throw memberMustNotBeNull(name.charAt(0).toLowerCase() + name.slice(1));
  return v;
}

export function stringMap(input: Input, name: string): Record<string, string> {
  const v = input[name];
  if (v === undefined || v === null || v === "") return {};
  if (typeof v !== "object" || Array.isArray(v)) throw InvalidParameter(`Invalid parameter: ${name}`);
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(v as Record<string, unknown>)) {
    if (typeof value !== "string") throw InvalidParameter(`Invalid parameter: ${name} Reason: the value of ${k} must be a string`);
    out[k] = value;
  }
  return out;
}

export function list(input: Input, name: string): unknown[] {
  const v = input[name];
  if (v === undefined || v === null || v === "") return [];
  if (!Array.isArray(v)) throw InvalidParameter(`Invalid parameter: ${name}`);
  return v;
}

// ---- topics -------------------------------------------------------------------------------

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_TOPIC_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;

export function checkTopicName(name: string, fifo: boolean) {
  if (fifo && !FIFO_TOPIC_NAME.test(name)) {
    throw InvalidParameter(
      "Invalid parameter: Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.",
    );
  }
  if (!fifo && !TOPIC_NAME.test(name)) throw InvalidParameter("Invalid parameter: Topic Name");
}

const FEEDBACK_ATTRIBUTE = /^(?:HTTP|HTTPS|SQS|Lambda|Application|Firehose)(?:SuccessFeedbackRoleArn|SuccessFeedbackSampleRate|FailureFeedbackRoleArn)$/;
const SETTABLE_TOPIC_ATTRIBUTES = new Set([
  "DeliveryPolicy",
  "DisplayName",
  "Policy",
  "KmsMasterKeyId",
  "SignatureVersion",
  "TracingConfig",
  "ContentBasedDeduplication",
  "ArchivePolicy",
  "FifoThroughputScope",
]);

const isBooleanText = (v: string) => v === "true" || v === "false";

/**
 * One topic attribute. `creating` allows FifoTopic (it can only be given at CreateTopic).
 * Returns the value to store (booleans lower-cased).
 */
export function checkTopicAttribute(name: string, value: string, fifo: boolean, creating: boolean): string {
  const bad = (reason: string) =>
    InvalidParameter(creating ? `Invalid parameter: Attributes Reason: ${reason}` : `Invalid parameter: ${reason}`);
  if (name === "FifoTopic") {
    if (!creating) throw InvalidParameter("Invalid parameter: AttributeName");
    if (!isBooleanText(value.toLowerCase())) throw bad(`FifoTopic: Invalid value [${value}]. Must be true or false.`);
    return value.toLowerCase();
  }
  if (!SETTABLE_TOPIC_ATTRIBUTES.has(name) && !FEEDBACK_ATTRIBUTE.test(name)) {
    throw creating ? bad(`Unknown attribute ${name}`) : InvalidParameter("Invalid parameter: AttributeName");
  }
  switch (name) {
    case "DisplayName":
      if (value.length > 100) throw bad("DisplayName: must be at most 100 characters");
      return value;
    case "ContentBasedDeduplication":
      if (!fifo) throw bad("ContentBasedDeduplication: Content-based deduplication can only be set for FIFO topics");
      if (!isBooleanText(value.toLowerCase())) throw bad(`ContentBasedDeduplication: Invalid value [${value}]. Must be true or false.`);
      return value.toLowerCase();
    case "FifoThroughputScope":
      if (!fifo) throw bad("FifoThroughputScope: can only be set for FIFO topics");
      if (value !== "Topic" && value !== "MessageGroup") throw bad(`FifoThroughputScope: Invalid value [${value}]. Please use either Topic or MessageGroup`);
      return value;
    case "SignatureVersion":
      if (value !== "1" && value !== "2") throw bad(`SignatureVersion: Invalid value [${value}]. Must be 1 or 2.`);
      return value;
    case "TracingConfig":
      if (value !== "PassThrough" && value !== "Active") throw bad(`TracingConfig: Invalid value [${value}]. Please use either PassThrough or Active`);
      return value;
    case "Policy": {
      const parsed = parsePolicy(value, { kind: "resource" });
      if (!parsed.ok) throw bad(`Policy Error: ${parsed.error}`);
      return value;
    }
    case "DeliveryPolicy":
    case "ArchivePolicy":
      if (value !== "" && !isJsonObject(value)) throw bad(`${name}: The policy is not a valid JSON object`);
      return value;
    default:
      return value;
  }
}

function isJsonObject(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === "object" && !Array.isArray(v);
  } catch {
    return false;
  }
}

// ---- subscriptions ------------------------------------------------------------------------

export const SUBSCRIPTION_ATTRIBUTES = new Set([
  "DeliveryPolicy",
  "FilterPolicy",
  "FilterPolicyScope",
  "RawMessageDelivery",
  "RedrivePolicy",
  "SubscriptionRoleArn",
  "ReplayPolicy",
]);

const RAW_PROTOCOLS = new Set(["sqs", "http", "https", "firehose"]);

/**
 * Checks subscription attributes as a whole (FilterPolicy depends on FilterPolicyScope) and
 * returns what to store: `current` merged with `changes`, empty values removing an attribute.
 */
export function applySubscriptionAttributes(
  api: SnsApi,
  protocol: string,
  topicFifo: boolean,
  current: Record<string, string>,
  changes: Record<string, string>,
): Record<string, string> {
  const prefix = api === "Subscribe" ? "Invalid parameter: Attributes Reason: " : "Invalid parameter: ";
  const bad = (reason: string) => InvalidParameter(prefix + reason);
  const next = { ...current };
  for (const [name, value] of Object.entries(changes)) {
    if (!SUBSCRIPTION_ATTRIBUTES.has(name)) throw api === "Subscribe" ? bad(`Unknown attribute ${name}`) : InvalidParameter("Invalid parameter: AttributeName");
    switch (name) {
      case "RawMessageDelivery": {
        const v = value.toLowerCase();
        if (!isBooleanText(v)) throw bad(`RawMessageDelivery: Invalid value [${value}]. Must be true or false.`);
        if (!RAW_PROTOCOLS.has(protocol)) throw bad(`Delivery protocol [${protocol}] does not support raw message delivery.`);
        next[name] = v;
        break;
      }
      case "FilterPolicyScope":
        if (value !== "MessageAttributes" && value !== "MessageBody") {
          throw InvalidParameter(
            `Invalid parameter: FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`,
          );
        }
        next[name] = value;
        break;
      case "RedrivePolicy":
        if (value === "") delete next[name];
        else next[name] = checkRedrivePolicy(value, topicFifo, bad);
        break;
      case "DeliveryPolicy":
        if (value !== "" && !isJsonObject(value)) throw bad("DeliveryPolicy: The policy is not a valid JSON object");
        if (value === "") delete next[name];
        else next[name] = value;
        break;
      default:
        if (value === "") delete next[name];
        else next[name] = value;
    }
  }
  // The policy is judged in the scope it will be evaluated in, whichever of the two changed.
  if (next.FilterPolicy !== undefined) {
    const r = validateFilterPolicy(next.FilterPolicy, next.FilterPolicyScope ?? "MessageAttributes", { api });
    if (!r.ok) throw InvalidParameter(r.error.message);
    next.FilterPolicyScope ??= "MessageAttributes";
  }
  return next;
}

function checkRedrivePolicy(value: string, topicFifo: boolean, bad: (reason: string) => AwsError): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw bad("RedrivePolicy: Redrive policy is not a valid JSON");
  }
  const target = parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>).deadLetterTargetArn : undefined;
  if (typeof target !== "string") throw bad("RedrivePolicy: deadLetterTargetArn is missing");
  const queue = parseQueueArn(target);
  if (!queue) throw bad(`RedrivePolicy: deadLetterTargetArn: Invalid SQS queue ARN: ${target}`);
  if (topicFifo !== queue.name.endsWith(".fifo")) {
    throw bad(`RedrivePolicy: must use a ${topicFifo ? "FIFO" : "standard"} queue as the dead-letter queue of a ${topicFifo ? "FIFO" : "standard"} topic's subscription`);
  }
  return value;
}

// ---- messages -----------------------------------------------------------------------------

/** SNS's message size limit: the message plus its attributes' names, types and values. */
export const MAX_MESSAGE_BYTES = 256 * 1024;
export const MAX_MESSAGE_ATTRIBUTES = 10;

const ATTRIBUTE_NAME = /^[A-Za-z0-9_\-.]{1,256}$/;
const NUMBER_TEXT = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function toBase64(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
  return undefined;
}

/** Message attributes in Publish form, checked as SNS does; BinaryValue kept as base64 text. */
export function checkMessageAttributes(raw: unknown): Record<string, StoredAttribute> {
  if (raw === undefined || raw === null || raw === "") return {};
  if (typeof raw !== "object" || Array.isArray(raw)) throw InvalidParameter("Invalid parameter: MessageAttributes");
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > MAX_MESSAGE_ATTRIBUTES) {
    throw ParameterValueInvalid(`Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_MESSAGE_ATTRIBUTES}].`);
  }
  const out: Record<string, StoredAttribute> = {};
  for (const [name, value] of entries) {
    if (!ATTRIBUTE_NAME.test(name) || name.startsWith(".") || name.endsWith(".") || name.includes("..") || /^(?:aws|amazon)\./i.test(name)) {
      throw ParameterValueInvalid(`The message attribute name '${name}' is invalid: use letters, digits, hyphens, underscores and periods (not at either end, not twice in a row), without the AWS. or Amazon. prefix.`);
    }
    const v = (value ?? {}) as Record<string, unknown>;
    const dataType = typeof v.DataType === "string" ? v.DataType : "";
    if (dataType === "") throw ParameterValueInvalid(`The message attribute '${name}' must contain non-empty message attribute type.`);
    const base = dataType.split(".")[0];
    if (base !== "String" && base !== "Number" && base !== "Binary") {
      throw ParameterValueInvalid(
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    }
    if (base === "Binary") {
      const b64 = toBase64(v.BinaryValue);
      if (!b64) throw ParameterValueInvalid(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`);
      out[name] = { DataType: dataType, BinaryValue: b64 };
      continue;
    }
    const text = typeof v.StringValue === "number" ? String(v.StringValue) : v.StringValue;
    if (typeof text !== "string" || text === "") {
      throw ParameterValueInvalid(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`);
    }
    if (base === "Number" && !NUMBER_TEXT.test(text.trim())) throw ParameterValueInvalid(`Could not cast message attribute '${name}' value to number.`);
    if (dataType === "String.Array" && !isJsonArray(text)) {
      throw ParameterValueInvalid(`Invalid parameter: Message attribute '${name}' of type String.Array must be a JSON array.`);
    }
    out[name] = { DataType: dataType, StringValue: text };
  }
  return out;
}

function isJsonArray(text: string): boolean {
  try {
    return Array.isArray(JSON.parse(text));
  } catch {
    return false;
  }
}

export function messageBytes(message: string, attributes: Record<string, StoredAttribute>): number {
  let total = Buffer.byteLength(message, "utf8");
  for (const [name, a] of Object.entries(attributes)) {
    total += Buffer.byteLength(name) + Buffer.byteLength(a.DataType);
    total += a.BinaryValue !== undefined ? Buffer.from(a.BinaryValue, "base64").length : Buffer.byteLength(a.StringValue ?? "");
  }
  return total;
}

export function checkSubject(subject: string | undefined) {
  if (subject === undefined) return;
  // ASCII text starting with a letter, number or punctuation, no line breaks or control characters.
  if (subject.length === 0 || subject.length > 100 || !/^[\x20-\x7E]+$/.test(subject) || subject.startsWith(" ")) {
    throw InvalidParameter("Invalid parameter: Subject");
  }
}

/** MessageStructure json: a JSON object with a `default` string, and optional per-protocol strings. */
export function parseMessageStructure(message: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw InvalidParameter("Invalid parameter: Message Structure - JSON message body failed to parse");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw InvalidParameter("Invalid parameter: Message Structure - JSON message body failed to parse");
  }
  const obj = parsed as Record<string, unknown>;
  if (typeof obj.default !== "string") throw InvalidParameter("Invalid parameter: Message Structure - No default entry in JSON message body");
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) if (typeof v === "string") out[k] = v;
  return out;
}

const GROUP_OR_DEDUP_ID = /^[\x21-\x7E]{1,128}$/;

export function checkFifoId(name: "MessageGroupId" | "MessageDeduplicationId", value: string) {
  if (!GROUP_OR_DEDUP_ID.test(value)) {
    throw InvalidParameter(`Invalid parameter: ${name} Reason: ${name} can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
  }
}

// ---- tags ---------------------------------------------------------------------------------

export const MAX_TAGS = 50;

export function readTags(input: Input): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of list(input, "Tags")) {
    const tag = (t ?? {}) as Record<string, unknown>;
    const key = tag.Key;
    const value = tag.Value ?? "";
    if (typeof key !== "string" || key.length < 1 || key.length > 128 || /^aws:/i.test(key)) {
      throw InvalidParameter(`Invalid parameter: Tags Reason: Tag key ${JSON.stringify(key ?? null)} is not valid: it must be 1 to 128 characters and must not start with aws:`);
    }
    if (typeof value !== "string" || value.length > 256) throw InvalidParameter(`Invalid parameter: Tags Reason: The value of tag ${key} must be at most 256 characters`);
    out[key] = value;
  }
  return out;
}
