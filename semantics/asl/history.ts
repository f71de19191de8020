/**
 * An execution history shaped like GetExecutionHistory's events: `id`, `previousEventId`,
 * `timestamp`, `type`, and one `<type>EventDetails` object (state entry and exit use
 * `stateEnteredEventDetails` / `stateExitedEventDetails`, as AWS does).
 */

export type HistoryEventType =
  | "ExecutionStarted" | "ExecutionSucceeded" | "ExecutionFailed" | "ExecutionTimedOut" | "ExecutionAborted"
  | "TaskStateEntered" | "TaskStateExited" | "TaskScheduled" | "TaskStarted" | "TaskSucceeded" | "TaskFailed" | "TaskTimedOut"
  | "LambdaFunctionScheduled" | "LambdaFunctionStarted" | "LambdaFunctionSucceeded" | "LambdaFunctionFailed" | "LambdaFunctionTimedOut"
  | "PassStateEntered" | "PassStateExited"
  | "ChoiceStateEntered" | "ChoiceStateExited"
  | "WaitStateEntered" | "WaitStateExited"
  | "SucceedStateEntered" | "SucceedStateExited"
  | "FailStateEntered"
  | "ParallelStateEntered" | "ParallelStateStarted" | "ParallelStateSucceeded" | "ParallelStateFailed" | "ParallelStateAborted" | "ParallelStateExited"
  | "MapStateEntered" | "MapStateStarted" | "MapStateSucceeded" | "MapStateFailed" | "MapStateAborted" | "MapStateExited"
  | "MapIterationStarted" | "MapIterationSucceeded" | "MapIterationFailed" | "MapIterationAborted";

export interface HistoryEvent {
  timestamp: Date;
  type: HistoryEventType;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}

/** Each branch of a Parallel or iteration of a Map chains its own previousEventId. */
export interface Lane {
  lastEventId: number;
}

export class HistoryRecorder {
  readonly events: HistoryEvent[] = [];

  constructor(private readonly now: () => Date) {}

  add(type: HistoryEventType, details: Record<string, unknown> | undefined, lane: Lane): number {
    const id = this.events.length + 1;
    const event: HistoryEvent = { timestamp: this.now(), type, id, previousEventId: lane.lastEventId };
    if (details !== undefined) event[detailsKey(type)] = details;
    this.events.push(event);
    lane.lastEventId = id;
    return id;
  }
}

function detailsKey(type: HistoryEventType): string {
  if (type.endsWith("StateEntered")) return "stateEnteredEventDetails";
  if (type.endsWith("StateExited")) return "stateExitedEventDetails";
  return `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
}

/** History payloads are JSON text on AWS. */
export function json(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}
