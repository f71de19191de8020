// Reads a filter policy into `$or`-expanded branches of (key, conditions), with SNS's texts.
//
// SNS runs an older build of AWS's rule engine than EventBridge, so the operator set differs:
// no `wildcard`, no `{"prefix": {"equals-ignore-case": ...}}`, and `anything-but` accepts only a
// nested `prefix` ("Unsupported anything-but pattern: suffix" was recorded from SNS). Problems are
// reported in the order the streaming parser meets them, as AWS does.

import type { Condition, Leaf } from "../event-pattern/conditions";
import { parseCidr } from "../event-pattern/ip";
import { parseNumeric } from "../event-pattern/numeric";
import { isFiniteNumber as isNum, isPlainObject, parseValueList } from "../event-pattern/value-list";

export { isPlainObject };
import { PolicyError } from "./errors";

export type Scope = "MessageAttributes" | "MessageBody";

export type PolicyKey = { path: string; conditions: Condition[]; source: unknown[] };
type Rule = Map<string, PolicyKey>;

const fail = (reason: string, unlabeled = false): never => {
  throw new PolicyError(reason, unlabeled);
};

// Our bound on `$or` fan-out; the 150-combination limit rejects long before this in practice.
const MAX_BRANCHES = 1024;



function anythingBut(value: unknown, outerRest: boolean): Condition {
  let cond: Condition;
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) fail("Anything-But expression name not found");
    const op = keys[0] as string;
    if (op !== "prefix") fail(`Unsupported anything-but pattern: ${op}`);
    const p = value[op];
    if (typeof p !== "string") fail("prefix match pattern must be a string");
    if (keys.length > 1) fail("Only one key allowed in match expression");
    cond = { kind: "anything-but-prefix", values: [p as string] };
  } else if (Array.isArray(value)) {
    let hasNumber = false;
    let hasString = false;
    const values = value.map((v): Leaf => {
      if (typeof v === "string") hasString = true;
      else if (isNum(v)) hasNumber = true;
      else fail("Inside anything but list, start|null|boolean is not supported.");
      return v as Leaf;
    });
    if (hasNumber === hasString) {
      fail("Inside anything but list, either all values are number or string, mixed type is not supported");
    }
    cond = { kind: "anything-but", values };
  } else if (typeof value === "string" || isNum(value)) {
    cond = { kind: "anything-but", values: [value] };
  } else {
    return fail("Value of anything-but must be an array or single string/number value.");
  }
  if (outerRest) fail("Too many elements in numeric expression");
  return cond;
}

function matchExpression(obj: Record<string, unknown>): Condition {
  const keys = Object.keys(obj);
  if (keys.length === 0) fail("Match expression name not found");
  const name = keys[0] as string;
  const value = obj[name];
  const rest = keys.length > 1;
  const only = () => {
    if (rest) fail("Only one key allowed in match expression");
  };
  switch (name) {
    case "prefix":
    case "suffix":
      if (typeof value !== "string") fail(`${name} match pattern must be a string`);
      only();
      return { kind: name, value: value as string, ignoreCase: false };
    case "equals-ignore-case":
      if (typeof value !== "string") fail("equals-ignore-case match pattern must be a string");
      only();
      return { kind: "equals-ignore-case", value: value as string };
    case "anything-but":
      return anythingBut(value, rest);
    case "numeric": {
      if (!Array.isArray(value)) fail("Value of numeric must be an array.");
      const r = parseNumeric(value as unknown[]);
      if (!r.ok) return fail(r.reason);
      if (rest) fail("Too many elements in numeric expression");
      return r.cond;
    }
    case "exists":
      if (typeof value !== "boolean") fail("exists match pattern must be either true or false.");
      only();
      return { kind: "exists", value: value as boolean };
    case "cidr": {
      if (typeof value !== "string") fail("prefix match pattern must be a string");
      const c = parseCidr(value as string);
      if (!c.ok) return fail(c.reason);
      only();
      return { kind: "cidr", text: value as string, range: c.range };
    }
    default:
      return fail(`Unrecognized match type ${name}`);
  }
}

function valueList(arr: unknown[]): Condition[] {
  return parseValueList(arr, matchExpression, fail);
}

function parseObject(obj: Record<string, unknown>, path: string[], rules: Rule[]): void {
  const keys = Object.keys(obj);
  if (keys.length === 0) fail("Empty objects are not allowed");
  for (const key of keys) {
    const v = obj[key];
    if (key === "$or") {
      parseOr(v, path, rules);
      continue;
    }
    if (isPlainObject(v)) {
      // Nesting is legal syntax; whether the scope allows it is checked after parsing, as SNS
      // reports a malformed nested value before it reports the nesting itself.
      parseObject(v, [...path, key], rules);
    } else if (Array.isArray(v)) {
      const name = [...path, key].join(".");
      const entry: PolicyKey = { path: name, conditions: valueList(v), source: v };
      if (rules.length === 0) rules.push(new Map());
      for (const r of rules) r.set(name, entry);
    } else {
      fail(`"${key}" must be an object or an array`);
    }
  }
}

function parseOr(v: unknown, path: string[], rules: Rule[]): void {
  const current = rules.map((r) => new Map(r));
  rules.length = 0;
  if (!Array.isArray(v)) return fail("It must be an Array followed with $or.");
  for (const el of v) {
    if (!isPlainObject(el)) fail("Only JSON object is allowed in array of $or relationship.");
    const branch = current.map((r) => new Map(r));
    if (branch.length === 0) branch.push(new Map());
    parseObject(el as Record<string, unknown>, path, branch);
    rules.push(...branch);
    if (rules.length > MAX_BRANCHES) fail("Filter policy is too complex");
  }
  if (v.length < 2) fail("There must have at least 2 Objects in $or relationship.");
}

/** Branches of keys; an empty policy `{}` has no branches and matches every message. */
export function parsePolicy(policy: Record<string, unknown>): PolicyKey[][] {
  if (Object.keys(policy).length === 0) return [];
  const rules: Rule[] = [];
  parseObject(policy, [], rules);
  return rules.map((r) => [...r.values()]);
}

/** True when some key (outside `$or`) holds an object: a nested policy. */
export function isNested(obj: Record<string, unknown>): boolean {
  for (const [key, v] of Object.entries(obj)) {
    if (key === "$or" && Array.isArray(v)) {
      if (v.some((b) => isPlainObject(b) && isNested(b))) return true;
    } else if (isPlainObject(v)) return true;
  }
  return false;
}
