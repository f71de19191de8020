import type { Diagnostic, StateDefinition } from "./types";
import { ALL_OPERATORS } from "./choice";
import { isIntrinsic } from "./intrinsics";
import { isValidPath, parseReferencePath } from "./paths";

/**
 * Per-state field checks with the wording Step Functions uses for SCHEMA_VALIDATION_FAILED:
 * required and unsupported fields, Next/End, Wait durations, Retry/Catch, Choice rules and
 * paths. They run before asl-validator so a learner sees AWS's text for the usual mistakes.
 */

const TYPES = ["Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"];
const COMMON = ["Type", "Comment", "QueryLanguage", "Assign"];
const IO = ["InputPath", "OutputPath"];
const FIELDS: Record<string, string[]> = {
  Pass: [...IO, "Next", "End", "Parameters", "ResultPath", "Result"],
  Task: [...IO, "Next", "End", "Resource", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials"],
  Choice: [...IO, "Choices", "Default"],
  Wait: [...IO, "Next", "End", "Seconds", "SecondsPath", "Timestamp", "TimestampPath"],
  Succeed: [...IO],
  Fail: ["Error", "ErrorPath", "Cause", "CausePath"],
  Parallel: [...IO, "Next", "End", "Branches", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch"],
  Map: [...IO, "Next", "End", "Iterator", "ItemProcessor", "ItemsPath", "ItemSelector", "Parameters", "MaxConcurrency", "MaxConcurrencyPath", "ResultPath", "ResultSelector", "Retry", "Catch", "ItemReader", "ItemBatcher", "ResultWriter", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "ToleratedFailureCount", "ToleratedFailureCountPath", "Label"],
};
// Fields of the JSONata query language, refused under JSONPath, and the other way round.
const JSONATA_FIELDS: Record<string, string[]> = {
  Task: ["Arguments", "Output"], Pass: ["Output"], Choice: ["Output"], Wait: ["Output"], Succeed: ["Output"],
  Fail: [], Parallel: ["Arguments", "Output"], Map: ["Items", "Arguments", "Output"],
};
const JSONPATH_ONLY = new Set([
  "InputPath", "OutputPath", "ResultPath", "ResultSelector", "Parameters", "Result", "ItemsPath", "SecondsPath", "TimestampPath",
  "ErrorPath", "CausePath", "TimeoutSecondsPath", "HeartbeatSecondsPath", "MaxConcurrencyPath",
  "ToleratedFailurePercentagePath", "ToleratedFailureCountPath",
]);

export type QueryLanguage = "JSONPath" | "JSONata";

const PATH_FIELDS = ["InputPath", "OutputPath", "ResultPath", "ItemsPath", "SecondsPath", "TimestampPath", "ErrorPath", "CausePath", "TimeoutSecondsPath", "HeartbeatSecondsPath", "MaxConcurrencyPath"];
// Paths that may be null (null has a meaning there: discard).
const NULLABLE_PATHS = new Set(["InputPath", "OutputPath", "ResultPath"]);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const schema = (message: string, location: string): Diagnostic => ({ code: "SCHEMA_VALIDATION_FAILED", message, location });

/** ResultPath may only write to plain names (and indices), never `$$` or wildcards. */
function isReferencePath(path: string): boolean {
  return !path.startsWith("$$") && parseReferencePath(path) !== undefined;
}

function checkPayloadTemplate(template: unknown, location: string, out: Diagnostic[], depth = 0): void {
  if (depth > 32 || !isRecord(template)) {
    if (Array.isArray(template)) template.forEach((v, i) => checkPayloadTemplate(v, `${location}[${i}]`, out, depth + 1));
    return;
  }
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith(".$")) {
      const ok = typeof value === "string" && (isIntrinsic(value) || (value.startsWith("$") && isValidPath(value)));
      if (!ok) out.push(schema(`The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call`, location));
    } else {
      checkPayloadTemplate(value, `${location}/${key}`, out, depth + 1);
    }
  }
}

function checkErrorHandlers(state: StateDefinition, field: "Retry" | "Catch", location: string, out: Diagnostic[]): void {
  const list = state[field];
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    out.push(schema(`The value for the field '${field}' must be an ARRAY`, `${location}/${field}`));
    return;
  }
  list.forEach((entry, i) => {
    const at = `${location}/${field}[${i}]`;
    if (!isRecord(entry)) return void out.push(schema(`The value must be an OBJECT`, at));
    const allowed = field === "Retry"
      ? ["ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment"]
      : ["ErrorEquals", "Next", "ResultPath", "Comment", "Assign", "Output"];
    for (const key of Object.keys(entry)) if (!allowed.includes(key)) out.push(schema(`Field '${key}' is not supported`, at));
    const required = field === "Catch" ? ["ErrorEquals", "Next"] : ["ErrorEquals"];
    const missing = required.filter((k) => entry[k] === undefined);
    if (missing.length > 0) out.push(schema(`These fields are required: [${missing.join(", ")}]`, at));
    const errors = entry.ErrorEquals;
    if (errors !== undefined && (!Array.isArray(errors) || errors.length === 0 || !errors.every((e) => typeof e === "string"))) {
      out.push(schema("The value for the field 'ErrorEquals' must be a non-empty ARRAY of STRING", `${at}/ErrorEquals`));
    } else if (Array.isArray(errors) && errors.includes("States.ALL") && (errors.length > 1 || i !== list.length - 1)) {
      out.push(schema(`Error name 'States.ALL' must be alone in ErrorEquals and in the last ${field === "Retry" ? "Retrier" : "Catcher"}`, `${at}/ErrorEquals`));
    }
    for (const num of ["IntervalSeconds", "MaxAttempts", "MaxDelaySeconds"] as const) {
      const v = entry[num];
      if (v !== undefined && (typeof v !== "number" || !Number.isInteger(v) || v < (num === "MaxAttempts" ? 0 : 1))) {
        out.push(schema(`The value for the field '${num}' must be ${num === "MaxAttempts" ? "a non-negative" : "a positive"} INTEGER`, `${at}/${num}`));
      }
    }
    if (entry.BackoffRate !== undefined && (typeof entry.BackoffRate !== "number" || entry.BackoffRate < 1)) {
      out.push(schema("The value for the field 'BackoffRate' must be a NUMBER of at least 1.0", `${at}/BackoffRate`));
    }
    if (field === "Catch" && entry.ResultPath !== undefined && entry.ResultPath !== null && (typeof entry.ResultPath !== "string" || !isReferencePath(entry.ResultPath))) {
      out.push(schema("The value for the field 'ResultPath' must be a valid JSONPath", `${at}/ResultPath`));
    }
  });
}

function checkChoiceRule(rule: unknown, location: string, topLevel: boolean, out: Diagnostic[], depth = 0): void {
  if (depth > 32) return;
  if (!isRecord(rule)) return void out.push(schema("The value must be an OBJECT", location));
  if (topLevel && rule.Next === undefined) out.push(schema("These fields are required: [Next]", location));
  if (!topLevel && rule.Next !== undefined) out.push(schema("Field 'Next' is not supported", location));
  for (const compound of ["And", "Or"] as const) {
    if (rule[compound] === undefined) continue;
    const list = rule[compound];
    if (!Array.isArray(list) || list.length === 0) out.push(schema(`The value for the field '${compound}' must be a non-empty ARRAY`, `${location}/${compound}`));
    else list.forEach((r, i) => checkChoiceRule(r, `${location}/${compound}[${i}]`, false, out, depth + 1));
    return;
  }
  if (rule.Not !== undefined) return checkChoiceRule(rule.Not, `${location}/Not`, false, out, depth + 1);
  const ops = ALL_OPERATORS.filter((op) => op in rule);
  if (ops.length !== 1) {
    out.push(schema(ops.length === 0 ? "A choice rule must have exactly one comparison operator" : `Only one comparison operator is allowed, found: [${ops.join(", ")}]`, location));
    return;
  }
  const op = ops[0] as string;
  if (typeof rule.Variable !== "string") out.push(schema("These fields are required: [Variable]", location));
  else if (!isValidPath(rule.Variable)) out.push(schema("The value for the field 'Variable' must be a valid JSONPath", `${location}/Variable`));
  const value = rule[op];
  const expected = op.endsWith("Path") ? "path" : op.startsWith("Numeric") ? "number" : op.startsWith("String") || op.startsWith("Timestamp") ? "string" : "boolean";
  const ok = expected === "path" ? typeof value === "string" && isValidPath(value) : typeof value === expected;
  if (!ok) out.push(schema(`The value for the field '${op}' must be ${expected === "path" ? "a valid JSONPath" : `a ${expected.toUpperCase()}`}`, `${location}/${op}`));
}

/** A state's query language: its own QueryLanguage, else the machine's (branches and processors inherit the machine's). */
export function effectiveQueryLanguage(state: Record<string, unknown>, machineDefault: QueryLanguage): QueryLanguage {
  if (state.QueryLanguage === undefined) return machineDefault;
  return state.QueryLanguage === "JSONPath" ? "JSONPath" : "JSONata";
}

export function checkState(name: string, state: unknown, location: string, out: Diagnostic[], machineLanguage: QueryLanguage = "JSONPath"): void {
  if (!isRecord(state)) return void out.push(schema("The value must be an OBJECT", location));
  if (name.length > 80) out.push({ code: "INVALID_STATE_NAME", message: `State name '${name.slice(0, 20)}...' is longer than 80 characters`, location });
  const type = state.Type;
  if (type === undefined) return void out.push(schema("These fields are required: [Type]", location));
  if (typeof type !== "string" || !TYPES.includes(type)) {
    return void out.push(schema(`The field 'Type' should have one of these values: [${TYPES.join(", ")}]`, `${location}/Type`));
  }
  const language = effectiveQueryLanguage(state, machineLanguage);
  if (state.QueryLanguage !== undefined && state.QueryLanguage !== "JSONPath" && state.QueryLanguage !== "JSONata") {
    out.push(schema("The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]", `${location}/QueryLanguage`));
  }
  if (machineLanguage === "JSONata" && state.QueryLanguage === "JSONPath") {
    out.push(schema("'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", location));
  }
  const jsonataFields = JSONATA_FIELDS[type] ?? [];
  const allowed = new Set([...COMMON, ...(FIELDS[type] ?? []), ...jsonataFields]);
  for (const key of Object.keys(state)) {
    if (language === "JSONPath" && jsonataFields.includes(key)) {
      out.push(schema(`The QueryLanguage is set to 'JSONPath', but field '${key}' is only supported for the 'JSONata' QueryLanguage`, location));
    } else if (language === "JSONata" && JSONPATH_ONLY.has(key) && allowed.has(key)) {
      out.push(schema(`The QueryLanguage is set to 'JSONata', but field '${key}' is only supported for the 'JSONPath' QueryLanguage`, location));
    } else if (!allowed.has(key)) {
      out.push(schema(`Field '${key}' is not supported`, location));
    }
  }
  if (language === "JSONata") return checkJsonataState(state, type, location, out);

  const required: string[] = [];
  if (type === "Task" && state.Resource === undefined) required.push("Resource");
  if (type === "Choice" && state.Choices === undefined) required.push("Choices");
  if (type === "Parallel" && state.Branches === undefined) required.push("Branches");
  if (required.length > 0) out.push(schema(`These fields are required: [${required.join(", ")}]`, location));
  if (type === "Map" && state.ItemProcessor === undefined && state.Iterator === undefined) {
    out.push(schema("Exactly one of these fields is required: [ItemProcessor, Iterator]", location));
  }

  if (["Task", "Pass", "Wait", "Parallel", "Map"].includes(type)) {
    const hasNext = state.Next !== undefined;
    const hasEnd = state.End !== undefined;
    if (hasNext === hasEnd) {
      out.push(schema(hasNext ? "Only one of these fields is allowed: [Next, End]" : "Exactly one of these fields is required: [Next, End]", location));
    }
    if (hasEnd && state.End !== true) out.push(schema("The value for the field 'End' must be true", `${location}/End`));
    if (hasNext && typeof state.Next !== "string") out.push(schema("The value for the field 'Next' must be a STRING", `${location}/Next`));
  }
  if (type === "Task") {
    const r = state.Resource;
    if (r !== undefined && (typeof r !== "string" || !/^arn:aws[a-z-]*:[a-z0-9-]+:[^:]*:[^:]*:.+$/.test(r))) {
      out.push({ code: "INVALID_RESOURCE", message: `Value is not a valid resource ARN: ${JSON.stringify(r)}`, location: `${location}/Resource` });
    }
    if (state.TimeoutSeconds !== undefined && (typeof state.TimeoutSeconds !== "number" || !Number.isInteger(state.TimeoutSeconds) || state.TimeoutSeconds < 1)) {
      out.push(schema("The value for the field 'TimeoutSeconds' must be a positive INTEGER", `${location}/TimeoutSeconds`));
    }
  }
  if (type === "Wait") {
    const given = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"].filter((k) => state[k] !== undefined);
    if (given.length !== 1) out.push(schema("Exactly one of these fields is required: [Seconds, SecondsPath, Timestamp, TimestampPath]", location));
    if (state.Seconds !== undefined && (typeof state.Seconds !== "number" || !Number.isInteger(state.Seconds) || state.Seconds < 0)) {
      out.push(schema("The value for the field 'Seconds' must be a non-negative INTEGER", `${location}/Seconds`));
    }
    if (state.Timestamp !== undefined && (typeof state.Timestamp !== "string" || Number.isNaN(Date.parse(state.Timestamp)))) {
      out.push(schema("The value for the field 'Timestamp' must be an ISO-8601 extended offset date-time format string", `${location}/Timestamp`));
    }
  }
  if (type === "Choice") {
    if (state.Choices !== undefined && (!Array.isArray(state.Choices) || state.Choices.length === 0)) {
      out.push(schema("The value for the field 'Choices' must be a non-empty ARRAY", `${location}/Choices`));
    } else if (Array.isArray(state.Choices)) {
      state.Choices.forEach((rule, i) => checkChoiceRule(rule, `${location}/Choices[${i}]`, true, out));
    }
  }
  if (type === "Parallel" && state.Branches !== undefined && (!Array.isArray(state.Branches) || state.Branches.length === 0)) {
    out.push(schema("The value for the field 'Branches' must be a non-empty ARRAY", `${location}/Branches`));
  }
  if (type === "Map" && state.MaxConcurrency !== undefined && (typeof state.MaxConcurrency !== "number" || !Number.isInteger(state.MaxConcurrency) || state.MaxConcurrency < 0)) {
    out.push(schema("Minimum value is 0", `${location}/MaxConcurrency`));
  }

  for (const field of PATH_FIELDS) {
    const v = state[field];
    if (v === undefined || (v === null && NULLABLE_PATHS.has(field))) continue;
    const ok = typeof v === "string" && (field === "ResultPath" ? isReferencePath(v) : isValidPath(v));
    if (!ok) out.push(schema(`The value for the field '${field}' must be a valid JSONPath`, `${location}/${field}`));
  }
  for (const field of ["ResultSelector", "ItemSelector"]) {
    if (state[field] !== undefined && !isRecord(state[field])) out.push(schema(`The value for the field '${field}' must be an OBJECT`, `${location}/${field}`));
  }
  for (const field of ["Parameters", "ResultSelector", "ItemSelector"]) {
    if (state[field] !== undefined) checkPayloadTemplate(state[field], `${location}/${field}`, out);
  }
  checkErrorHandlers(state as StateDefinition, "Retry", location, out);
  checkErrorHandlers(state as StateDefinition, "Catch", location, out);
}

/**
 * JSONata states: their expressions are strings AWS parses itself, so only the structure is
 * checked here (required fields, Next/End, choice rules with Condition); asl-validator then
 * parses the expressions.
 */
function checkJsonataState(state: Record<string, unknown>, type: string, location: string, out: Diagnostic[]): void {
  const required: string[] = [];
  if (type === "Task" && state.Resource === undefined) required.push("Resource");
  if (type === "Choice" && state.Choices === undefined) required.push("Choices");
  if (type === "Parallel" && state.Branches === undefined) required.push("Branches");
  if (required.length > 0) out.push(schema(`These fields are required: [${required.join(", ")}]`, location));
  if (["Task", "Pass", "Wait", "Parallel", "Map"].includes(type) && (state.Next !== undefined) === (state.End !== undefined)) {
    out.push(schema(state.Next !== undefined ? "Only one of these fields is allowed: [Next, End]" : "Exactly one of these fields is required: [Next, End]", location));
  }
  if (type === "Choice" && Array.isArray(state.Choices)) {
    state.Choices.forEach((rule, i) => {
      const missing = ["Condition", "Next"].filter((k) => !isRecord(rule) || rule[k] === undefined);
      if (missing.length > 0) out.push(schema(`These fields are required: [${missing.join(", ")}]`, `${location}/Choices[${i}]`));
    });
  }
  checkErrorHandlers(state as StateDefinition, "Retry", location, out);
  checkErrorHandlers(state as StateDefinition, "Catch", location, out);
}
