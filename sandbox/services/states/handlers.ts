// Step Functions' operations, one function each, named after the operation. Executions run in
// the background through the shared ASL interpreter (semantics/asl) with task handlers that
// call the other sandbox services (tasks.ts).
import { randomUUID } from "node:crypto";
import { runStateMachine, validateDefinition } from "@/semantics/asl";
import type { ExecutionResult, HistoryEvent } from "@/semantics/asl";
import type { RequestContext, ServiceEnvironment } from "@/sandbox/core/contracts";
import {
  executionAlreadyExists, executionDoesNotExist, invalidArn, invalidDefinition, invalidExecutionInput, invalidName, invalidToken,
  missingRequiredParameter, stateMachineAlreadyExists, stateMachineDoesNotExist, stateMachineTypeNotSupported, validation,
} from "./errors";
import type { ExecutionRecord, ExecutionStatus, StateMachineRecord, StateMachineType, StatesModel, StoredEvent } from "./models";
import { schedulerClock, taskHandler } from "./tasks";

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;

const MAX_INPUT_CHARS = 262_144;
const ROLE_ARN = /^arn:aws[a-zA-Z-]*:iam::\d{12}:role\/[a-zA-Z_0-9+=,.@\-_/]+$/;
// Step Functions refuses whitespace, brackets, wildcards, these punctuation marks and control characters.
const BAD_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;
export const RESTART_CAUSE = "The sandbox restarted during this execution.";

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
/** The JSON protocols carry timestamps as epoch seconds. */
const seconds = (ms: number) => ms / 1000;

function checkName(name: unknown, field: string): string {
  if (typeof name !== "string" || name.length === 0) {
    throw validation(`1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  }
  if (name.length > 80 || BAD_NAME.test(name)) throw invalidName(name);
  return name;
}

function checkRoleArn(roleArn: unknown): string {
  if (roleArn === undefined || roleArn === null) {
    throw validation("1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
  }
  if (typeof roleArn !== "string" || !ROLE_ARN.test(roleArn)) throw invalidArn(`Invalid Role Arn: '${String(roleArn)}'`);
  return roleArn;
}

function checkDefinition(definition: unknown): string {
  if (definition === undefined || definition === null) {
    throw validation("1 validation error detected: Value null at 'definition' failed to satisfy constraint: Member must not be null");
  }
  const text = typeof definition === "string" ? definition : JSON.stringify(definition);
  const result = validateDefinition(text);
  if (!result.ok) throw invalidDefinition(result.error);
  return text;
}

function checkType(type: unknown): StateMachineType {
  if (type === undefined || type === null) return "STANDARD";
  if (type !== "STANDARD" && type !== "EXPRESS") {
    throw validation(`1 validation error detected: Value '${String(type)}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`);
  }
  return type;
}

function checkInput(input: unknown): string {
  if (input === undefined || input === null) return "{}";
  const text = typeof input === "string" ? input : JSON.stringify(input);
  if (text.length > MAX_INPUT_CHARS) {
    throw validation(`1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${MAX_INPUT_CHARS}`);
  }
  try {
    JSON.parse(text);
  } catch (err) {
    throw invalidExecutionInput(`Invalid State Machine Execution Input: '${(err as Error).message}'`);
  }
  return text;
}

function pageOf<T>(items: T[], input: Input, defaultSize: number): { page: T[]; nextToken?: string } {
  const max = input.maxResults === undefined || input.maxResults === 0 ? defaultSize : Number(input.maxResults);
  if (!Number.isInteger(max) || max < 0 || max > 1000) {
    throw validation(`1 validation error detected: Value '${String(input.maxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000`);
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

function storedEvents(history: HistoryEvent[]): StoredEvent[] {
  return history.map((e) => ({ ...e, timestamp: e.timestamp.getTime() }) as StoredEvent);
}

function startedEvent(record: ExecutionRecord, roleArn: string): StoredEvent {
  return {
    id: 1, previousEventId: 0, type: "ExecutionStarted", timestamp: record.startDate,
    executionStartedEventDetails: { input: record.input, inputDetails: { truncated: false }, roleArn },
  };
}

/** Appends an execution-level end event, chained to the last event. */
function withEndEvent(history: StoredEvent[], type: string, details: Record<string, unknown>, at: number): StoredEvent[] {
  const last = history[history.length - 1];
  const id = (last?.id ?? 0) + 1;
  const key = `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
  return [...history, { id, previousEventId: last?.id ?? 0, type, timestamp: at, [key]: details }];
}

const END_EVENTS = new Set(["ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted"]);

interface Run {
  controller: AbortController;
  done: Promise<void>;
}

export function createStatesHandlers(env: ServiceEnvironment, model: StatesModel) {
  /** Executions running in this process, by ARN. */
  const runs = new Map<string, Run>();
  /** Set by close(): runs still in flight stay RUNNING in the store, for the restart policy. */
  let closed = false;

  function parseMachineArn(arn: unknown, ctx: RequestContext): { accountId: string; region: string; name: string } {
    const text = str(arn);
    if (text === undefined) {
      throw validation("1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null");
    }
    const m = /^arn:aws[a-zA-Z-]*:states:([a-z0-9-]+):(\d{12}):stateMachine:([^:]+)$/.exec(text);
    if (!m || !m[1] || !m[2] || !m[3]) throw invalidArn(`Invalid Arn: 'Resource type not valid in this context: ${text}'`);
    if (m[2] !== ctx.accountId || m[1] !== ctx.region) throw stateMachineDoesNotExist(text);
    return { accountId: m[2], region: m[1], name: m[3] };
  }

  function findMachine(arn: unknown, ctx: RequestContext): StateMachineRecord {
    const ref = parseMachineArn(arn, ctx);
    const machine = model.machine(ref.accountId, ref.region, ref.name);
    if (!machine) throw stateMachineDoesNotExist(String(arn));
    return machine;
  }

  function findExecution(arn: unknown, ctx: RequestContext): ExecutionRecord {
    const text = str(arn);
    if (text === undefined) {
      throw validation("1 validation error detected: Value null at 'executionArn' failed to satisfy constraint: Member must not be null");
    }
    const m = /^arn:aws[a-zA-Z-]*:states:([a-z0-9-]+):(\d{12}):(?:execution|express):([^:]+):([^:]+)$/.exec(text);
    if (!m || !m[1] || !m[2] || !m[3] || !m[4]) throw invalidArn(`Invalid Arn: 'Resource type not valid in this context: ${text}'`);
    const record = m[2] === ctx.accountId && m[1] === ctx.region ? model.execution(m[2], m[1], m[3], m[4]) : undefined;
    if (!record) throw executionDoesNotExist(text);
    return record;
  }

  function executionArn(machine: StateMachineRecord, name: string): string {
    const kind = machine.type === "EXPRESS" ? "express" : "execution";
    return `arn:aws:states:${machine.region}:${machine.accountId}:${kind}:${machine.name}:${name}`;
  }

  /** Runs the definition with the interpreter; resolves with the result, never throws. */
  function interpret(machine: StateMachineRecord, arn: string, name: string, input: string, signal: AbortSignal): Promise<ExecutionResult> {
    return runStateMachine(machine.definition, JSON.parse(input) as unknown, {
      taskHandlers: taskHandler(env, { accountId: machine.accountId, region: machine.region, roleArn: machine.roleArn, executionArn: arn }),
      clock: schedulerClock(env, signal),
      // CreateStateMachine validated it; asl-validator adds nothing a run needs.
      validate: false,
      enforceTaskTimeouts: true,
      stateMachineArn: machine.arn,
      executionName: name,
      roleArn: machine.roleArn,
      signal,
      maxSteps: 25_000,
    });
  }

  function finish(arn: string, key: { accountId: string; region: string; machine: string; name: string }, result: ExecutionResult): void {
    if (closed) return;
    const record = model.execution(key.accountId, key.region, key.machine, key.name);
    // Deleted meanwhile (DeleteStateMachine, account reset): nothing to record.
    if (!record || record.arn !== arn) return;
    const now = env.scheduler.now();
    let history = storedEvents(result.history);
    if (history.length === 0) history = [startedEvent(record, "")];
    if (record.status === "ABORTED") {
      // StopExecution answered already: the run's own ending is replaced by the abort.
      const last = history[history.length - 1];
      if (last && END_EVENTS.has(last.type)) history = history.slice(0, -1);
      history = withEndEvent(history, "ExecutionAborted", { ...(record.error ? { error: record.error } : {}), ...(record.cause ? { cause: record.cause } : {}) }, record.stopDate ?? now);
      model.saveExecution({ ...record, history });
      return;
    }
    if (!END_EVENTS.has(history[history.length - 1]?.type ?? "")) {
      history = withEndEvent(history, "ExecutionFailed", { error: result.error ?? "States.Runtime", cause: result.cause ?? "" }, now);
    }
    const updated: ExecutionRecord = { ...record, status: result.status, stopDate: now, history };
    if (result.status === "SUCCEEDED") updated.output = JSON.stringify(result.output ?? null);
    if (result.error !== undefined) updated.error = result.error;
    if (result.cause !== undefined) updated.cause = result.cause;
    model.saveExecution(updated);
  }

  function start(machine: StateMachineRecord, record: ExecutionRecord): void {
    const controller = new AbortController();
    const key = { accountId: record.accountId, region: record.region, machine: record.stateMachineName, name: record.name };
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((r) => (resolveDone = r));
    runs.set(record.arn, { controller, done });
    // Started on the scheduler, so the run stops with the sandbox and StartExecution answers first.
    env.scheduler.setTimeout(() => {
      void interpret(machine, record.arn, record.name, record.input, controller.signal)
        .then((result) => finish(record.arn, key, result))
        .finally(() => {
          runs.delete(record.arn);
          resolveDone();
        });
    }, 0);
  }

  function abortRuns(predicate: (arn: string) => boolean): void {
    for (const [arn, run] of runs) if (predicate(arn)) run.controller.abort();
  }

  /**
   * Executions that were RUNNING when the process died are marked FAILED rather than run
   * again: their tasks may already have published or sent messages, and repeating those side
   * effects would be worse than a clear failure.
   */
  function recoverInterrupted(now: number): void {
    for (const record of model.allExecutions()) {
      if (record.status !== "RUNNING") continue;
      const history = record.history.length > 0 ? record.history : [startedEvent(record, "")];
      model.saveExecution({
        ...record, status: "FAILED", error: "States.Runtime", cause: RESTART_CAUSE, stopDate: now,
        history: withEndEvent(history, "ExecutionFailed", { error: "States.Runtime", cause: RESTART_CAUSE }, now),
      });
    }
  }

  function describeMachine(m: StateMachineRecord): Output {
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

  function CreateStateMachine(input: Input, ctx: RequestContext): Output {
    const name = checkName(input.name, "name");
    const definition = checkDefinition(input.definition);
    const roleArn = checkRoleArn(input.roleArn);
    const type = checkType(input.type);
    const arn = `arn:aws:states:${ctx.region}:${ctx.accountId}:stateMachine:${name}`;
    const existing = model.machine(ctx.accountId, ctx.region, name);
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
      loggingConfiguration: (input.loggingConfiguration as Record<string, unknown> | undefined) ?? { level: "OFF", includeExecutionData: false },
      tracingConfiguration: (input.tracingConfiguration as Record<string, unknown> | undefined) ?? { enabled: false },
      tags: Array.isArray(input.tags) ? (input.tags as { key: string; value: string }[]) : [],
    };
    model.saveMachine(record);
    return { stateMachineArn: arn, creationDate: seconds(record.creationDate) };
  }

  function DescribeStateMachine(input: Input, ctx: RequestContext): Output {
    return describeMachine(findMachine(input.stateMachineArn, ctx));
  }

  function ListStateMachines(input: Input, ctx: RequestContext): Output {
    const { page, nextToken } = pageOf(model.machinesOf(ctx.accountId, ctx.region), input, 100);
    return {
      stateMachines: page.map((m) => ({ stateMachineArn: m.arn, name: m.name, type: m.type, creationDate: seconds(m.creationDate) })),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  function UpdateStateMachine(input: Input, ctx: RequestContext): Output {
    const machine = findMachine(input.stateMachineArn, ctx);
    if (input.definition === undefined && input.roleArn === undefined && input.loggingConfiguration === undefined && input.tracingConfiguration === undefined) {
      throw missingRequiredParameter("Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified");
    }
    const updated: StateMachineRecord = {
      ...machine,
      definition: input.definition !== undefined ? checkDefinition(input.definition) : machine.definition,
      roleArn: input.roleArn !== undefined ? checkRoleArn(input.roleArn) : machine.roleArn,
      loggingConfiguration: (input.loggingConfiguration as Record<string, unknown> | undefined) ?? machine.loggingConfiguration,
      tracingConfiguration: (input.tracingConfiguration as Record<string, unknown> | undefined) ?? machine.tracingConfiguration,
      updateDate: ctx.now,
      revisionId: randomUUID(),
    };
    model.saveMachine(updated);
    return { updateDate: seconds(ctx.now), revisionId: updated.revisionId };
  }

  function DeleteStateMachine(input: Input, ctx: RequestContext): Output {
    const ref = parseMachineArn(input.stateMachineArn, ctx);
    const machine = model.machine(ref.accountId, ref.region, ref.name);
    // Deleting a machine that is already gone succeeds, as on AWS.
    if (!machine) return {};
    const prefix = `arn:aws:states:${machine.region}:${machine.accountId}:`;
    abortRuns((arn) => arn.startsWith(prefix) && (arn.includes(`:execution:${machine.name}:`) || arn.includes(`:express:${machine.name}:`)));
    model.removeMachine(machine);
    return {};
  }

  function StartExecution(input: Input, ctx: RequestContext): Output {
    const machine = findMachine(input.stateMachineArn, ctx);
    const name = input.name === undefined || input.name === null ? randomUUID() : checkName(input.name, "name");
    const text = checkInput(input.input);
    const arn = executionArn(machine, name);
    const existing = model.execution(machine.accountId, machine.region, machine.name, name);
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
    };
    record.history = [startedEvent(record, machine.roleArn)];
    model.saveExecution(record);
    start(machine, record);
    return { executionArn: arn, startDate: seconds(record.startDate) };
  }

  async function StartSyncExecution(input: Input, ctx: RequestContext): Promise<Output> {
    const machine = findMachine(input.stateMachineArn, ctx);
    if (machine.type !== "EXPRESS") throw stateMachineTypeNotSupported();
    const name = input.name === undefined || input.name === null ? randomUUID() : checkName(input.name, "name");
    const text = checkInput(input.input);
    // Synchronous Express executions are not kept (as on AWS, where they have no history API).
    const arn = `arn:aws:states:${machine.region}:${machine.accountId}:express:${machine.name}:${name}:${randomUUID()}`;
    const started = env.scheduler.now();
    const result = await interpret(machine, arn, name, text, new AbortController().signal);
    const stopped = env.scheduler.now();
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

  function DescribeExecution(input: Input, ctx: RequestContext): Output {
    const e = findExecution(input.executionArn, ctx);
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

  function ListExecutions(input: Input, ctx: RequestContext): Output {
    if (input.stateMachineArn === undefined && input.mapRunArn === undefined) {
      throw validation("Must provide a StateMachine ARN or a MapRun ARN");
    }
    const machine = findMachine(input.stateMachineArn, ctx);
    const filter = input.statusFilter;
    const statuses: ExecutionStatus[] = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"];
    if (filter !== undefined && !statuses.includes(filter as ExecutionStatus)) {
      throw validation(`1 validation error detected: Value '${String(filter)}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${statuses.join(", ")}]`);
    }
    const all = model.executionsOf(machine)
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

  function StopExecution(input: Input, ctx: RequestContext): Output {
    const e = findExecution(input.executionArn, ctx);
    if (e.status !== "RUNNING") return { stopDate: seconds(e.stopDate ?? ctx.now) };
    const error = str(input.error);
    const cause = str(input.cause);
    const details = { ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) };
    model.saveExecution({
      ...e, status: "ABORTED", stopDate: ctx.now, ...details,
      history: withEndEvent(e.history, "ExecutionAborted", details, ctx.now),
    });
    runs.get(e.arn)?.controller.abort();
    return { stopDate: seconds(ctx.now) };
  }

  function GetExecutionHistory(input: Input, ctx: RequestContext): Output {
    const e = findExecution(input.executionArn, ctx);
    const withData = input.includeExecutionData !== false;
    const events = (input.reverseOrder === true ? [...e.history].reverse() : e.history).map((event) => {
      const out: Record<string, unknown> = { ...event, timestamp: seconds(event.timestamp) };
      if (!withData) {
        for (const [k, v] of Object.entries(out)) {
          if (k.endsWith("EventDetails") && typeof v === "object" && v !== null) {
            const { input: _i, output: _o, parameters: _p, ...rest } = v as Record<string, unknown>;
            out[k] = rest;
          }
        }
      }
      return out;
    });
    const { page, nextToken } = pageOf(events, input, 100);
    return { events: page, ...(nextToken ? { nextToken } : {}) };
  }

  return {
    handlers: {
      CreateStateMachine, DescribeStateMachine, ListStateMachines, UpdateStateMachine, DeleteStateMachine, StartExecution,
      StartSyncExecution, DescribeExecution, ListExecutions, StopExecution, GetExecutionHistory,
    },
    recoverInterrupted,
    abortRuns,
    shutdown(): void {
      closed = true;
      abortRuns(() => true);
    },
    /** Resolves when every execution running now has finished (tests, close). */
    idle: () => Promise.all([...runs.values()].map((r) => r.done)).then(() => undefined),
  };
}
