// SQS event source mappings: the Lambda service polls a queue, invokes the function with a
// batch of records and deletes the batch when the function succeeds (or, with
// ReportBatchItemFailures, every message except those it names). A failed batch is left for
// the queue's visibility timeout to return, as on AWS. Only SQS sources are supported.
// Lambda reads the queue as the function's execution role, in the function's account (never as a
// free-floating service), so a queue in another account is drained only if its policy admits
// that role; the mapping checks this when it is made, as AWS does.
import { randomUUID } from "node:crypto";
import { AwsError } from "@/sandbox/core/contracts";
import type { DurableStore, RequestContext, ServiceEnvironment } from "@/sandbox/core/contracts";
import { ownAccount } from "./access";
import { executionRoleCannot, invalidParameter, resourceConflict, resourceNotFound, validation } from "./errors";
import { functionArn, type FunctionRecord, type LambdaModel } from "./models";
import type { InvocationOutcome } from "./runtime/execute";

export const MAPPINGS_TABLE = "lambda_event_source_mappings";
/** How often enabled mappings poll their queue. */
const POLL_MS = 1000;

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;

export interface MappingRecord {
  uuid: string;
  accountId: string;
  region: string;
  functionName: string;
  eventSourceArn: string;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  enabled: boolean;
  functionResponseTypes: string[];
  /** Epoch milliseconds. */
  lastModified: number;
  lastProcessingResult: string;
}

const SQS_ARN = /^arn:aws[a-zA-Z-]*:sqs:([a-z0-9-]+):(\d{12}):([a-zA-Z0-9_-]{1,80}(\.fifo)?)$/;
const key = (m: { accountId: string; region: string; uuid: string }) => `${m.accountId}/${m.region}/${m.uuid}`;
/** The queue an SQS ARN names, as a URL the SQS service reads (its account and name). */
const queueUrl = (arn: RegExpExecArray) => `http://sqs.internal/${arn[2]}/${arn[3]}`;

function intIn(v: unknown, field: string, min: number, max: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw validation(`1 validation error detected: Value '${String(v)}' at '${field}' failed to satisfy constraint: Member must have value between ${min} and ${max}`);
  }
  return v;
}

function responseTypes(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((t) => t !== "ReportBatchItemFailures")) {
    throw validation("1 validation error detected: Value at 'functionResponseTypes' failed to satisfy constraint: Member must satisfy enum value set: [ReportBatchItemFailures]");
  }
  return v as string[];
}

export interface MappingDeps {
  env: ServiceEnvironment;
  model: LambdaModel;
  /** Resolves a FunctionName (name or ARN) the caller may perform `operation` on (access.ts). */
  resolve(name: unknown, ctx: RequestContext, operation: string): FunctionRecord;
  /** Runs the function once with a JSON payload (the hosted-mode gate is the caller's). */
  run(fn: FunctionRecord, payload: string, requestId: string): Promise<InvocationOutcome>;
}

export function createEventSourceMappings({ env, model, resolve, run }: MappingDeps) {
  const store: DurableStore = env.store;
  const mappings = new Map<string, MappingRecord>();
  for (const [k, m] of store.load<MappingRecord>(MAPPINGS_TABLE)) mappings.set(k, m);
  const busy = new Set<string>();

  function save(m: MappingRecord): void {
    store.put(MAPPINGS_TABLE, key(m), m);
    mappings.set(key(m), m);
  }

  function find(uuid: unknown, ctx: RequestContext): MappingRecord {
    const m = typeof uuid === "string" ? mappings.get(key({ accountId: ownAccount(ctx), region: ctx.region, uuid })) : undefined;
    if (!m) throw resourceNotFound("The resource you requested does not exist.");
    return m;
  }

  function describe(m: MappingRecord): Output {
    return {
      UUID: m.uuid,
      BatchSize: m.batchSize,
      MaximumBatchingWindowInSeconds: m.maximumBatchingWindowInSeconds,
      EventSourceArn: m.eventSourceArn,
      FunctionArn: functionArn(m.accountId, m.region, m.functionName),
      LastModified: m.lastModified / 1000,
      LastProcessingResult: m.lastProcessingResult,
      State: m.enabled ? "Enabled" : "Disabled",
      StateTransitionReason: "USER_INITIATED",
      FunctionResponseTypes: [...m.functionResponseTypes],
    };
  }

  /**
   * How Lambda acts on the queue for a function: as its execution role, in its account and
   * region. Undefined for a role of another account (a record from before roles were checked).
   */
  function asFunctionRole(fn: FunctionRecord): RequestContext | undefined {
    if (fn.role.split(":")[4] !== fn.accountId) return undefined;
    return {
      accountId: fn.accountId,
      region: fn.region,
      requestId: env.newRequestId(),
      now: env.scheduler.now(),
      principal: { kind: "service", service: "lambda.amazonaws.com", accountId: fn.accountId, arn: fn.role, sourceArn: fn.arn },
    };
  }

  /** AWS checks, when the mapping is made, that the function's role can read the queue. */
  async function checkSourceAccess(fn: FunctionRecord, queue: RegExpExecArray): Promise<void> {
    const ctx = asFunctionRole(fn);
    if (!ctx) throw executionRoleCannot("GetQueueAttributes", "SQS");
    try {
      await env.call("sqs", "GetQueueAttributes", { QueueUrl: queueUrl(queue), AttributeNames: ["QueueArn"] }, ctx);
    } catch (err) {
      // No such queue reads the same as no access, as SQS itself words it.
      if (err instanceof AwsError && err.status < 500) throw executionRoleCannot("GetQueueAttributes", "SQS");
      throw err;
    }
  }

  async function CreateEventSourceMapping(input: Input, ctx: RequestContext): Promise<Output> {
    const fn = resolve(input.FunctionName, ctx, "CreateEventSourceMapping");
    const source = typeof input.EventSourceArn === "string" ? input.EventSourceArn : "";
    const queue = SQS_ARN.exec(source);
    if (!queue) {
      throw invalidParameter(`Event source ${source || "(none)"} is not supported by this sandbox: only SQS queues can trigger a function.`);
    }
    if (queue[1] !== fn.region) throw invalidParameter(`The event source must be in the function's region (${fn.region}): ${source}`);
    const existing = [...mappings.values()].find((m) => m.accountId === fn.accountId && m.region === fn.region && m.functionName === fn.name && m.eventSourceArn === source);
    if (existing) {
      throw resourceConflict(`An event source mapping with SQS arn (" ${source} ") and function (" ${fn.name} ") already exists. Please update or delete the existing mapping with UUID ${existing.uuid}`);
    }
    const m: MappingRecord = {
      uuid: randomUUID(),
      accountId: fn.accountId,
      region: fn.region,
      functionName: fn.name,
      eventSourceArn: source,
      batchSize: intIn(input.BatchSize, "batchSize", 1, 10000) ?? 10,
      maximumBatchingWindowInSeconds: intIn(input.MaximumBatchingWindowInSeconds, "maximumBatchingWindowInSeconds", 0, 300) ?? 0,
      enabled: input.Enabled !== false,
      functionResponseTypes: responseTypes(input.FunctionResponseTypes) ?? [],
      lastModified: ctx.now,
      lastProcessingResult: "No records processed",
    };
    await checkSourceAccess(fn, queue);
    save(m);
    return { ...describe(m), State: m.enabled ? "Creating" : "Disabled" };
  }

  function GetEventSourceMapping(input: Input, ctx: RequestContext): Output {
    return describe(find(input.UUID, ctx));
  }

  function ListEventSourceMappings(input: Input, ctx: RequestContext): Output {
    const fnName = typeof input.FunctionName === "string" ? resolve(input.FunctionName, ctx, "ListEventSourceMappings").name : undefined;
    const account = ownAccount(ctx);
    const all = [...mappings.values()]
      .filter((m) => m.accountId === account && m.region === ctx.region)
      .filter((m) => fnName === undefined || m.functionName === fnName)
      .filter((m) => input.EventSourceArn === undefined || m.eventSourceArn === input.EventSourceArn)
      .sort((a, b) => a.uuid.localeCompare(b.uuid));
    return { EventSourceMappings: all.map(describe) };
  }

  function UpdateEventSourceMapping(input: Input, ctx: RequestContext): Output {
    const m = find(input.UUID, ctx);
    const fn = input.FunctionName !== undefined ? resolve(input.FunctionName, ctx, "UpdateEventSourceMapping") : undefined;
    const updated: MappingRecord = {
      ...m,
      functionName: fn?.name ?? m.functionName,
      batchSize: intIn(input.BatchSize, "batchSize", 1, 10000) ?? m.batchSize,
      maximumBatchingWindowInSeconds: intIn(input.MaximumBatchingWindowInSeconds, "maximumBatchingWindowInSeconds", 0, 300) ?? m.maximumBatchingWindowInSeconds,
      enabled: typeof input.Enabled === "boolean" ? input.Enabled : m.enabled,
      functionResponseTypes: responseTypes(input.FunctionResponseTypes) ?? m.functionResponseTypes,
      lastModified: ctx.now,
    };
    save(updated);
    return describe(updated);
  }

  function DeleteEventSourceMapping(input: Input, ctx: RequestContext): Output {
    const m = find(input.UUID, ctx);
    store.delete(MAPPINGS_TABLE, key(m));
    mappings.delete(key(m));
    return { ...describe(m), State: "Deleting" };
  }

  /** One poll of one mapping: receive up to BatchSize, invoke, delete what succeeded. */
  async function poll(m: MappingRecord): Promise<void> {
    const fn = model.get(m.accountId, m.region, m.functionName);
    const source = SQS_ARN.exec(m.eventSourceArn);
    if (!fn || !source || source[1] !== fn.region) return;
    // Lambda polls with the function's execution role, so the queue (and its policy) sees that role.
    if (!asFunctionRole(fn)) return;
    const ctx = () => asFunctionRole(fn) as RequestContext;
    const QueueUrl = queueUrl(source);
    const messages: Record<string, unknown>[] = [];
    while (messages.length < m.batchSize) {
      const out = await env.call("sqs", "ReceiveMessage", {
        QueueUrl, MaxNumberOfMessages: Math.min(10, m.batchSize - messages.length), WaitTimeSeconds: 0,
        AttributeNames: ["All"], MessageSystemAttributeNames: ["All"], MessageAttributeNames: ["All"],
      }, ctx());
      const got = Array.isArray(out.Messages) ? (out.Messages as Record<string, unknown>[]) : [];
      messages.push(...got);
      if (got.length === 0) break;
    }
    if (messages.length === 0) return;
    const records = messages.map((msg) => ({
      messageId: msg.MessageId,
      receiptHandle: msg.ReceiptHandle,
      body: msg.Body,
      attributes: msg.Attributes ?? {},
      messageAttributes: Object.fromEntries(Object.entries((msg.MessageAttributes ?? {}) as Record<string, Record<string, unknown>>).map(([name, a]) => [name, {
        stringValue: a.StringValue, binaryValue: a.BinaryValue, stringListValues: [], binaryListValues: [], dataType: a.DataType,
      }])),
      md5OfBody: msg.MD5OfBody,
      eventSource: "aws:sqs",
      eventSourceARN: m.eventSourceArn,
      awsRegion: m.region,
    }));
    const outcome = await run(fn, JSON.stringify({ Records: records }), env.newRequestId());
    const current = mappings.get(key(m));
    if (current) save({ ...current, lastProcessingResult: outcome.ok ? "OK" : "PROBLEM: Function call failed" });
    if (!outcome.ok) return;
    let failed = new Set<string>();
    if (m.functionResponseTypes.includes("ReportBatchItemFailures")) {
      try {
        const answer = JSON.parse(outcome.payload) as { batchItemFailures?: { itemIdentifier?: unknown }[] } | null;
        failed = new Set((answer?.batchItemFailures ?? []).map((f) => String(f.itemIdentifier)));
      } catch {
        failed = new Set(records.map((r) => String(r.messageId)));
      }
    }
    const done = records.filter((r) => !failed.has(String(r.messageId)));
    // One DeleteMessage per record: sqs:DeleteMessage is the permission AWS requires of the role
    // (and a queue policy grants), whichever API Lambda uses to delete.
    for (const r of done) await env.call("sqs", "DeleteMessage", { QueueUrl, ReceiptHandle: r.receiptHandle }, ctx());
  }

  function pollAll(): void {
    // Hosted sandboxes that do not run code leave the messages in the queue.
    if (env.options.mode === "hosted" && !env.options.lambdaExec) return;
    for (const m of mappings.values()) {
      const k = key(m);
      if (!m.enabled || busy.has(k)) continue;
      busy.add(k);
      void poll(m).catch(() => undefined).finally(() => busy.delete(k));
    }
  }

  const timer = env.scheduler.setInterval(pollAll, POLL_MS);

  return {
    handlers: { CreateEventSourceMapping, GetEventSourceMapping, ListEventSourceMappings, UpdateEventSourceMapping, DeleteEventSourceMapping },
    removeAccount(accountId: string): void {
      store.deletePrefix(MAPPINGS_TABLE, `${accountId}/`);
      for (const k of [...mappings.keys()]) if (k.startsWith(`${accountId}/`)) mappings.delete(k);
    },
    stop(): void {
      timer.cancel();
    },
  };
}
