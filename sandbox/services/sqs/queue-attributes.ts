// Queue attributes: which exist, their defaults and ranges, and how a value given to CreateQueue
// or SetQueueAttributes is checked and normalised (with AWS's error codes and messages).
import { PARTITION_PATTERN, REGION_PATTERN } from "@/sandbox/core/aws-names";
import { parsePolicy } from "@/semantics/iam-policy";
import { InvalidAttributeName, InvalidAttributeValue, InvalidParameterValue } from "./errors";

export const DEFAULT_MAX_MESSAGE_SIZE = 1_048_576;

const INTEGER_RANGES: Record<string, [min: number, max: number]> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, DEFAULT_MAX_MESSAGE_SIZE],
  MessageRetentionPeriod: [60, 1_209_600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43_200],
  KmsDataKeyReusePeriodSeconds: [60, 86_400],
};

export const STANDARD_DEFAULTS: Readonly<Record<string, string>> = {
  DelaySeconds: "0",
  MaximumMessageSize: String(DEFAULT_MAX_MESSAGE_SIZE),
  MessageRetentionPeriod: "345600",
  ReceiveMessageWaitTimeSeconds: "0",
  VisibilityTimeout: "30",
  SqsManagedSseEnabled: "true",
};

export const FIFO_DEFAULTS: Readonly<Record<string, string>> = {
  ...STANDARD_DEFAULTS,
  FifoQueue: "true",
  ContentBasedDeduplication: "false",
  DeduplicationScope: "queue",
  FifoThroughputLimit: "perQueue",
};

const FIFO_ONLY = new Set(["FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"]);
const SETTABLE = new Set([
  ...Object.keys(INTEGER_RANGES),
  "Policy",
  "RedrivePolicy",
  "RedriveAllowPolicy",
  "KmsMasterKeyId",
  "SqsManagedSseEnabled",
  ...FIFO_ONLY,
]);

/** Read-only attributes GetQueueAttributes answers besides the settable ones. */
export const COMPUTED = [
  "QueueArn",
  "ApproximateNumberOfMessages",
  "ApproximateNumberOfMessagesNotVisible",
  "ApproximateNumberOfMessagesDelayed",
  "CreatedTimestamp",
  "LastModifiedTimestamp",
] as const;

export function isKnownAttribute(name: string): boolean {
  return SETTABLE.has(name) || (COMPUTED as readonly string[]).includes(name);
}

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

/** Looks a dead-letter target up so a RedrivePolicy can be checked against it. */
export type QueueByArn = (arn: string) => { fifo: boolean; arn: string; redriveAllow?: string } | undefined;

export interface ValidationContext {
  fifo: boolean;
  creating: boolean;
  queueArn: string;
  findQueue: QueueByArn;
}

const DEAD_LETTER_ARN = new RegExp(`^arn:${PARTITION_PATTERN}:sqs:${REGION_PATTERN}:\\d{12}:[\\w-]+(\\.fifo)?$`);

const badValue = (name: string) => InvalidAttributeValue(`Invalid value for the parameter ${name}.`);
const badRedrive = (value: string, reason: string) =>
  InvalidParameterValue(`Value ${value} for parameter RedrivePolicy is invalid. Reason: ${reason}`);

function parseRedrivePolicy(value: string, ctx: ValidationContext): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw badRedrive(value, "Redrive policy is not a valid JSON map.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw badRedrive(value, "Redrive policy is not a valid JSON map.");
  const p = parsed as Record<string, unknown>;
  for (const key of Object.keys(p)) {
    if (key !== "deadLetterTargetArn" && key !== "maxReceiveCount") throw badRedrive(value, `Only following attributes are supported: [deadLetterTargetArn, maxReceiveCount].`);
  }
  if (p.deadLetterTargetArn === undefined) throw badRedrive(value, "Redrive policy does not contain mandatory attribute: deadLetterTargetArn.");
  if (p.maxReceiveCount === undefined) throw badRedrive(value, "Redrive policy does not contain mandatory attribute: maxReceiveCount.");
  const count = typeof p.maxReceiveCount === "string" && /^-?\d+$/.test(p.maxReceiveCount) ? Number(p.maxReceiveCount) : p.maxReceiveCount;
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1 || count > 1000) {
    throw badRedrive(value, `Invalid value for maxReceiveCount: ${String(p.maxReceiveCount)}, valid values are from 1 to 1000 both inclusive.`);
  }
  const arn = p.deadLetterTargetArn;
  if (typeof arn !== "string" || !DEAD_LETTER_ARN.test(arn)) throw badRedrive(value, "Invalid value for deadLetterTargetArn.");
  const [, , , region, account] = arn.split(":");
  const [, , , ownRegion, ownAccount] = ctx.queueArn.split(":");
  if (region !== ownRegion || account !== ownAccount) throw badRedrive(value, "Dead letter target owner should be the same as the source.");
  const target = ctx.findQueue(arn);
  if (!target) throw badRedrive(value, "Dead letter target does not exist.");
  if (target.fifo !== ctx.fifo) throw badRedrive(value, "Dead-letter queue must be same type of queue as the source..");
  if (target.redriveAllow && !redriveAllowed(target.redriveAllow, ctx.queueArn)) {
    throw badRedrive(value, `Queue ${ctx.queueArn} is not allowed to use ${arn} as its dead-letter queue by its RedriveAllowPolicy.`);
  }
  return JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: count } satisfies RedrivePolicy);
}

function redriveAllowed(redriveAllow: string, sourceArn: string): boolean {
  try {
    const p = JSON.parse(redriveAllow) as { redrivePermission?: string; sourceQueueArns?: string[] };
    if (p.redrivePermission === "denyAll") return false;
    if (p.redrivePermission === "byQueue") return (p.sourceQueueArns ?? []).includes(sourceArn);
    return true;
  } catch {
    return true;
  }
}

function parseRedriveAllowPolicy(value: string): string {
  const bad = (reason: string) => InvalidParameterValue(`Value ${value} for parameter RedriveAllowPolicy is invalid. Reason: ${reason}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw bad("Redrive allow policy is not a valid JSON map.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw bad("Redrive allow policy is not a valid JSON map.");
  const p = parsed as Record<string, unknown>;
  const permission = p.redrivePermission;
  if (permission !== "allowAll" && permission !== "denyAll" && permission !== "byQueue") {
    throw bad("Invalid value for redrivePermission. Valid values are: allowAll, denyAll, byQueue.");
  }
  const arns = p.sourceQueueArns;
  if (permission === "byQueue") {
    if (!Array.isArray(arns) || arns.length === 0 || arns.some((a) => typeof a !== "string")) {
      throw bad("Redrive allow policy must contain sourceQueueArns when redrivePermission is byQueue.");
    }
    if (arns.length > 10) throw bad("Redrive allow policy can contain at most 10 sourceQueueArns.");
  } else if (arns !== undefined) {
    throw bad("sourceQueueArns is only allowed when redrivePermission is byQueue.");
  }
  return JSON.stringify(permission === "byQueue" ? { redrivePermission: permission, sourceQueueArns: arns } : { redrivePermission: permission });
}

/** Checks one attribute and returns its stored form ("" clears Policy/RedrivePolicy/RedriveAllowPolicy). */
export function normaliseAttribute(name: string, raw: unknown, ctx: ValidationContext): string {
  if (!SETTABLE.has(name)) throw InvalidAttributeName(`Unknown Attribute ${name}.`);
  if (FIFO_ONLY.has(name) && !ctx.fifo && !(name === "FifoQueue" && ctx.creating)) throw InvalidAttributeName(`Unknown Attribute ${name}.`);
  if (name === "FifoQueue" && !ctx.creating) throw InvalidAttributeName(`Unknown Attribute ${name}.`);
  const value = typeof raw === "string" ? raw : typeof raw === "number" || typeof raw === "boolean" ? String(raw) : undefined;
  if (value === undefined) throw badValue(name);
  const range = INTEGER_RANGES[name];
  if (range) {
    if (!/^\d+$/.test(value.trim())) throw badValue(name);
    const n = Number(value.trim());
    if (n < range[0] || n > range[1]) throw badValue(name);
    return String(n);
  }
  switch (name) {
    case "FifoQueue":
    case "ContentBasedDeduplication":
    case "SqsManagedSseEnabled": {
      const v = value.toLowerCase();
      if (v !== "true" && v !== "false") throw badValue(name);
      return v;
    }
    case "DeduplicationScope":
      if (value !== "messageGroup" && value !== "queue") throw badValue(name);
      return value;
    case "FifoThroughputLimit":
      if (value !== "perQueue" && value !== "perMessageGroupId") throw badValue(name);
      return value;
    case "Policy": {
      if (value === "") return "";
      const parsed = parsePolicy(value, { kind: "resource" });
      if (!parsed.ok) throw badValue(name);
      return value;
    }
    case "RedrivePolicy":
      return value === "" ? "" : parseRedrivePolicy(value, ctx);
    case "RedriveAllowPolicy":
      return value === "" ? "" : parseRedriveAllowPolicy(value);
    default:
      return value; // KmsMasterKeyId: any alias or ARN; the sandbox does not encrypt
  }
}
