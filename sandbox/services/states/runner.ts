// Executions running in the background: each is interpreted by the shared ASL interpreter
// (semantics/asl) with task handlers that act as the state machine's role (tasks.ts), journaled
// so that a restart resumes it where it was (durable-run.ts), and recorded in the model when it
// ends. The operations start and stop runs through this; it holds what outlives a request.
import { runStateMachine } from "@/semantics/asl";
import type { ExecutionResult } from "@/semantics/asl";
import type { ServiceEnvironment } from "@/sandbox/core/contracts";
import type { ServiceRoleSessions } from "@/sandbox/core/service-roles";
import { durableRun, RESTART_CAUSE } from "./durable-run";
import type { JournalSink } from "./durable-run";
import { END_EVENTS, startedEvent, storedEvents, withEndEvent } from "./history";
import type { ExecutionRecord, StateMachineRecord, StatesModel } from "./models";
import { taskHandler } from "./tasks";

export interface RunInput {
  arn: string;
  name: string;
  input: string;
  startDate: number;
  /** The stored execution (Standard and asynchronous Express runs), whose tasks are journaled. */
  record?: ExecutionRecord;
  resumed?: boolean;
}

interface Run {
  controller: AbortController;
  done: Promise<void>;
}

interface ExecutionKey {
  accountId: string;
  region: string;
  machine: string;
  name: string;
}

export class ExecutionRunner {
  /** Executions running in this process, by ARN. */
  private readonly runs = new Map<string, Run>();
  /** Set by shutdown(): runs still in flight stay RUNNING in the store, for the restart policy. */
  private closed = false;

  constructor(
    private readonly env: ServiceEnvironment,
    private readonly model: StatesModel,
    /** The execution roles' sessions, shared by every run of this service. */
    private readonly roles: ServiceRoleSessions,
  ) {}

  /** Runs the definition with the interpreter; resolves with the result, never throws. */
  interpret(machine: StateMachineRecord, run: RunInput, signal: AbortSignal): Promise<ExecutionResult> {
    const { arn, name, input } = run;
    const durable = durableRun(this.env, { executionArn: arn, startDate: run.startDate, resumed: run.resumed === true }, this.journalOf(run.record), signal);
    const live = taskHandler(this.env, this.roles, { accountId: machine.accountId, region: machine.region, machineArn: machine.arn, roleArn: machine.roleArn });
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

  /** Runs a stored execution in the background, from its start or (resumed) replaying its journal. */
  start(machine: StateMachineRecord, record: ExecutionRecord, resumed = false): void {
    const controller = new AbortController();
    const key = { accountId: record.accountId, region: record.region, machine: record.stateMachineName, name: record.name };
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((r) => (resolveDone = r));
    this.runs.set(record.arn, { controller, done });
    // Started on the scheduler, so the run stops with the sandbox and StartExecution answers first.
    this.env.scheduler.setTimeout(() => {
      void this.interpret(machine, { arn: record.arn, name: record.name, input: record.input, startDate: record.startDate, record, resumed }, controller.signal)
        .then((result) => this.finish(record.arn, key, result))
        .finally(() => {
          this.runs.delete(record.arn);
          resolveDone();
        });
    }, 0);
  }

  /** Stops one execution's run, if it runs in this process (StopExecution). */
  abort(arn: string): void {
    this.runs.get(arn)?.controller.abort();
  }

  /** Stops the runs whose execution ARN matches (DeleteStateMachine, account reset, shutdown). */
  abortRuns(predicate: (arn: string) => boolean): void {
    for (const [arn, run] of this.runs) if (predicate(arn)) run.controller.abort();
  }

  /** Stops an account's runs and forgets the role sessions held for its state machines. */
  resetAccount(accountId: string): void {
    this.abortRuns((arn) => arn.split(":")[4] === accountId);
    this.roles.forget(accountId);
  }

  /**
   * Executions that were RUNNING when the process stopped go on where they were: each is run
   * again with its journal (durable-run.ts), so finished tasks are not repeated and Waits keep
   * their deadlines. One whose machine is gone, or whose task was cut off mid-call, fails.
   */
  resumeInterrupted(now: number): void {
    for (const record of this.model.allExecutions()) {
      if (record.status !== "RUNNING") {
        // Stopped just before the process ended: its journal is of no more use.
        if (this.model.takeJournal(record).length > 0) this.model.dropJournal(record);
        continue;
      }
      const machine = this.model.machine(record.accountId, record.region, record.stateMachineName);
      if (machine && machine.arn === record.stateMachineArn) {
        // The run goes on with the definition and role it started with, as on AWS.
        this.start({ ...machine, definition: record.definition ?? machine.definition, roleArn: record.roleArn ?? machine.roleArn }, record, true);
        continue;
      }
      const history = record.history.length > 0 ? record.history : [startedEvent(record, "")];
      this.model.saveExecution({
        ...record, status: "FAILED", error: "States.Runtime", cause: RESTART_CAUSE, stopDate: now,
        history: withEndEvent(history, "ExecutionFailed", { error: "States.Runtime", cause: RESTART_CAUSE }, now),
      });
    }
  }

  /** Stops every run where it is; the next start resumes them (resumeInterrupted). */
  shutdown(): void {
    this.closed = true;
    this.abortRuns(() => true);
  }

  /** Resolves when every execution running now has finished (tests, close). */
  idle(): Promise<void> {
    return Promise.all([...this.runs.values()].map((r) => r.done)).then(() => undefined);
  }

  /** Where a running execution journals its tasks; nothing is kept for synchronous Express runs. */
  private journalOf(record: ExecutionRecord | undefined): JournalSink {
    if (!record) return { entries: [], write: () => undefined };
    return {
      entries: this.model.takeJournal(record),
      write: (entry) => {
        // After close the store may be gone; the restart then sees the task as unfinished.
        if (!this.closed) this.model.writeJournal(record, entry);
      },
    };
  }

  private finish(arn: string, key: ExecutionKey, result: ExecutionResult): void {
    // Closing: the execution stays RUNNING in the store, and the next start resumes it.
    if (this.closed) return;
    const found = this.model.execution(key.accountId, key.region, key.machine, key.name);
    // Deleted meanwhile (DeleteStateMachine, account reset): nothing to record.
    if (!found || found.arn !== arn) return;
    this.model.dropJournal(found);
    // What the run needed to resume is not kept once it is over.
    const { definition: _definition, roleArn: _roleArn, ...record } = found;
    const now = this.env.scheduler.now();
    let history = storedEvents(result.history);
    if (history.length === 0) history = [startedEvent(record, "")];
    if (record.status === "ABORTED") {
      // StopExecution answered already: the run's own ending is replaced by the abort.
      const last = history[history.length - 1];
      if (last && END_EVENTS.has(last.type)) history = history.slice(0, -1);
      history = withEndEvent(history, "ExecutionAborted", { ...(record.error ? { error: record.error } : {}), ...(record.cause ? { cause: record.cause } : {}) }, record.stopDate ?? now);
      this.model.saveExecution({ ...record, history });
      return;
    }
    if (!END_EVENTS.has(history[history.length - 1]?.type ?? "")) {
      history = withEndEvent(history, "ExecutionFailed", { error: result.error ?? "States.Runtime", cause: result.cause ?? "" }, now);
    }
    const updated: ExecutionRecord = { ...record, status: result.status, stopDate: now, history };
    if (result.status === "SUCCEEDED") updated.output = JSON.stringify(result.output ?? null);
    if (result.error !== undefined) updated.error = result.error;
    if (result.cause !== undefined) updated.cause = result.cause;
    this.model.saveExecution(updated);
  }
}
