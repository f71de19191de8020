import type { Diagnostic, StateMachineDefinition } from "./types";
import { findDuplicateStateNames } from "./duplicate-keys";

/**
 * Turns a definition given as JSON text or as an object into an object, never throwing.
 * Duplicate keys inside a "States" object only show in the text (JSON.parse keeps the last),
 * so they are looked for there.
 */

// CreateStateMachine's own limit on the definition's length.
export const MAX_DEFINITION_CHARS = 1_048_576;

export type ParseDefinitionResult =
  | { ok: true; definition: StateMachineDefinition; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

export function parseDefinitionInput(input: unknown): ParseDefinitionResult {
  if (input === undefined || input === null || input === "") {
    return { ok: false, diagnostics: [{ code: "MISSING_DESCRIPTION", message: "Received a null or empty workflow input." }] };
  }
  if (typeof input === "string") {
    if (input.length > MAX_DEFINITION_CHARS) {
      return {
        ok: false,
        diagnostics: [{ code: "SCHEMA_VALIDATION_FAILED", message: `Value at 'definition' failed to satisfy constraint: Member must have length less than or equal to ${MAX_DEFINITION_CHARS}` }],
      };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch (err) {
      return { ok: false, diagnostics: [{ code: "INVALID_JSON_DESCRIPTION", message: (err as Error).message }] };
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      return { ok: false, diagnostics: [{ code: "SCHEMA_VALIDATION_FAILED", message: "The definition must be a JSON object at /" }] };
    }
    return { ok: true, definition: parsed as StateMachineDefinition, diagnostics: findDuplicateStateNames(input) };
  }
  if (typeof input !== "object" || Array.isArray(input)) {
    return { ok: false, diagnostics: [{ code: "SCHEMA_VALIDATION_FAILED", message: "The definition must be a JSON object at /" }] };
  }
  return { ok: true, definition: input as StateMachineDefinition, diagnostics: [] };
}
