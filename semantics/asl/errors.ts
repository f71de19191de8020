/**
 * Errors as Step Functions names them, and which ErrorEquals lists match which names.
 */

/** A failure a state raises: `error` is the name Retry/Catch match on, `cause` the text. */
export class StatesError extends Error {
  constructor(
    readonly error: string,
    readonly causeText: string,
  ) {
    super(`${error}: ${causeText}`);
    this.name = "StatesError";
  }
}

export const runtimeError = (cause: string): StatesError => new StatesError("States.Runtime", cause);

/**
 * AWS: States.Runtime "always causes the execution to fail"; a Retry or Catch on States.ALL
 * does not catch it.
 */
export function isCatchable(error: string): boolean {
  return error !== "States.Runtime";
}

/**
 * Whether one ErrorEquals list matches an error name. States.ALL matches any name;
 * States.TaskFailed matches any name except States.Timeout (so it matches a Lambda's own
 * errors too, such as ValidationError).
 */
export function errorEqualsMatches(errorEquals: readonly unknown[], error: string): boolean {
  if (!isCatchable(error)) return false;
  // States.DataLimitExceeded is terminal for the wildcards: only its own name matches it.
  const wildcardable = error !== "States.DataLimitExceeded";
  return errorEquals.some(
    (e) => e === error || (wildcardable && (e === "States.ALL" || (e === "States.TaskFailed" && error !== "States.Timeout"))),
  );
}

/** Turns whatever a task handler threw into an error name and a cause, as Lambda reports them. */
export function toStatesError(thrown: unknown): StatesError {
  if (thrown instanceof StatesError) return thrown;
  if (thrown instanceof Error) {
    const named = (thrown as Error & { error?: unknown }).error;
    const error = typeof named === "string" ? named : thrown.name || "Error";
    const cause = (thrown as Error & { cause?: unknown }).cause;
    return new StatesError(error, typeof cause === "string" ? cause : thrown.message);
  }
  if (typeof thrown === "object" && thrown !== null) {
    const o = thrown as Record<string, unknown>;
    const error = typeof o.error === "string" ? o.error : typeof o.name === "string" ? o.name : "Error";
    const cause = typeof o.cause === "string" ? o.cause : typeof o.message === "string" ? o.message : JSON.stringify(o);
    return new StatesError(error, cause);
  }
  return new StatesError("Error", String(thrown));
}
