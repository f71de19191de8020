// The per-try history of a delivery. The schema has one `error` column per delivery; it holds
// this short JSON list of the tries that did not deliver (newest last, at most MAX_ENTRIES), so
// the log can show every try without a schema change. A delivered try shows as the row's
// status, responseStatus and deliveredAt.
export interface FailedTry {
  /** 1-based try number. */
  try: number;
  at: string;
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  /** A full sentence: why the try did not deliver. */
  error: string;
}

const MAX_ENTRIES = 12;
const MAX_MESSAGE = 300;

export function parseTryLog(text: string | null): FailedTry[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value)) return [{ try: 0, at: "", error: text.slice(0, MAX_MESSAGE) }];
    return value.filter((e): e is FailedTry => typeof e === "object" && e !== null && typeof (e as FailedTry).error === "string");
  } catch {
    // Written by something else (an older version): show it as one entry rather than lose it.
    return [{ try: 0, at: "", error: text.slice(0, MAX_MESSAGE) }];
  }
}

export function appendTry(text: string | null, entry: FailedTry): string {
  const trimmed: FailedTry = { ...entry, error: entry.error.slice(0, MAX_MESSAGE) };
  return JSON.stringify([...parseTryLog(text), trimmed].slice(-MAX_ENTRIES));
}
