import type { StateDefinition, StateMachineDefinition, StatesContainer } from "./types";
import type { Clock } from "./clock";
import { systemClock } from "./clock";
import { StatesError, errorEqualsMatches, runtimeError, toStatesError } from "./errors";
import { HistoryRecorder, json } from "./history";
import type { HistoryEvent, HistoryEventType, Lane } from "./history";
import { applyPath, applyResultPath, readPath } from "./paths";
import { evaluatePayload } from "./payload";
import { evaluateRule } from "./choice";
import { validateDefinition } from "./validate";
import { listStates, taskTarget } from "./analysis";
import { Cancelled, ROOT_SCOPE, runGroup } from "./concurrency";
import type { Scope } from "./concurrency";
import { retrierSettings, retryDelaySeconds } from "./retry";

// Step Functions' limit on an execution's input and on each state's output (256 KiB).
const MAX_PAYLOAD_CHARS = 262_144;

/**
 * Runs a state machine definition with caller-supplied task handlers, the way Step
 * Functions runs a Standard workflow: the same input/output processing, Retry and Catch,
 * States.Runtime for bad paths, and a GetExecutionHistory-shaped history. Waits and retry
 * back-off sleep through an injectable clock; `maxSteps` bounds runaway loops.
 */

export interface TaskContext {
  stateName: string;
  /** 0 for the first attempt, 1 for the first retry... */
  attempt: number;
  /** The context object (`$$`) as the state sees it. */
  context: Record<string, unknown>;
}

export type TaskHandler = (resource: string, input: unknown, ctx: TaskContext) => Promise<unknown> | unknown;

export interface RunOptions {
  /** One function for every Task, or handlers keyed by resource ARN or Lambda function name. */
  taskHandlers?: TaskHandler | Record<string, TaskHandler>;
  clock?: Clock;
  /** Most state entries before the run is stopped (ABORTED). Default 1000. */
  maxSteps?: number;
  /** Skips the structural checks when the caller already validated (runs always skip asl-validator: it is slow and adds nothing a run needs). */
  validate?: boolean;
  /** Enforces Task TimeoutSeconds by racing the handler with the clock. Off by default because a fake clock's instant sleep would win every race. */
  enforceTaskTimeouts?: boolean;
  stateMachineArn?: string;
  executionName?: string;
  roleArn?: string;
  uuid?: () => string;
  signal?: AbortSignal;
}

export type ExecutionStatus = "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

export interface ExecutionResult {
  status: ExecutionStatus;
  output?: unknown;
  error?: string;
  cause?: string;
  history: HistoryEvent[];
  /** Every state entered, in order, including those inside Parallel branches and Map iterations. */
  visitedStates: string[];
}

/** Stops a run from outside the state machine's own error handling. */
class Halt extends Error {
  constructor(
    readonly status: ExecutionStatus,
    readonly error: string,
    readonly causeText: string,
  ) {
    super(causeText);
  }
}


interface StepResult {
  output: unknown;
  next?: string;
}

type Obj = Record<string, unknown>;

const asObj = (v: unknown): Obj => (typeof v === "object" && v !== null ? (v as Obj) : {});

class Execution {
  readonly history: HistoryRecorder;
  readonly visited: string[] = [];
  private steps = 0;
  private readonly clock: Clock;
  private readonly maxSteps: number;
  private readonly startedAt: Date;
  private readonly deadline: number | undefined;
  readonly context: Obj;
  private readonly region: string;

  constructor(
    private readonly definition: StateMachineDefinition,
    input: unknown,
    private readonly options: RunOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.maxSteps = options.maxSteps ?? 1000;
    this.history = new HistoryRecorder(() => this.clock.now());
    this.startedAt = this.clock.now();
    const timeout = definition.TimeoutSeconds;
    this.deadline = typeof timeout === "number" && timeout > 0 ? this.startedAt.getTime() + timeout * 1000 : undefined;
    const smArn = options.stateMachineArn ?? "arn:aws:states:us-east-1:123456789012:stateMachine:simulation";
    const parts = smArn.split(":");
    this.region = parts[3] || "us-east-1";
    const name = options.executionName ?? this.uuid();
    const smName = parts[6] ?? "simulation";
    this.context = {
      Execution: {
        Id: `${parts.slice(0, 5).join(":")}:execution:${smName}:${name}`,
        Input: input,
        Name: name,
        RoleArn: options.roleArn ?? `arn:aws:iam::${parts[4] ?? "123456789012"}:role/simulation`,
        StartTime: this.startedAt.toISOString(),
      },
      StateMachine: { Id: smArn, Name: smName },
    };
  }

  uuid(): string {
    return this.options.uuid ? this.options.uuid() : globalThis.crypto.randomUUID();
  }

  async run(input: unknown): Promise<ExecutionResult> {
    const lane: Lane = { lastEventId: 0 };
    const execution = asObj(this.context.Execution);
    this.history.add("ExecutionStarted", {
      input: json(input), inputDetails: { truncated: false }, roleArn: execution.RoleArn,
    }, lane);
    const done = (r: Omit<ExecutionResult, "history" | "visitedStates">): ExecutionResult => ({
      ...r, history: this.history.events, visitedStates: this.visited,
    });
    try {
      const output = await this.runContainer(this.definition, input, lane, ROOT_SCOPE, {});
      this.history.add("ExecutionSucceeded", { output: json(output), outputDetails: { truncated: false } }, lane);
      return done({ status: "SUCCEEDED", output });
    } catch (thrown) {
      if (thrown instanceof Halt) {
        const type: HistoryEventType = thrown.status === "TIMED_OUT" ? "ExecutionTimedOut" : "ExecutionAborted";
        this.history.add(type, { error: thrown.error, cause: thrown.causeText }, lane);
        return done({ status: thrown.status, error: thrown.error, cause: thrown.causeText });
      }
      const err = toStatesError(thrown);
      this.history.add("ExecutionFailed", { error: err.error, cause: err.causeText }, lane);
      return done({ status: "FAILED", error: err.error, cause: err.causeText });
    }
  }

  /** Runs one StartAt/States container (the machine, a branch, an iteration) to its end. */
  private async runContainer(container: StatesContainer, input: unknown, lane: Lane, scope: Scope, extraContext: Obj): Promise<unknown> {
    let name: string | undefined = container.StartAt;
    let data = input;
    while (name !== undefined) {
      const state = container.States[name];
      if (!state) throw runtimeError(`The state '${name}' does not exist.`);
      this.checkLimits(scope);
      const result = await this.runState(name, state, data, lane, scope, extraContext);
      data = result.output;
      name = result.next;
    }
    return data;
  }

  private checkLimits(scope: Scope): void {
    if (scope.cancelled) throw new Cancelled();
    if (this.options.signal?.aborted) throw new Halt("ABORTED", "States.Aborted", "The execution was stopped by the caller.");
    if (this.deadline !== undefined && this.clock.now().getTime() >= this.deadline) {
      throw new Halt("TIMED_OUT", "States.Timeout", `The execution ran longer than its TimeoutSeconds (${this.definition.TimeoutSeconds}).`);
    }
    if (++this.steps > this.maxSteps) {
      throw new Halt("ABORTED", "MaxStepsExceeded", `The execution was stopped after ${this.maxSteps} state transitions (maxSteps); the definition probably loops.`);
    }
  }

  private async runState(name: string, state: StateDefinition, input: unknown, lane: Lane, scope: Scope, extraContext: Obj): Promise<StepResult> {
    const type = state.Type;
    this.visited.push(name);
    const enteredId = this.history.add(`${type}StateEntered` as HistoryEventType, { name, input: json(input), inputDetails: { truncated: false } }, lane);
    const context: Obj = { ...this.context, ...extraContext, State: { EnteredTime: this.clock.now().toISOString(), Name: name, RetryCount: 0 } };
    try {
      const result = await this.dispatch(name, state, input, lane, scope, context);
      if (type !== "Fail") {
        const output = json(result.output);
        if (output.length > MAX_PAYLOAD_CHARS) {
          throw new StatesError("States.DataLimitExceeded", `The state/task '${name}' returned a result with a size exceeding the maximum number of bytes service limit.`);
        }
        this.history.add(`${type}StateExited` as HistoryEventType, { name, output, outputDetails: { truncated: false } }, lane);
      }
      return result;
    } catch (thrown) {
      // AWS prefixes runtime failures with the state and the event that entered it.
      if (thrown instanceof StatesError && thrown.error === "States.Runtime" && !thrown.causeText.startsWith("An error occurred while executing")) {
        throw runtimeError(`An error occurred while executing the state '${name}' (entered at the event id #${enteredId}). ${thrown.causeText}`);
      }
      throw thrown;
    }
  }

  private dispatch(name: string, state: StateDefinition, input: unknown, lane: Lane, scope: Scope, context: Obj): Promise<StepResult> | StepResult {
    switch (state.Type) {
      case "Pass": return this.pass(state, input, context);
      case "Task": return this.withErrorHandling(state, input, lane, context, (effective, attempt) => this.task(name, state, effective, lane, context, attempt));
      case "Choice": return this.choice(name, state, input, context);
      case "Wait": return this.wait(state, input, context);
      case "Succeed": return { output: applyPath("OutputPath", state.OutputPath, applyPath("InputPath", state.InputPath, input, context), context) };
      case "Fail": return this.fail(state, input, context);
      case "Parallel": return this.withErrorHandling(state, input, lane, context, (effective) => this.parallel(state, effective, lane, scope));
      case "Map": return this.withErrorHandling(state, input, lane, context, (effective) => this.map(name, state, effective, lane, scope, context));
      default: throw runtimeError(`The state type '${String(state.Type)}' is not supported.`);
    }
  }

  private next(state: StateDefinition): string | undefined {
    return state.End === true ? undefined : (state.Next as string | undefined);
  }

  private pass(state: StateDefinition, input: unknown, context: Obj): StepResult {
    const effective = applyPath("InputPath", state.InputPath, input, context);
    const params = state.Parameters !== undefined ? evaluatePayload(state.Parameters, this.env(effective, context)) : effective;
    const result = "Result" in state ? structuredClone(state.Result) : params;
    const withResult = this.resultPath(state, input, result);
    return { output: applyPath("OutputPath", state.OutputPath, withResult, context), next: this.next(state) };
  }

  private resultPath(state: StateDefinition, input: unknown, result: unknown): unknown {
    return applyResultPath(input, state.ResultPath, result);
  }

  private env(input: unknown, context: Obj) {
    return { input, context, uuid: () => this.uuid() };
  }

  /**
   * Task, Parallel and Map: input processing, then attempts with Retry, then result
   * processing; a failure that no retrier absorbs goes to the first matching catcher.
   */
  private async withErrorHandling(
    state: StateDefinition, input: unknown, lane: Lane, context: Obj,
    attempt: (effective: unknown, attempt: number) => Promise<unknown>,
  ): Promise<StepResult> {
    const effective = applyPath("InputPath", state.InputPath, input, context);
    // A Map's Parameters is its (legacy) ItemSelector: it applies per item, in map().
    const params = state.Parameters !== undefined && state.Type !== "Map" ? evaluatePayload(state.Parameters, this.env(effective, context)) : effective;
    const retriers = Array.isArray(state.Retry) ? (state.Retry as Obj[]) : [];
    const counts = retriers.map(() => 0);
    let tries = 0;
    for (;;) {
      try {
        const raw = await attempt(params, tries);
        const selected = state.ResultSelector !== undefined ? evaluatePayload(state.ResultSelector, this.env(raw, context)) : raw;
        const withResult = this.resultPath(state, input, selected);
        return { output: applyPath("OutputPath", state.OutputPath, withResult, context), next: this.next(state) };
      } catch (thrown) {
        if (thrown instanceof Halt || thrown instanceof Cancelled) throw thrown;
        const err = toStatesError(thrown);
        const index = retriers.findIndex((r) => Array.isArray(r.ErrorEquals) && errorEqualsMatches(r.ErrorEquals, err.error));
        const retrier = retriers[index];
        if (retrier && index >= 0) {
          const settings = retrierSettings(retrier);
          const done = counts[index] ?? 0;
          if (done < settings.maxAttempts) {
            counts[index] = done + 1;
            tries++;
            asObj(context.State).RetryCount = tries;
            await this.clock.sleep(retryDelaySeconds(settings, done) * 1000);
            continue;
          }
        }
        const catchers = Array.isArray(state.Catch) ? (state.Catch as Obj[]) : [];
        const catcher = catchers.find((c) => Array.isArray(c.ErrorEquals) && errorEqualsMatches(c.ErrorEquals, err.error));
        if (!catcher) throw err;
        const errorOutput = { Error: err.error, Cause: err.causeText };
        const output = applyResultPath(input, catcher.ResultPath, errorOutput);
        return { output, next: catcher.Next as string };
      }
    }
  }

  private handlerFor(resource: string): TaskHandler | undefined {
    const handlers = this.options.taskHandlers;
    if (typeof handlers === "function") return handlers;
    if (!handlers) return undefined;
    if (handlers[resource]) return handlers[resource];
    const target = taskTarget({ Type: "Task", Resource: resource });
    return target.lambdaFunctionName ? handlers[target.lambdaFunctionName] : undefined;
  }

  private async task(name: string, state: StateDefinition, input: unknown, lane: Lane, context: Obj, attempt: number): Promise<unknown> {
    const resource = String(state.Resource);
    const isLambdaArn = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:/.test(resource);
    const service = /^arn:[^:]+:states:::([^:]+):(.+)$/.exec(resource);
    const resourceType = service?.[1] ?? "activity";
    const action = service?.[2] ?? resource;
    if (isLambdaArn) {
      this.history.add("LambdaFunctionScheduled", { resource, input: json(input), inputDetails: { truncated: false } }, lane);
      this.history.add("LambdaFunctionStarted", undefined, lane);
    } else {
      this.history.add("TaskScheduled", { resourceType, resource: action, region: this.region, parameters: json(input) }, lane);
      this.history.add("TaskStarted", { resourceType, resource: action }, lane);
    }
    try {
      const handler = this.handlerFor(resource);
      if (!handler) throw new StatesError("States.TaskFailed", `No task handler for resource ${resource}.`);
      let call = Promise.resolve(handler(resource, structuredClone(input), { stateName: name, attempt, context }));
      const timeout = state.TimeoutSeconds;
      if (this.options.enforceTaskTimeouts && typeof timeout === "number") {
        const timer = this.clock.sleep(timeout * 1000).then(() => {
          throw new StatesError("States.Timeout", `The task ${name} did not finish within ${timeout} seconds.`);
        });
        call = Promise.race([call, timer]);
      }
      const output = (await call) ?? null;
      if (isLambdaArn) this.history.add("LambdaFunctionSucceeded", { output: json(output), outputDetails: { truncated: false } }, lane);
      else this.history.add("TaskSucceeded", { resourceType, resource: action, output: json(output), outputDetails: { truncated: false } }, lane);
      return output;
    } catch (thrown) {
      const err = toStatesError(thrown);
      if (isLambdaArn) this.history.add(err.error === "States.Timeout" ? "LambdaFunctionTimedOut" : "LambdaFunctionFailed", { error: err.error, cause: err.causeText }, lane);
      else this.history.add(err.error === "States.Timeout" ? "TaskTimedOut" : "TaskFailed", { resourceType, resource: action, error: err.error, cause: err.causeText }, lane);
      throw err;
    }
  }

  private choice(name: string, state: StateDefinition, input: unknown, context: Obj): StepResult {
    const effective = applyPath("InputPath", state.InputPath, input, context);
    const rules = Array.isArray(state.Choices) ? (state.Choices as Obj[]) : [];
    const matched = rules.find((rule) => evaluateRule(rule, effective, context));
    const next = (matched?.Next ?? state.Default) as string | undefined;
    if (next === undefined) {
      throw new StatesError("States.NoChoiceMatched", `No Matches! The choice state '${name}' has no rule matching its input and no Default.`);
    }
    return { output: applyPath("OutputPath", state.OutputPath, effective, context), next };
  }

  private async wait(state: StateDefinition, input: unknown, context: Obj): Promise<StepResult> {
    const effective = applyPath("InputPath", state.InputPath, input, context);
    let ms: number;
    const secondsOf = (v: unknown, field: string): number => {
      if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw runtimeError(`The ${field} value ${JSON.stringify(v)} is not a non-negative integer.`);
      return v * 1000;
    };
    const untilOf = (v: unknown, field: string): number => {
      const t = typeof v === "string" ? Date.parse(v) : NaN;
      if (Number.isNaN(t)) throw runtimeError(`The ${field} value ${JSON.stringify(v)} is not an ISO 8601 timestamp.`);
      return Math.max(0, t - this.clock.now().getTime());
    };
    if (state.Seconds !== undefined) ms = secondsOf(state.Seconds, "Seconds");
    else if (state.Timestamp !== undefined) ms = untilOf(state.Timestamp, "Timestamp");
    else if (typeof state.SecondsPath === "string") ms = secondsOf(this.mustRead(state.SecondsPath, effective, context), "SecondsPath");
    else if (typeof state.TimestampPath === "string") ms = untilOf(this.mustRead(state.TimestampPath, effective, context), "TimestampPath");
    else throw runtimeError("The Wait state has no Seconds, Timestamp, SecondsPath or TimestampPath.");
    await this.clock.sleep(ms);
    return { output: applyPath("OutputPath", state.OutputPath, effective, context), next: this.next(state) };
  }

  private mustRead(path: string, data: unknown, context: Obj): unknown {
    const r = readPath(path, data, context);
    if (!r.found) throw runtimeError(`Invalid path '${path}' : No results for path: ${path}`);
    return r.value;
  }

  private fail(state: StateDefinition, input: unknown, context: Obj): never {
    const error = typeof state.ErrorPath === "string" ? String(this.mustRead(state.ErrorPath, input, context)) : (state.Error as string | undefined) ?? "States.Fail";
    const cause = typeof state.CausePath === "string" ? String(this.mustRead(state.CausePath, input, context)) : (state.Cause as string | undefined) ?? "";
    throw new StatesError(error, cause);
  }

  private async parallel(state: StateDefinition, input: unknown, lane: Lane, scope: Scope): Promise<unknown> {
    const branches = Array.isArray(state.Branches) ? (state.Branches as StatesContainer[]) : [];
    this.history.add("ParallelStateStarted", undefined, lane);
    try {
      const out = await runGroup(
        branches.map((branch) => (inner: Scope) => this.runContainer(branch, structuredClone(input), { lastEventId: lane.lastEventId }, inner, {})),
        0, scope,
      );
      this.history.add("ParallelStateSucceeded", undefined, lane);
      return out;
    } catch (e) {
      if (!(e instanceof Halt)) this.history.add("ParallelStateFailed", undefined, lane);
      throw e;
    }
  }

  private async map(name: string, state: StateDefinition, input: unknown, lane: Lane, scope: Scope, context: Obj): Promise<unknown> {
    // Parameters (or ItemSelector) apply per item here, not to the whole input.
    const items = applyPath("ItemsPath", state.ItemsPath, input, context);
    if (!Array.isArray(items)) {
      throw runtimeError(`Invalid path '${String(state.ItemsPath ?? "$")}': The value for the field 'ItemsPath' must be a JSON array, but was ${JSON.stringify(items)}.`);
    }
    const processor = (state.ItemProcessor ?? state.Iterator) as StatesContainer;
    const selector = state.ItemSelector ?? state.Parameters;
    const concurrency = typeof state.MaxConcurrency === "number" ? state.MaxConcurrency : 0;
    this.history.add("MapStateStarted", { length: items.length }, lane);
    try {
      const out = await runGroup(
        items.map((value, index) => async (inner: Scope) => {
          const mapContext = { Map: { Item: { Index: index, Value: value } } };
          const itemInput = selector !== undefined ? evaluatePayload(selector, this.env(input, { ...context, ...mapContext })) : value;
          const itemLane = { lastEventId: lane.lastEventId };
          this.history.add("MapIterationStarted", { name, index }, itemLane);
          try {
            const result = await this.runContainer(processor, structuredClone(itemInput), itemLane, inner, mapContext);
            this.history.add("MapIterationSucceeded", { name, index }, itemLane);
            return result;
          } catch (e) {
            if (!(e instanceof Halt)) this.history.add(e instanceof Cancelled ? "MapIterationAborted" : "MapIterationFailed", { name, index }, itemLane);
            throw e;
          }
        }),
        concurrency, scope,
      );
      this.history.add("MapStateSucceeded", undefined, lane);
      return out;
    } catch (e) {
      if (!(e instanceof Halt)) this.history.add("MapStateFailed", undefined, lane);
      throw e;
    }
  }
}

export async function runStateMachine(definition: unknown, input: unknown, options: RunOptions = {}): Promise<ExecutionResult> {
  let parsed: StateMachineDefinition;
  if (options.validate === false) {
    try {
      parsed = (typeof definition === "string" ? JSON.parse(definition) : definition) as StateMachineDefinition;
    } catch (e) {
      return { status: "FAILED", error: "States.Runtime", cause: `The definition is not JSON: ${(e as Error).message}`, history: [], visitedStates: [] };
    }
  } else {
    const v = validateDefinition(definition, { useAslValidator: false });
    if (!v.ok) return { status: "FAILED", error: "InvalidDefinition", cause: v.error, history: [], visitedStates: [] };
    parsed = v.definition;
  }
  const jsonata = parsed.QueryLanguage === "JSONata" ? "the state machine" : listStates(parsed).find((s) => s.state.QueryLanguage === "JSONata")?.name;
  if (jsonata !== undefined) {
    return { status: "FAILED", error: "States.Runtime", cause: `This simulator runs JSONPath state machines only, and ${jsonata === "the state machine" ? jsonata : `the state '${jsonata}'`} uses JSONata.`, history: [], visitedStates: [] };
  }
  try {
    const text = JSON.stringify(input ?? {});
    if (text.length > MAX_PAYLOAD_CHARS) {
      return { status: "FAILED", error: "States.DataLimitExceeded", cause: `The execution input is larger than ${MAX_PAYLOAD_CHARS} characters, the Step Functions limit.`, history: [], visitedStates: [] };
    }
    return await new Execution(parsed, input, options).run(JSON.parse(text) as unknown);
  } catch (e) {
    // Nothing above should throw; this keeps "never throws" true even for a bug.
    return { status: "FAILED", error: "States.Runtime", cause: (e as Error).message ?? String(e), history: [], visitedStates: [] };
  }
}
