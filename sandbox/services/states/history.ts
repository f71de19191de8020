// An execution's history as it is stored: the interpreter's events with epoch-millisecond
// timestamps, and the execution-level events the service adds itself (the start event written
// by StartExecution, the end event of a stopped, interrupted or cut-short run).
import type { HistoryEvent } from "@/semantics/asl";
import type { ExecutionRecord, StoredEvent } from "./models";

/** The events that end an execution: a history has at most one, last. */
export const END_EVENTS = new Set(["ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted"]);

export function storedEvents(history: HistoryEvent[]): StoredEvent[] {
  return history.map((e) => ({ ...e, timestamp: e.timestamp.getTime() }) as StoredEvent);
}

export function startedEvent(record: ExecutionRecord, roleArn: string): StoredEvent {
  return {
    id: 1, previousEventId: 0, type: "ExecutionStarted", timestamp: record.startDate,
    executionStartedEventDetails: { input: record.input, inputDetails: { truncated: false }, roleArn },
  };
}

/** Appends an execution-level end event, chained to the last event. */
export function withEndEvent(history: StoredEvent[], type: string, details: Record<string, unknown>, at: number): StoredEvent[] {
  const last = history[history.length - 1];
  const id = (last?.id ?? 0) + 1;
  const key = `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
  return [...history, { id, previousEventId: last?.id ?? 0, type, timestamp: at, [key]: details }];
}
