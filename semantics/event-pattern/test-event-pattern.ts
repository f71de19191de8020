// The TestEventPattern API in miniature: pattern and event both as JSON text, the answer as
// `{ result }` or the error AWS would return.
//
// AWS documents id, account, source, time, region, resources and detail-type as mandatory event
// fields, but the recorded conformance events (accepted by real TestEventPattern) often lack
// `resources`; so `resources` is not required here, only the other six.

import { compileEventPattern, matchEvent } from "./index";
import { readJsonText } from "./json-text";
import { isPlainObject } from "./compile";

export type TestEventPatternResult =
  | { result: boolean }
  | { error: { code: "InvalidEventPatternException" | "ValidationException"; message: string } };

export const REQUIRED_EVENT_FIELDS = ["id", "account", "source", "time", "region", "detail-type"] as const;

/** PutEvents' entry size limit; an event larger than this is never valid. */
export const MAX_EVENT_LENGTH = 256 * 1024;

const INVALID_EVENT = { error: { code: "ValidationException", message: "Parameter Event is not valid." } } as const;

export function testEventPattern(patternText: string, eventText: string): TestEventPatternResult {
  const compiled = compileEventPattern(patternText);
  if (!compiled.ok) return { error: compiled.error };
  if (typeof eventText !== "string" || eventText.length > MAX_EVENT_LENGTH) return INVALID_EVENT;
  const parsed = readJsonText(eventText);
  if (!parsed.ok || !isPlainObject(parsed.value)) return INVALID_EVENT;
  const event = parsed.value;
  for (const f of REQUIRED_EVENT_FIELDS) if (!(f in event)) return INVALID_EVENT;
  return { result: matchEvent(compiled.pattern, event) };
}
