// Step Functions state: state machines and executions keyed by account, then region, then
// names. Records live in memory and are written through to env.store before an operation
// returns; an execution's history is written when it starts, stops and finishes. While an
// execution runs, each task's start and result are journaled, so a restart can resume it
// without running a finished task again (durable-run.ts).
import type { LoggingConfiguration, TracingConfiguration } from "@aws-sdk/client-sfn";
import type { DurableStore } from "@/sandbox/core/contracts";

export const MACHINES_TABLE = "states_machines";
export const EXECUTIONS_TABLE = "states_executions";
export const JOURNAL_TABLE = "states_journal";

export type StateMachineType = "STANDARD" | "EXPRESS";
export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

export interface StateMachineRecord {
  accountId: string;
  region: string;
  name: string;
  arn: string;
  definition: string;
  roleArn: string;
  type: StateMachineType;
  /** Epoch milliseconds. */
  creationDate: number;
  updateDate?: number;
  revisionId: string;
  /** As the client sent them (their members are not checked), or the defaults. */
  loggingConfiguration: LoggingConfiguration;
  tracingConfiguration: TracingConfiguration;
  tags: { key: string; value: string }[];
}

/** A history event as stored: the interpreter's event with its timestamp in epoch milliseconds. */
export interface StoredEvent {
  id: number;
  previousEventId: number;
  type: string;
  timestamp: number;
  [details: string]: unknown;
}

export interface ExecutionRecord {
  accountId: string;
  region: string;
  arn: string;
  name: string;
  stateMachineArn: string;
  stateMachineName: string;
  status: ExecutionStatus;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate?: number;
  history: StoredEvent[];
  /** While RUNNING: the definition and role the run started with, so a restart resumes with them. */
  definition?: string;
  roleArn?: string;
}

/** One task of a running execution: written when it starts, rewritten with its result. */
export interface JournalEntry {
  seq: number;
  /** Which task call this is (state, attempt, resource, input): a replay matches calls by it. */
  key: string;
  status: "started" | "succeeded" | "failed";
  output?: unknown;
  error?: string;
  cause?: string;
  /** When it started, then when it finished (scheduler clock). */
  at: number;
}

export const machineKey = (accountId: string, region: string, name: string) => `${accountId}/${region}/${name}`;
export const executionKey = (accountId: string, region: string, machine: string, name: string) => `${accountId}/${region}/${machine}/${name}`;
const keyOf = (e: ExecutionRecord) => executionKey(e.accountId, e.region, e.stateMachineName, e.name);

export class StatesModel {
  private readonly machines = new Map<string, StateMachineRecord>();
  private readonly executions = new Map<string, ExecutionRecord>();

  /** Journals of executions a previous process left running, by execution key (read once, at start). */
  private readonly leftJournals = new Map<string, JournalEntry[]>();

  constructor(private readonly store: DurableStore) {
    for (const [key, record] of store.load<StateMachineRecord>(MACHINES_TABLE)) this.machines.set(key, record);
    for (const [key, record] of store.load<ExecutionRecord>(EXECUTIONS_TABLE)) this.executions.set(key, record);
    for (const [key, entry] of store.load<JournalEntry>(JOURNAL_TABLE)) {
      const owner = key.slice(0, key.lastIndexOf("/"));
      let list = this.leftJournals.get(owner);
      if (!list) this.leftJournals.set(owner, (list = []));
      list.push(entry);
    }
  }

  /** The journal a previous process left for this execution, oldest first (handed out once). */
  takeJournal(record: ExecutionRecord): JournalEntry[] {
    const list = this.leftJournals.get(keyOf(record)) ?? [];
    this.leftJournals.delete(keyOf(record));
    return list.sort((a, b) => a.seq - b.seq);
  }

  writeJournal(record: ExecutionRecord, entry: JournalEntry): void {
    this.store.put(JOURNAL_TABLE, `${keyOf(record)}/${entry.seq}`, entry);
  }

  dropJournal(record: ExecutionRecord): void {
    this.store.deletePrefix(JOURNAL_TABLE, `${keyOf(record)}/`);
  }

  machine(accountId: string, region: string, name: string): StateMachineRecord | undefined {
    return this.machines.get(machineKey(accountId, region, name));
  }

  machinesOf(accountId: string, region: string): StateMachineRecord[] {
    const prefix = `${accountId}/${region}/`;
    return [...this.machines.entries()].filter(([k]) => k.startsWith(prefix)).map(([, m]) => m).sort((a, b) => a.name.localeCompare(b.name));
  }

  saveMachine(record: StateMachineRecord): void {
    const key = machineKey(record.accountId, record.region, record.name);
    this.store.put(MACHINES_TABLE, key, record);
    this.machines.set(key, record);
  }

  /** Deletes a machine and its executions in one transaction. */
  removeMachine(record: StateMachineRecord): void {
    const key = machineKey(record.accountId, record.region, record.name);
    this.store.transaction(() => {
      this.store.delete(MACHINES_TABLE, key);
      this.store.deletePrefix(EXECUTIONS_TABLE, `${key}/`);
      this.store.deletePrefix(JOURNAL_TABLE, `${key}/`);
    });
    this.machines.delete(key);
    for (const k of [...this.executions.keys()]) if (k.startsWith(`${key}/`)) this.executions.delete(k);
  }

  execution(accountId: string, region: string, machine: string, name: string): ExecutionRecord | undefined {
    return this.executions.get(executionKey(accountId, region, machine, name));
  }

  executionsOf(machine: StateMachineRecord): ExecutionRecord[] {
    const prefix = `${machineKey(machine.accountId, machine.region, machine.name)}/`;
    return [...this.executions.entries()].filter(([k]) => k.startsWith(prefix)).map(([, e]) => e);
  }

  allExecutions(): ExecutionRecord[] {
    return [...this.executions.values()];
  }

  saveExecution(record: ExecutionRecord): void {
    const key = keyOf(record);
    this.store.put(EXECUTIONS_TABLE, key, record);
    this.executions.set(key, record);
  }

  removeAccount(accountId: string): void {
    this.store.transaction(() => {
      this.store.deletePrefix(MACHINES_TABLE, `${accountId}/`);
      this.store.deletePrefix(EXECUTIONS_TABLE, `${accountId}/`);
      this.store.deletePrefix(JOURNAL_TABLE, `${accountId}/`);
    });
    for (const k of [...this.machines.keys()]) if (k.startsWith(`${accountId}/`)) this.machines.delete(k);
    for (const k of [...this.executions.keys()]) if (k.startsWith(`${accountId}/`)) this.executions.delete(k);
  }
}
