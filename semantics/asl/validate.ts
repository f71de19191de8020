import aslValidator from "asl-validator";
import type { Diagnostic, StateDefinition, StateMachineDefinition, StatesContainer } from "./types";
import { parseDefinitionInput } from "./parse";
import { checkState } from "./structure-checks";
import type { QueryLanguage } from "./structure-checks";
import { childContainers, isTerminal, transitionsOf, unreachableStates } from "./analysis";

/**
 * Validates a definition as CreateStateMachine does, answering with its InvalidDefinition
 * text: `Invalid State Machine Definition: 'CODE: message at /location, ...'`. Our own
 * checks give AWS's wording for the usual mistakes; asl-validator (a maintained JSON-schema
 * validator) then catches what they do not cover. Never throws.
 */

export interface ValidateOptions {
  /** Run asl-validator after our own checks (default true). */
  useAslValidator?: boolean;
}

export type ValidationResult =
  | { ok: true; definition: StateMachineDefinition; diagnostics: [] }
  | { ok: false; error: string; diagnostics: Diagnostic[] };

const TOP_LEVEL_FIELDS = ["Comment", "StartAt", "States", "TimeoutSeconds", "Version", "QueryLanguage"];
const CONTAINER_FIELDS = ["Comment", "StartAt", "States", "ProcessorConfig"];
// Deeper nesting than any real workflow; the limit keeps recursion bounded for hostile input.
const MAX_NESTING = 20;

export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const parts = diagnostics.map((d) => `${d.code}: ${d.message}${d.location !== undefined ? ` at ${d.location}` : ""}`);
  return `Invalid State Machine Definition: '${parts.join(", ")}'`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkContainer(
  container: Record<string, unknown>, location: string, depth: number, topLevel: boolean,
  out: Diagnostic[], names: Map<string, string>, language: QueryLanguage,
): void {
  if (depth > MAX_NESTING) {
    out.push({ code: "TOO_DEEPLY_NESTED", message: "The states are too deeply nested", location: location || "/" });
    return;
  }
  const at = location || "/";
  const allowed = topLevel ? TOP_LEVEL_FIELDS : CONTAINER_FIELDS;
  for (const key of Object.keys(container)) {
    if (!allowed.includes(key)) out.push({ code: "SCHEMA_VALIDATION_FAILED", message: `Field '${key}' is not supported`, location: at });
  }
  const missing = ["StartAt", "States"].filter((k) => container[k] === undefined);
  if (missing.length > 0) {
    out.push({ code: "SCHEMA_VALIDATION_FAILED", message: `These fields are required: [${missing.join(", ")}]`, location: at });
    return;
  }
  if (typeof container.StartAt !== "string") {
    out.push({ code: "SCHEMA_VALIDATION_FAILED", message: "The value for the field 'StartAt' must be a STRING", location: `${location}/StartAt` });
    return;
  }
  if (!isRecord(container.States) || Object.keys(container.States).length === 0) {
    out.push({ code: "SCHEMA_VALIDATION_FAILED", message: "The value for the field 'States' must be a non-empty OBJECT", location: `${location}/States` });
    return;
  }
  if (topLevel && container.TimeoutSeconds !== undefined && (typeof container.TimeoutSeconds !== "number" || !Number.isInteger(container.TimeoutSeconds) || container.TimeoutSeconds < 1)) {
    out.push({ code: "SCHEMA_VALIDATION_FAILED", message: "The value for the field 'TimeoutSeconds' must be a positive INTEGER", location: "/TimeoutSeconds" });
  }
  const states = container.States as Record<string, StateDefinition>;
  for (const [name, state] of Object.entries(states)) {
    const stateLocation = `${location}/States/${name}`;
    // State names are unique across the whole machine, branches and processors included.
    if (names.has(name)) out.push({ code: "DUPLICATE_STATE_NAME", message: `Duplicate State name: ${name}`, location: stateLocation });
    else names.set(name, stateLocation);
    checkState(name, state, stateLocation, out, language);
    if (!isRecord(state)) continue;
    for (const child of childContainers(state, stateLocation)) {
      checkContainer(child.container as unknown as Record<string, unknown>, child.location, depth + 1, false, out, names, language);
    }
    if (state.Type === "Parallel" && Array.isArray(state.Branches)) {
      state.Branches.forEach((b, i) => {
        if (!isRecord(b) || !isRecord(b.States)) checkContainer(isRecord(b) ? b : {}, `${stateLocation}/Branches[${i}]`, depth + 1, false, out, names, language);
      });
    }
    for (const field of ["ItemProcessor", "Iterator"] as const) {
      const p = state[field];
      if (state.Type === "Map" && p !== undefined && (!isRecord(p) || !isRecord(p.States))) {
        checkContainer(isRecord(p) ? p : {}, `${stateLocation}/${field}`, depth + 1, false, out, names, language);
      }
    }
  }

  // Transitions stay inside their container: a branch cannot jump out to the machine.
  if (!(container.StartAt in states)) {
    out.push({ code: "MISSING_TRANSITION_TARGET", message: `Missing 'Next' target: ${container.StartAt}`, location: `${location}/StartAt` });
  }
  for (const [name, state] of Object.entries(states)) {
    if (!isRecord(state)) continue;
    for (const t of transitionsOf(state)) {
      if (typeof t.target === "string" && !(t.target in states)) {
        out.push({ code: "MISSING_TRANSITION_TARGET", message: `Missing 'Next' target: ${t.target}`, location: `${location}/States/${name}/${t.field}` });
      }
    }
  }
  const hasTerminal = Object.values(states).some((s) => isRecord(s) && isTerminal(s));
  if (!hasTerminal) {
    // AWS reports this alone, without the unreachable-state walk and without a location.
    out.push({ code: "MISSING_END_STATE", message: "Workflow has no terminal state" });
    return;
  }
  for (const name of unreachableStates(container as unknown as StatesContainer)) {
    out.push({ code: "MISSING_TRANSITION_TARGET", message: `State "${name}" is not reachable.`, location: `${location}/States/${name}` });
  }
}

const CODE_MAP: Record<string, string> = {
  DUPLICATE_STATE_NAMES: "DUPLICATE_STATE_NAME",
  MISSING_TERMINAL_STATE: "MISSING_END_STATE",
  MISSING_TRANSITION_TARGET: "MISSING_TRANSITION_TARGET",
};

// asl-validator compiles its schemas on every call (a few hundred ms), so results are cached
// by definition text; the cache is small and safe to lose.
const aslCache = new Map<string, Diagnostic[]>();
const ASL_CACHE_SIZE = 64;

function aslValidatorDiagnostics(definition: unknown): Diagnostic[] {
  const key = JSON.stringify(definition);
  const hit = aslCache.get(key);
  if (hit) return hit;
  const diagnostics = runAslValidator(definition);
  if (aslCache.size >= ASL_CACHE_SIZE) aslCache.delete(aslCache.keys().next().value as string);
  aslCache.set(key, diagnostics);
  return diagnostics;
}

function runAslValidator(definition: unknown): Diagnostic[] {
  try {
    // asl-validator writes QueryLanguage into the states it sees: give it a copy.
    const result = aslValidator(structuredClone(definition), { checkPaths: true, checkArn: false });
    if (result.isValid) return [];
    const seen = new Set<string>();
    return result.errors
      .map((e): Diagnostic => {
        const location = e.schemaError?.instancePath;
        const message = location ? e.Message.replace(`${location} is invalid. `, "") : e.Message;
        const d: Diagnostic = { code: CODE_MAP[e["Error code"]] ?? "SCHEMA_VALIDATION_FAILED", message };
        if (location !== undefined) d.location = location || "/";
        return d;
      })
      .filter((d) => {
        const key = `${d.code}|${d.message}|${d.location ?? ""}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
  } catch (err) {
    return [{ code: "SCHEMA_VALIDATION_FAILED", message: `The definition could not be validated: ${(err as Error).message}` }];
  }
}

export function validateDefinition(input: unknown, options: ValidateOptions = {}): ValidationResult {
  try {
    const parsed = parseDefinitionInput(input);
    if (!parsed.ok) return { ok: false, error: formatDiagnostics(parsed.diagnostics), diagnostics: parsed.diagnostics };
    const diagnostics: Diagnostic[] = [...parsed.diagnostics];
    const top = parsed.definition as unknown as Record<string, unknown>;
    if (top.QueryLanguage !== undefined && top.QueryLanguage !== "JSONPath" && top.QueryLanguage !== "JSONata") {
      diagnostics.push({ code: "SCHEMA_VALIDATION_FAILED", message: "The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]", location: "/QueryLanguage" });
    }
    checkContainer(top, "", 0, true, diagnostics, new Map(), top.QueryLanguage === "JSONata" ? "JSONata" : "JSONPath");
    if (diagnostics.length === 0 && options.useAslValidator !== false) diagnostics.push(...aslValidatorDiagnostics(parsed.definition));
    if (diagnostics.length > 0) return { ok: false, error: formatDiagnostics(diagnostics), diagnostics };
    return { ok: true, definition: parsed.definition, diagnostics: [] };
  } catch (err) {
    // A bug here must not crash a checker or the sandbox.
    const diagnostics = [{ code: "SCHEMA_VALIDATION_FAILED", message: `The definition could not be validated: ${(err as Error).message}` }];
    return { ok: false, error: formatDiagnostics(diagnostics), diagnostics };
  }
}
