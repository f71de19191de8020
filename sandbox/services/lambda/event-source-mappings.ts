// The event source mapping operations: Lambda polls an SQS queue for a function (mapping-poller.ts)
// as the function's execution role (event-source.ts). When a mapping is made, Lambda checks, as
// AWS does, that the role can read the queue, so a queue in another account is drained only if
// its policy admits that role. Only SQS sources are supported.
import { randomUUID } from "node:crypto";
import type {
  CreateEventSourceMappingCommandOutput,
  DeleteEventSourceMappingCommandOutput,
  EventSourceMappingConfiguration,
  FunctionResponseType,
  GetEventSourceMappingCommandOutput,
  ListEventSourceMappingsCommandOutput,
  UpdateEventSourceMappingCommandOutput,
} from "@aws-sdk/client-lambda";
import { AwsError } from "@/sandbox/core/contracts";
import type { RequestContext } from "@/sandbox/core/contracts";
import type { OperationInput as Input } from "@/sandbox/core/operation-table";
import type { WireOutput as Out } from "@/sandbox/core/wire-output";
import { actionOf, ownAccount, resolveFunction } from "./access";
import { executionRoleCannot, InvalidParameterValueException, noSuchResource, ResourceConflictException, ValidationException } from "./errors";
import { asExecutionRole, queueOf, type QueueRef } from "./event-source";
import { functionArn, type FunctionRecord, type Lambda, type MappingRecord } from "./models";

function intIn(v: unknown, field: string, min: number, max: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw ValidationException(
      `1 validation error detected: Value '${String(v)}' at '${field}' failed to satisfy constraint: Member must have value between ${min} and ${max}`,
    );
  }
  return v;
}

function responseTypes(v: unknown): FunctionResponseType[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((t): t is FunctionResponseType => t === "ReportBatchItemFailures")) {
    throw ValidationException(
      "1 validation error detected: Value at 'functionResponseTypes' failed to satisfy constraint: Member must satisfy enum value set: [ReportBatchItemFailures]",
    );
  }
  return v;
}

/** A function by name or ARN that the caller may perform `operation` on (access.ts holds the rule). */
const functionFor = (s: Lambda, name: unknown, ctx: RequestContext, operation: string) => resolveFunction(s.model, name, ctx, actionOf(operation));

/** A mapping of the caller's own account and the request's region, by UUID. */
function find(s: Lambda, uuid: unknown, ctx: RequestContext): MappingRecord {
  const m = typeof uuid === "string" ? s.mappings.get(ownAccount(ctx), ctx.region, uuid) : undefined;
  if (!m) throw noSuchResource();
  return m;
}

function describe(m: MappingRecord): Out<EventSourceMappingConfiguration> {
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

/** AWS checks, when the mapping is made, that the function's role can read the queue. */
async function checkSourceAccess(s: Lambda, fn: FunctionRecord, queue: QueueRef): Promise<void> {
  try {
    const ctx = await asExecutionRole(s, fn);
    await s.env.call("sqs", "GetQueueAttributes", { QueueUrl: queue.url, AttributeNames: ["QueueArn"] }, ctx);
  } catch (err) {
    // A role Lambda may not assume, or no such queue, reads the same as no access, as SQS itself words it.
    if (err instanceof AwsError && err.status < 500) throw executionRoleCannot("GetQueueAttributes", "SQS");
    throw err;
  }
}

export async function CreateEventSourceMapping(s: Lambda, input: Input, ctx: RequestContext): Promise<Out<CreateEventSourceMappingCommandOutput>> {
  const fn = functionFor(s, input.FunctionName, ctx, "CreateEventSourceMapping");
  const source = typeof input.EventSourceArn === "string" ? input.EventSourceArn : "";
  const queue = queueOf(source);
  if (!queue) {
    throw InvalidParameterValueException(`Event source ${source || "(none)"} is not supported by this sandbox: only SQS queues can trigger a function.`);
  }
  if (queue.region !== fn.region) throw InvalidParameterValueException(`The event source must be in the function's region (${fn.region}): ${source}`);
  const existing = s.mappings
    .all()
    .find((m) => m.accountId === fn.accountId && m.region === fn.region && m.functionName === fn.name && m.eventSourceArn === source);
  if (existing) {
    throw ResourceConflictException(
      `An event source mapping with SQS arn (" ${source} ") and function (" ${fn.name} ") already exists. Please update or delete the existing mapping with UUID ${existing.uuid}`,
    );
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
  await checkSourceAccess(s, fn, queue);
  s.mappings.save(m);
  return { ...describe(m), State: m.enabled ? "Creating" : "Disabled" };
}

export function GetEventSourceMapping(s: Lambda, input: Input, ctx: RequestContext): Out<GetEventSourceMappingCommandOutput> {
  return describe(find(s, input.UUID, ctx));
}

export function ListEventSourceMappings(s: Lambda, input: Input, ctx: RequestContext): Out<ListEventSourceMappingsCommandOutput> {
  const fnName = typeof input.FunctionName === "string" ? functionFor(s, input.FunctionName, ctx, "ListEventSourceMappings").name : undefined;
  const account = ownAccount(ctx);
  const all = s.mappings
    .all()
    .filter((m) => m.accountId === account && m.region === ctx.region)
    .filter((m) => fnName === undefined || m.functionName === fnName)
    .filter((m) => input.EventSourceArn === undefined || m.eventSourceArn === input.EventSourceArn)
    .sort((a, b) => a.uuid.localeCompare(b.uuid));
  return { EventSourceMappings: all.map(describe) };
}

export function UpdateEventSourceMapping(s: Lambda, input: Input, ctx: RequestContext): Out<UpdateEventSourceMappingCommandOutput> {
  const m = find(s, input.UUID, ctx);
  const fn = input.FunctionName !== undefined ? functionFor(s, input.FunctionName, ctx, "UpdateEventSourceMapping") : undefined;
  const updated: MappingRecord = {
    ...m,
    functionName: fn?.name ?? m.functionName,
    batchSize: intIn(input.BatchSize, "batchSize", 1, 10000) ?? m.batchSize,
    maximumBatchingWindowInSeconds: intIn(input.MaximumBatchingWindowInSeconds, "maximumBatchingWindowInSeconds", 0, 300) ?? m.maximumBatchingWindowInSeconds,
    enabled: typeof input.Enabled === "boolean" ? input.Enabled : m.enabled,
    functionResponseTypes: responseTypes(input.FunctionResponseTypes) ?? m.functionResponseTypes,
    lastModified: ctx.now,
  };
  s.mappings.save(updated);
  return describe(updated);
}

export function DeleteEventSourceMapping(s: Lambda, input: Input, ctx: RequestContext): Out<DeleteEventSourceMappingCommandOutput> {
  const m = find(s, input.UUID, ctx);
  s.mappings.remove(m);
  return { ...describe(m), State: "Deleting" };
}
