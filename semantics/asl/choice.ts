import { runtimeError } from "./errors";
import { readPath } from "./paths";

/**
 * Choice rules: comparison operators (and their *Path forms, which compare with another
 * value of the input), the type tests, and And/Or/Not. A comparison against a value of
 * the wrong type is false; a Variable that is not in the input is States.Runtime, except
 * for IsPresent, as on AWS.
 */

type Rule = Record<string, unknown>;

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export const COMPARISON_OPERATORS = [
  "StringEquals", "StringLessThan", "StringGreaterThan", "StringLessThanEquals", "StringGreaterThanEquals", "StringMatches",
  "NumericEquals", "NumericLessThan", "NumericGreaterThan", "NumericLessThanEquals", "NumericGreaterThanEquals",
  "BooleanEquals",
  "TimestampEquals", "TimestampLessThan", "TimestampGreaterThan", "TimestampLessThanEquals", "TimestampGreaterThanEquals",
  "IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp",
] as const;

const PATH_OPERATORS = COMPARISON_OPERATORS.filter((op) => !op.startsWith("Is") && op !== "StringMatches").map((op) => `${op}Path`);
export const ALL_OPERATORS: readonly string[] = [...COMPARISON_OPERATORS, ...PATH_OPERATORS];

export function ruleOperator(rule: Rule): string | undefined {
  if ("And" in rule) return "And";
  if ("Or" in rule) return "Or";
  if ("Not" in rule) return "Not";
  return ALL_OPERATORS.find((op) => op in rule);
}

function isTimestamp(v: unknown): v is string {
  return typeof v === "string" && TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v));
}

/** StringMatches: `*` is any run of characters; `\*` and `\\` are literal. */
function stringMatches(value: string, pattern: string): boolean {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? "";
    if (ch === "\\" && (pattern[i + 1] === "*" || pattern[i + 1] === "\\")) source += `\\${pattern[++i]}`;
    else if (ch === "*") source += "[\\s\\S]*";
    else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "u").test(value);
}

function compare(kind: string, a: unknown, b: unknown): number | undefined {
  if (kind === "String" && typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (kind === "Numeric" && typeof a === "number" && typeof b === "number") return a - b;
  if (kind === "Timestamp" && isTimestamp(a) && isTimestamp(b)) return Date.parse(a) - Date.parse(b);
  return undefined;
}

function test(op: string, value: unknown, operand: unknown): boolean {
  switch (op) {
    case "IsNull": return (value === null) === operand;
    case "IsNumeric": return (typeof value === "number") === operand;
    case "IsString": return (typeof value === "string") === operand;
    case "IsBoolean": return (typeof value === "boolean") === operand;
    case "IsTimestamp": return isTimestamp(value) === operand;
    case "BooleanEquals": return typeof value === "boolean" && value === operand;
    case "StringMatches": return typeof value === "string" && typeof operand === "string" && stringMatches(value, operand);
  }
  const m = /^(String|Numeric|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)$/.exec(op);
  if (!m) return false;
  const c = compare(m[1] ?? "", value, operand);
  if (c === undefined) return false;
  switch (m[2]) {
    case "Equals": return c === 0;
    case "LessThan": return c < 0;
    case "GreaterThan": return c > 0;
    case "LessThanEquals": return c <= 0;
    default: return c >= 0;
  }
}

export function evaluateRule(rule: Rule, input: unknown, context: unknown): boolean {
  if (Array.isArray(rule.And)) return (rule.And as Rule[]).every((r) => evaluateRule(r, input, context));
  if (Array.isArray(rule.Or)) return (rule.Or as Rule[]).some((r) => evaluateRule(r, input, context));
  if (typeof rule.Not === "object" && rule.Not !== null) return !evaluateRule(rule.Not as Rule, input, context);
  const op = ruleOperator(rule);
  const variable = rule.Variable;
  if (!op || typeof variable !== "string") throw runtimeError("The choice rule has no Variable or no comparison operator.");
  const r = readPath(variable, input, context);
  if (op === "IsPresent") return r.found === rule.IsPresent;
  if (!r.found) {
    throw runtimeError(`Invalid path '${variable}': The choice state's condition path references an invalid value.`);
  }
  let operand = rule[op];
  let base = op;
  if (op.endsWith("Path")) {
    base = op.slice(0, -4);
    const other = readPath(String(operand), input, context);
    if (!other.found) {
      throw runtimeError(`Invalid path '${String(operand)}': The choice state's condition path references an invalid value.`);
    }
    operand = other.value;
  }
  return test(base, r.value, operand);
}
