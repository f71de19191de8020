// Step Functions' operations, one function each, named after the operation. Executions run in
// the background through the shared ASL interpreter (semantics/asl) with task handlers that
// call the other sandbox services as the state machine's role (tasks.ts); every state machine,
// execution and role reference goes through arns.ts; a run survives restarts (durable-run.ts).
import { randomUUID } from "node:crypto";
import { runStateMachine, validateDefinition } from "@/semantics/asl";
import type { ExecutionResult, HistoryEvent } from "@/semantics/asl";
import type { RequestContext, ServiceEnvironment } from "@/sandbox/core/contracts";
import { machineRef, passedRole, resolveExecution, resolveMachine } from "./arns";
import { durableRun, RESTART_CAUSE } from "./durable-run";
import type { JournalSink } from "./durable-run";
import {
  executionAlreadyExists, invalidDefinition, invalidExecutionInput, invalidName, invalidToken,
  missingRequiredParameter, stateMachineAlreadyExists, stateMachineTypeNotSupported, validation,
} from "./errors";
import type { ExecutionRecord, ExecutionStatus, StateMachineRecord, StateMachineType, StatesModel, StoredEvent } from "./models";
import { taskHandler } from "./tasks";

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;

const MAX_INPUT_CHARS = 262_144;
// Step Functions refuses whitespace, brackets, wildcards, these punctuation marks and control characters.
const BAD_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;
export { RESTART_CAUSE };

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

  const findMachine = (arn: unknown, operation: string, ctx: RequestContext) => resolveMachine(model, arn, `states:${operation}`, ctx);
  const findExecution = (arn: unknown, operation: string, ctx: RequestContext) => resolveExecution(model, arn, `states:${operation}`, ctx);

  /** Where a running execution journals its tasks; nothing is kept for synchronous Express runs. */
  function journalOf(record: ExecutionRecord | undefined): JournalSink {
    if (!record) return { entries: [], write: () => undefined };
    return {
      entries: model.takeJournal(record),
      write: (entry) => {
        // After close the store may be gone; the restart then sees the task as unfinished.
        if (!closed) model.writeJournal(record, entry);
      },
    };
  }

  function executionArn(machine: StateMachineRecord, name: string): string {
    const kind = machine.type === "EXPRESS" ? "express" : "execution";
    return `arn:aws:states:${machine.region}:${machine.accountId}:${kind}:${machine.name}:${name}`;
  }

  interface RunInput {
    arn: string;
    name: string;
    input: string;
    startDate: number;
    /** The stored execution (Standard and asynchronous Express runs), whose tasks are journaled. */
    record?: ExecutionRecord;
    resumed?: boolean;
  }

  /** Runs the definition with the interpreter; resolves with the result, never throws. */
  function interpret(machine: StateMachineRecord, run: RunInput, signal: AbortSignal): Promise<ExecutionResult> {
    const { arn, name, input } = run;
    const durable = durableRun(env, { executionArn: arn, startDate: run.startDate, resumed: run.resumed === true }, journalOf(run.record), signal);
    const live = taskHandler(env, { accountId: machine.accountId, region: machine.region, machineArn: machine.arn, roleArn: machine.roleArn });
    return runStateMachine(machine.definition, JSON.parse(input) as unknown, {
      taskHandlers: durable.tasks(live),
      clock: durable.clock,
      uuid: durable.uuid,
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
    // Closing: the execution stays RUNNING in the store, and the next start resumes it.
    if (closed) return;
    const found = model.execution(key.accountId, key.region, key.machine, key.name);
    // Deleted meanwhile (DeleteStateMachine, account reset): nothing to record.
    if (!found || found.arn !== arn) return;
    model.dropJournal(found);
    // What the run needed to resume is not kept once it is over.
    const { definition: _definition, roleArn: _roleArn, ...record } = found;
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

  /** Runs a stored execution in the background, from its start or (resumed) replaying its journal. */
  function start(machine: StateMachineRecord, record: ExecutionRecord, resumed = false): void {
    const controller = new AbortController();
    const key = { accountId: record.accountId, region: record.region, machine: record.stateMachineName, name: record.name };
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((r) => (resolveDone = r));
    runs.set(record.arn, { controller, done });
    // Started on the scheduler, so the run stops with the sandbox and StartExecution answers first.
    env.scheduler.setTimeout(() => {
      void interpret(machine, { arn: record.arn, name: record.name, input: record.input, startDate: record.startDate, record, resumed }, controller.signal)
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
   * Executions that were RUNNING when the process stopped go on where they were: each is run
   * again with its journal (durable-run.ts), so finished tasks are not repeated and Waits keep
   * their deadlines. One whose machine is gone, or whose task was cut off mid-call, fails.
   */
  function resumeInterrupted(now: number): void {
    for (const record of model.allExecutions()) {
      if (record.status !== "RUNNING") {
        // Stopped just before the process ended: its journal is of no more use.
        if (model.takeJournal(record).length > 0) model.dropJournal(record);
        continue;
      }
      const machine = model.machine(record.accountId, record.region, record.stateMachineName);
      if (machine && machine.arn === record.stateMachineArn) {
        // The run goes on with the definition and role it started with, as on AWS.
        start({ ...machine, definition: record.definition ?? machine.definition, roleArn: record.roleArn ?? machine.roleArn }, record, true);
        continue;
      }
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
    const roleArn = passedRole(input.roleArn, ctx);
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
    return describeMachine(findMachine(input.stateMachineArn, "DescribeStateMachine", ctx));
  }

  function ListStateMachines(input: Input, ctx: RequestContext): Output {
    const { page, nextToken } = pageOf(model.machinesOf(ctx.accountId, ctx.region), input, 100);
    return {
      stateMachines: page.map((m) => ({ stateMachineArn: m.arn, name: m.name, type: m.type, creationDate: seconds(m.creationDate) })),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  function UpdateStateMachine(input: Input, ctx: RequestContext): Output {
    const machine = findMachine(input.stateMachineArn, "UpdateStateMachine", ctx);
    if (input.definition === undefined && input.roleArn === undefined && input.loggingConfiguration === undefined && input.tracingConfiguration === undefined) {
      throw missingRequiredParameter("Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified");
    }
    const updated: StateMachineRecord = {
      ...machine,
      definition: input.definition !== undefined ? checkDefinition(input.definition) : machine.definition,
      roleArn: input.roleArn !== undefined ? passedRole(input.roleArn, ctx) : machine.roleArn,
      loggingConfiguration: (input.loggingConfiguration as Record<string, unknown> | undefined) ?? machine.loggingConfiguration,
      tracingConfiguration: (input.tracingConfiguration as Record<string, unknown> | undefined) ?? machine.tracingConfiguration,
      updateDate: ctx.now,
      revisionId: randomUUID(),
    };
    model.saveMachine(updated);
    return { updateDate: seconds(ctx.now), revisionId: updated.revisionId };
  }

  function DeleteStateMachine(input: Input, ctx: RequestContext): Output {
    const ref = machineRef(input.stateMachineArn, "states:DeleteStateMachine", ctx);
    const machine = ref.region === ctx.region ? model.machine(ref.accountId, ref.region, ref.name) : undefined;
    // Deleting a machine that is already gone succeeds, as on AWS.
    if (!machine) return {};
    const prefix = `arn:aws:states:${machine.region}:${machine.accountId}:`;
    abortRuns((arn) => arn.startsWith(prefix) && (arn.includes(`:execution:${machine.name}:`) || arn.includes(`:express:${machine.name}:`)));
    model.removeMachine(machine);
    return {};
  }

  function StartExecution(input: Input, ctx: RequestContext): Output {
    const machine = findMachine(input.stateMachineArn, "StartExecution", ctx);
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
      definition: machine.definition,
      roleArn: machine.roleArn,
    };
    record.history = [startedEvent(record, machine.roleArn)];
    model.saveExecution(record);
    start(machine, record);
    return { executionArn: arn, startDate: seconds(record.startDate) };
  }

  async function StartSyncExecution(input: Input, ctx: RequestContext): Promise<Output> {
    const machine = findMachine(input.stateMachineArn, "StartSyncExecution", ctx);
    if (machine.type !== "EXPRESS") throw stateMachineTypeNotSupported();
    const name = input.name === undefined || input.name === null ? randomUUID() : checkName(input.name, "name");
    const text = checkInput(input.input);
    // Synchronous Express executions are not kept (as on AWS, where they have no history API).
    const arn = `arn:aws:states:${machine.region}:${machine.accountId}:express:${machine.name}:${name}:${randomUUID()}`;
    const started = env.scheduler.now();
    const result = await interpret(machine, { arn, name, input: text, startDate: started }, new AbortController().signal);
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
    const e = findExecution(input.executionArn, "DescribeExecution", ctx);
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
    const machine = findMachine(input.stateMachineArn, "ListExecutions", ctx);
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
    const e = findExecution(input.executionArn, "StopExecution", ctx);
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
    const e = findExecution(input.executionArn, "GetExecutionHistory", ctx);
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
    resumeInterrupted,
    abortRuns,
    shutdown(): void {
      closed = true;
      abortRuns(() => true);
    },
    /** Resolves when every execution running now has finished (tests, close). */
    idle: () => Promise.all([...runs.values()].map((r) => r.done)).then(() => undefined),
  };
}
