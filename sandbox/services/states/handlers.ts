// One function per Step Functions operation, named after it, taking the service's state first.
// Every state machine, execution and role reference goes through arns.ts; executions run in the
// background through runner.ts (the ASL interpreter, tasks as the machine's role, journaled so a
// run survives restarts); each operation returns the SDK's …CommandOutput as the wire carries it.
import type { WireOutput } from "@/sandbox/core/wire-output";
import { randomUUID } from "node:crypto";
import type {
  CreateStateMachineCommandOutput,
  DeleteStateMachineCommandOutput,
  DescribeExecutionCommandOutput,
  DescribeStateMachineCommandOutput,
  GetExecutionHistoryCommandOutput,
  HistoryEvent,
  ListExecutionsCommandOutput,
  ListStateMachinesCommandOutput,
  LoggingConfiguration,
  StartExecutionCommandOutput,
  StartSyncExecutionCommandOutput,
  StopExecutionCommandOutput,
  TracingConfiguration,
  UpdateStateMachineCommandOutput,
} from "@aws-sdk/client-sfn";
import { validateDefinition } from "@/semantics/asl";
import type { RequestContext, ServiceEnvironment } from "@/sandbox/core/contracts";
import { machineRef, NAME, passedRole, resolveExecution, resolveMachine } from "./arns";
import {
  executionAlreadyExists, InvalidDefinition, InvalidExecutionInput, invalidName, invalidToken, missingMember,
  MissingRequiredParameter, notInEnum, stateMachineAlreadyExists, stateMachineTypeNotSupported, ValidationException,
} from "./errors";
import { startedEvent, withEndEvent } from "./history";
import type { ExecutionRecord, ExecutionStatus, StateMachineRecord, StateMachineType, StatesModel, StoredEvent } from "./models";
import type { ExecutionRunner } from "./runner";

/** The service's state, handed to every operation first. */
export interface States {
  env: ServiceEnvironment;
  model: StatesModel;
  /** The executions running in this process and what runs them. */
  runner: ExecutionRunner;
}

type Input = Record<string, unknown>;

/** What an operation returns: the SDK output as the JSON protocol carries it (core/wire-output.ts). */
type Wire<T> = WireOutput<T>;

const MAX_INPUT_CHARS = 262_144;
const TYPES: readonly StateMachineType[] = ["STANDARD", "EXPRESS"];
const STATUSES: readonly ExecutionStatus[] = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"];

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
/** The JSON protocols carry timestamps as epoch seconds. */
const seconds = (ms: number) => ms / 1000;

function checkName(name: unknown, field: string): string {
  if (typeof name !== "string" || name.length === 0) throw missingMember(field);
  if (name.length > 80 || !NAME.test(name)) throw invalidName(name);
  return name;
}

function checkDefinition(definition: unknown): string {
  if (definition === undefined || definition === null) throw missingMember("definition");
  const text = typeof definition === "string" ? definition : JSON.stringify(definition);
  const result = validateDefinition(text);
  if (!result.ok) throw InvalidDefinition(result.error);
  return text;
}

function checkType(type: unknown): StateMachineType {
  if (type === undefined || type === null) return "STANDARD";
  if (type !== "STANDARD" && type !== "EXPRESS") throw notInEnum("type", type, TYPES);
  return type;
}

function checkInput(input: unknown): string {
  if (input === undefined || input === null) return "{}";
  const text = typeof input === "string" ? input : JSON.stringify(input);
  if (text.length > MAX_INPUT_CHARS) {
    throw ValidationException(`1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${MAX_INPUT_CHARS}`);
  }
  try {
    JSON.parse(text);
  } catch (err) {
    throw InvalidExecutionInput(`Invalid State Machine Execution Input: '${(err as Error).message}'`);
  }
  return text;
}

function pageOf<T>(items: T[], input: Input, defaultSize: number): { page: T[]; nextToken?: string } {
  const max = input.maxResults === undefined || input.maxResults === 0 ? defaultSize : Number(input.maxResults);
  if (!Number.isInteger(max) || max < 0 || max > 1000) {
    throw ValidationException(`1 validation error detected: Value '${String(input.maxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000`);
  }
  let start = 0;
  const token = str(input.nextToken);
  if (token !== undefined) {
    const decoded = Number(Buffer.from(token, "base64url").toString("utf8"));
    if (!Number.isInteger(decoded) || decoded < 0) throw invalidToken(token);
    start = decoded;
  }
  const page = items.slice(start, start + max);
  return start + max < items.length ? { page, nextToken: Buffer.from(String(start + max)).toString("base64url") } : { page };
}

function executionArn(machine: StateMachineRecord, name: string): string {
  const kind = machine.type === "EXPRESS" ? "express" : "execution";
  return `arn:aws:states:${machine.region}:${machine.accountId}:${kind}:${machine.name}:${name}`;
}

/**
 * A stored event as GetExecutionHistory returns it. The interpreter and history.ts build each
 * event in AWS's shape (id, previousEventId, type, one `<type>EventDetails`), which the stored
 * record's open index signature cannot say to the compiler.
 */
function wireEvent(event: StoredEvent, withData: boolean): Wire<HistoryEvent> {
  const out: Record<string, unknown> = { ...event, timestamp: seconds(event.timestamp) };
  if (!withData) {
    for (const [k, v] of Object.entries(out)) {
      if (k.endsWith("EventDetails") && typeof v === "object" && v !== null) {
        const { input: _i, output: _o, parameters: _p, ...rest } = v as Record<string, unknown>;
        out[k] = rest;
      }
    }
  }
  return out as Wire<HistoryEvent>;
}

// ---- state machines ---------------------------------------------------------------------------

export function CreateStateMachine(s: States, input: Input, ctx: RequestContext): Wire<CreateStateMachineCommandOutput> {
  const name = checkName(input.name, "name");
  const definition = checkDefinition(input.definition);
  const roleArn = passedRole(input.roleArn, ctx);
  const type = checkType(input.type);
  const arn = `arn:aws:states:${ctx.region}:${ctx.accountId}:stateMachine:${name}`;
  const existing = s.model.machine(ctx.accountId, ctx.region, name);
  if (existing) {
    // The same request again is idempotent, as on AWS; anything different is a conflict.
    if (existing.definition === definition && existing.roleArn === roleArn && existing.type === type) {
      return { stateMachineArn: existing.arn, creationDate: seconds(existing.creationDate) };
    }
    throw stateMachineAlreadyExists(arn);
  }
  const record: StateMachineRecord = {
    accountId: ctx.accountId,
    region: ctx.region,
    name,
    arn,
    definition,
    roleArn,
    type,
    creationDate: ctx.now,
    revisionId: randomUUID(),
    loggingConfiguration: (input.loggingConfiguration as LoggingConfiguration | undefined) ?? { level: "OFF", includeExecutionData: false },
    tracingConfiguration: (input.tracingConfiguration as TracingConfiguration | undefined) ?? { enabled: false },
    tags: Array.isArray(input.tags) ? (input.tags as { key: string; value: string }[]) : [],
  };
  s.model.saveMachine(record);
  return { stateMachineArn: arn, creationDate: seconds(record.creationDate) };
}

export function DescribeStateMachine(s: States, input: Input, ctx: RequestContext): Wire<DescribeStateMachineCommandOutput> {
  const m = resolveMachine(s.model, input.stateMachineArn, "states:DescribeStateMachine", ctx);
  return {
    stateMachineArn: m.arn,
    name: m.name,
    status: "ACTIVE",
    definition: m.definition,
    roleArn: m.roleArn,
    type: m.type,
    creationDate: seconds(m.creationDate),
    loggingConfiguration: m.loggingConfiguration,
    tracingConfiguration: m.tracingConfiguration,
    revisionId: m.revisionId,
  };
}

export function ListStateMachines(s: States, input: Input, ctx: RequestContext): Wire<ListStateMachinesCommandOutput> {
  const { page, nextToken } = pageOf(s.model.machinesOf(ctx.accountId, ctx.region), input, 100);
  return {
    stateMachines: page.map((m) => ({ stateMachineArn: m.arn, name: m.name, type: m.type, creationDate: seconds(m.creationDate) })),
    ...(nextToken ? { nextToken } : {}),
  };
}

export function UpdateStateMachine(s: States, input: Input, ctx: RequestContext): Wire<UpdateStateMachineCommandOutput> {
  const machine = resolveMachine(s.model, input.stateMachineArn, "states:UpdateStateMachine", ctx);
  if (input.definition === undefined && input.roleArn === undefined && input.loggingConfiguration === undefined && input.tracingConfiguration === undefined) {
    throw MissingRequiredParameter("Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified");
  }
  const updated: StateMachineRecord = {
    ...machine,
    definition: input.definition !== undefined ? checkDefinition(input.definition) : machine.definition,
    roleArn: input.roleArn !== undefined ? passedRole(input.roleArn, ctx) : machine.roleArn,
    loggingConfiguration: (input.loggingConfiguration as LoggingConfiguration | undefined) ?? machine.loggingConfiguration,
    tracingConfiguration: (input.tracingConfiguration as TracingConfiguration | undefined) ?? machine.tracingConfiguration,
    updateDate: ctx.now,
    revisionId: randomUUID(),
  };
  s.model.saveMachine(updated);
  return { updateDate: seconds(ctx.now), revisionId: updated.revisionId };
}

export function DeleteStateMachine(s: States, input: Input, ctx: RequestContext): Wire<DeleteStateMachineCommandOutput> {
  const ref = machineRef(input.stateMachineArn, "states:DeleteStateMachine", ctx);
  const machine = ref.region === ctx.region ? s.model.machine(ref.accountId, ref.region, ref.name) : undefined;
  // Deleting a machine that is already gone succeeds, as on AWS.
  if (!machine) return {};
  const prefix = `arn:aws:states:${machine.region}:${machine.accountId}:`;
  s.runner.abortRuns((arn) => arn.startsWith(prefix) && (arn.includes(`:execution:${machine.name}:`) || arn.includes(`:express:${machine.name}:`)));
  s.model.removeMachine(machine);
  return {};
}

// ---- executions -------------------------------------------------------------------------------

export function StartExecution(s: States, input: Input, ctx: RequestContext): Wire<StartExecutionCommandOutput> {
  const machine = resolveMachine(s.model, input.stateMachineArn, "states:StartExecution", ctx);
  const name = input.name === undefined || input.name === null ? randomUUID() : checkName(input.name, "name");
  const text = checkInput(input.input);
  const arn = executionArn(machine, name);
  const existing = s.model.execution(machine.accountId, machine.region, machine.name, name);
  if (existing) {
    // AWS answers a repeated start of a still-running execution with the same input idempotently.
    if (existing.status === "RUNNING" && existing.input === text) return { executionArn: existing.arn, startDate: seconds(existing.startDate) };
    throw executionAlreadyExists(arn);
  }
  const record: ExecutionRecord = {
    accountId: machine.accountId,
    region: machine.region,
    arn,
    name,
    stateMachineArn: machine.arn,
    stateMachineName: machine.name,
    status: "RUNNING",
    input: text,
    startDate: ctx.now,
    history: [],
    definition: machine.definition,
    roleArn: machine.roleArn,
  };
  record.history = [startedEvent(record, machine.roleArn)];
  s.model.saveExecution(record);
  s.runner.start(machine, record);
  return { executionArn: arn, startDate: seconds(record.startDate) };
}

export async function StartSyncExecution(s: States, input: Input, ctx: RequestContext): Promise<Wire<StartSyncExecutionCommandOutput>> {
  const machine = resolveMachine(s.model, input.stateMachineArn, "states:StartSyncExecution", ctx);
  if (machine.type !== "EXPRESS") throw stateMachineTypeNotSupported();
  const name = input.name === undefined || input.name === null ? randomUUID() : checkName(input.name, "name");
  const text = checkInput(input.input);
  // Synchronous Express executions are not kept (as on AWS, where they have no history API).
  const arn = `arn:aws:states:${machine.region}:${machine.accountId}:express:${machine.name}:${name}:${randomUUID()}`;
  const started = s.env.scheduler.now();
  const result = await s.runner.interpret(machine, { arn, name, input: text, startDate: started }, new AbortController().signal);
  const stopped = s.env.scheduler.now();
  const status = result.status === "ABORTED" ? "FAILED" : result.status;
  return {
    executionArn: arn,
    stateMachineArn: machine.arn,
    name,
    startDate: seconds(started),
    stopDate: seconds(stopped),
    status,
    ...(result.error !== undefined ? { error: result.error } : {}),
    ...(result.cause !== undefined ? { cause: result.cause } : {}),
    input: text,
    inputDetails: { included: true },
    ...(result.status === "SUCCEEDED" ? { output: JSON.stringify(result.output ?? null), outputDetails: { included: true } } : {}),
    billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, Math.ceil((stopped - started) / 100) * 100) },
  };
}

export function DescribeExecution(s: States, input: Input, ctx: RequestContext): Wire<DescribeExecutionCommandOutput> {
  const e = resolveExecution(s.model, input.executionArn, "states:DescribeExecution", ctx);
  return {
    executionArn: e.arn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status: e.status,
    startDate: seconds(e.startDate),
    ...(e.stopDate !== undefined ? { stopDate: seconds(e.stopDate) } : {}),
    input: e.input,
    inputDetails: { included: true },
    ...(e.output !== undefined ? { output: e.output, outputDetails: { included: true } } : {}),
    ...(e.error !== undefined ? { error: e.error } : {}),
    ...(e.cause !== undefined ? { cause: e.cause } : {}),
  };
}

export function ListExecutions(s: States, input: Input, ctx: RequestContext): Wire<ListExecutionsCommandOutput> {
  if (input.stateMachineArn === undefined && input.mapRunArn === undefined) {
    throw ValidationException("Must provide a StateMachine ARN or a MapRun ARN");
  }
  const machine = resolveMachine(s.model, input.stateMachineArn, "states:ListExecutions", ctx);
  const filter = input.statusFilter;
  if (filter !== undefined && !STATUSES.includes(filter as ExecutionStatus)) throw notInEnum("statusFilter", filter, STATUSES);
  const all = s.model.executionsOf(machine)
    .filter((e) => filter === undefined || e.status === filter)
    .sort((a, b) => b.startDate - a.startDate || b.name.localeCompare(a.name));
  const { page, nextToken } = pageOf(all, input, 100);
  return {
    executions: page.map((e) => ({
      executionArn: e.arn, stateMachineArn: e.stateMachineArn, name: e.name, status: e.status,
      startDate: seconds(e.startDate), ...(e.stopDate !== undefined ? { stopDate: seconds(e.stopDate) } : {}),
    })),
    ...(nextToken ? { nextToken } : {}),
  };
}

export function StopExecution(s: States, input: Input, ctx: RequestContext): Wire<StopExecutionCommandOutput> {
  const e = resolveExecution(s.model, input.executionArn, "states:StopExecution", ctx);
  if (e.status !== "RUNNING") return { stopDate: seconds(e.stopDate ?? ctx.now) };
  const error = str(input.error);
  const cause = str(input.cause);
  const details = { ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) };
  s.model.saveExecution({
    ...e, status: "ABORTED", stopDate: ctx.now, ...details,
    history: withEndEvent(e.history, "ExecutionAborted", details, ctx.now),
  });
  s.runner.abort(e.arn);
  return { stopDate: seconds(ctx.now) };
}

export function GetExecutionHistory(s: States, input: Input, ctx: RequestContext): Wire<GetExecutionHistoryCommandOutput> {
  const e = resolveExecution(s.model, input.executionArn, "states:GetExecutionHistory", ctx);
  const withData = input.includeExecutionData !== false;
  const events = (input.reverseOrder === true ? [...e.history].reverse() : e.history).map((event) => wireEvent(event, withData));
  const { page, nextToken } = pageOf(events, input, 100);
  return { events: page, ...(nextToken ? { nextToken } : {}) };
}

/** Every operation's handler, by name. */
export const handlers = {
  CreateStateMachine,
  DescribeStateMachine,
  ListStateMachines,
  UpdateStateMachine,
  DeleteStateMachine,
  StartExecution,
  StartSyncExecution,
  DescribeExecution,
  ListExecutions,
  StopExecution,
  GetExecutionHistory,
} satisfies Record<string, (s: States, input: Input, ctx: RequestContext) => unknown>;
