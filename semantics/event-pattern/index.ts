// EventBridge event patterns: compile once (validating with EventBridge's own error texts), then
// match events with pre-built closures. Pure: no I/O, no Node APIs; never throws.

import { compileValue, isPlainObject, PatternError, type CompiledField } from "./compile";
import { failingFields, matchAnyBranch } from "./match-engine";
import { afterFirstToken, measureDepth, readJsonText, sourceRef } from "./json-text";

export type { Condition, Leaf } from "./conditions";

export type CompiledPattern = {
  readonly kind: "event-pattern";
  /** `$or` expanded: the pattern matches when every field of some branch matches. */
  readonly branches: readonly CompiledField[][];
};

export type EventPatternError = { code: "InvalidEventPatternException"; message: string };
export type CompileResult = { ok: true; pattern: CompiledPattern } | { ok: false; error: EventPatternError };

/** EventBridge's maximum EventPattern length (PutRule/TestEventPattern accept at most 4096). */
export const MAX_PATTERN_LENGTH = 4096;
/** Our bound on nesting, far beyond any pattern that fits in 4096 characters usefully. */
export const MAX_PATTERN_DEPTH = 64;

const PREFIX = "Event pattern is not valid. Reason: ";

function invalid(reason: string): CompileResult {
  return { ok: false, error: { code: "InvalidEventPatternException", message: PREFIX + reason } };
}

/** Validates and compiles a pattern given as JSON text or as an already-parsed value. */
export function compileEventPattern(pattern: unknown): CompileResult {
  try {
    let value: unknown = pattern;
    if (typeof pattern === "string") {
      if (pattern.length > MAX_PATTERN_LENGTH) {
        return invalid(`Event pattern is longer than ${MAX_PATTERN_LENGTH} characters`);
      }
      const parsed = readJsonText(pattern);
      if (!parsed.ok) {
        // Jackson reports an empty document as "no token", which event-ruler calls not-an-object.
        return invalid(parsed.reason.startsWith("No content") ? "Filter is not an object" : parsed.reason);
      }
      if (parsed.depth > MAX_PATTERN_DEPTH) return invalid(`Event pattern is nested deeper than ${MAX_PATTERN_DEPTH} levels`);
      value = parsed.value;
      if (!isPlainObject(value)) {
        // Rejected at the first token, so AWS can say where: keep its location suffix.
        const at = afterFirstToken(pattern);
        return invalid(`Filter is not an object\n at ${sourceRef(pattern, at.line, at.column)}`);
      }
    } else {
      if (measureDepth(pattern, MAX_PATTERN_DEPTH) > MAX_PATTERN_DEPTH) {
        return invalid(`Event pattern is nested deeper than ${MAX_PATTERN_DEPTH} levels`);
      }
      const text = JSON.stringify(pattern);
      if (text !== undefined && text.length > MAX_PATTERN_LENGTH) {
        return invalid(`Event pattern is longer than ${MAX_PATTERN_LENGTH} characters`);
      }
    }
    return { ok: true, pattern: { kind: "event-pattern", branches: compileValue(value) } };
  } catch (e) {
    if (e instanceof PatternError) return invalid(e.message);
    return invalid("Event pattern could not be compiled");
  }
}

/** Does the compiled pattern match this (already parsed) event? */
export function matchEvent(compiled: CompiledPattern, event: unknown): boolean {
  try {
    return matchAnyBranch(compiled.branches as CompiledField[][], event);
  } catch {
    return false; // e.g. a getter throwing on a non-JSON object: not a match, never an exception
  }
}

export type MatchExplanation =
  | { matched: true }
  | { matched: false; branch: number; failedPaths: string[]; reason: string };

/** Like matchEvent, and when it does not match, which fields failed (of the closest branch). */
export function explainEventMatch(compiled: CompiledPattern, event: unknown): MatchExplanation {
  if (matchEvent(compiled, event)) return { matched: true };
  let best: { branch: number; failed: CompiledField[] } | null = null;
  compiled.branches.forEach((fields, branch) => {
    let failed: CompiledField[];
    try {
      failed = failingFields(fields, event);
    } catch {
      failed = fields;
    }
    if (best === null || failed.length < best.failed.length) best = { branch, failed };
  });
  const b = best as { branch: number; failed: CompiledField[] } | null;
  if (b === null) return { matched: false, branch: 0, failedPaths: [], reason: "the pattern has no fields" };
  const paths = b.failed.map((f) => f.path);
  const reason = paths.length
    ? `no value at ${paths.map((p) => `"${p}"`).join(", ")} satisfies the pattern`
    : "the matching values come from different elements of the same array";
  return { matched: false, branch: b.branch, failedPaths: paths, reason };
}

export { testEventPattern, type TestEventPatternResult } from "./test-event-pattern";
