// EventBridge event pattern compiler. Mirrors AWS event-ruler's JsonRuleCompiler: the same
// structure rules, the same `$or` expansion into branches, and the same error texts, checked in
// the order the streaming compiler meets them. Errors are thrown internally as PatternError and
// turned into a result at the boundary (index.ts), so nothing escapes the module.

import { combineTests, type Condition, type Leaf } from "./conditions";
import { parseCidr } from "./ip";
import { fieldSpec, type FieldSpec } from "./match-engine";
import { parseNumeric } from "./numeric";
import { isFiniteNumber as isNumberLike, isPlainObject, parseValueList } from "./value-list";
import { parseWildcard, wildcardComplexity } from "./wildcard";

export { isPlainObject };

export class PatternError extends Error {}

const fail = (reason: string): never => {
  throw new PatternError(reason);
};

/** EventBridge numbers are comparable only within ±5e9 (event-ruler's ComparableNumber). */
export const NUMERIC_BOUND = 5e9;
const rangeCheck = (n: number): string | null =>
  n < -NUMERIC_BOUND || n > NUMERIC_BOUND ? "Value must be between -5.0E9 and 5.0E9, inclusive" : null;

// Our own bound on `$or` fan-out, so a pathological pattern cannot make compile time explode.
export const MAX_BRANCHES = 1024;
// AWS's limit on simultaneously live wildcard prefixes per field (see wildcard.ts).
const MAX_WILDCARD_COMPLEXITY = 10;

const OPERATORS = [
  "exact", "prefix", "suffix", "numeric", "anything-but", "exists", "cidr", "equals-ignore-case", "wildcard",
];

type Rule = Map<string, Condition[]>;


function only(rest: boolean): void {
  if (rest) fail("Only one key allowed in match expression");
}

function prefixOrSuffixIgnoreCase(obj: Record<string, unknown>, which: "prefix" | "suffix"): Condition {
  const keys = Object.keys(obj);
  const label = which === "prefix" ? "Prefix" : "Suffix";
  if (keys.length === 0) fail(`${label} expression name not found`);
  const op = keys[0] as string;
  if (op !== "equals-ignore-case") fail(`Unsupported ${which} pattern: ${op}`);
  const v = obj[op];
  if (typeof v !== "string") fail("equals-ignore-case match pattern must be a string");
  only(keys.length > 1);
  return { kind: which, value: v as string, ignoreCase: true };
}

type AbKind = "anything-but-ignore-case" | "anything-but-prefix" | "anything-but-suffix" | "anything-but-wildcard";

function anythingButSetValue(v: unknown, kind: AbKind): string {
  if (typeof v !== "string") {
    if (kind === "anything-but-ignore-case") {
      fail("Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.");
    }
    if (kind === "anything-but-wildcard") fail("wildcard match pattern must be a string");
    fail("prefix/suffix match pattern must be a string");
  }
  const s = v as string;
  if ((kind === "anything-but-prefix" || kind === "anything-but-suffix") && s === "") {
    fail("Null prefix/suffix not allowed");
  }
  return s;
}


function anythingBut(value: unknown, outerRest: boolean): Condition {
  const badValue = "Value of anything-but must be an array or single string/number value.";
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) fail("Anything-But expression name not found");
    const op = keys[0] as string;
    const kinds: Record<string, AbKind> = {
      "equals-ignore-case": "anything-but-ignore-case",
      prefix: "anything-but-prefix",
      suffix: "anything-but-suffix",
      wildcard: "anything-but-wildcard",
    };
    const kind = kinds[op];
    if (kind === undefined) return fail(`Unsupported anything-but pattern: ${op}`);
    const inner = value[op];
    if (!Array.isArray(inner) && typeof inner !== "string" && !isNumberLike(inner)) fail(badValue);
    const values = (Array.isArray(inner) ? inner : [inner]).map((v) => anythingButSetValue(v, kind));
    let cond: Condition;
    if (kind === "anything-but-wildcard") {
      const segments = values.map((w) => {
        const p = parseWildcard(w);
        return p.ok ? p.segments : fail(p.reason);
      });
      cond = { kind, values, segments };
    } else {
      cond = { kind, values };
    }
    if (keys.length > 1 || outerRest) fail("Too many elements in numeric expression");
    return cond;
  }
  if (!Array.isArray(value) && typeof value !== "string" && !isNumberLike(value)) fail(badValue);
  let values: Leaf[];
  if (Array.isArray(value)) {
    let hasNumber = false;
    let hasString = false;
    values = value.map((v) => {
      if (typeof v === "string") {
        hasString = true;
        return v;
      }
      if (isNumberLike(v)) {
        const r = rangeCheck(v);
        if (r) fail(r);
        hasNumber = true;
        return v;
      }
      return fail("Inside anything but list, start|null|boolean is not supported.");
    });
    if (hasNumber === hasString) {
      fail("Inside anything but list, either all values are number or string, mixed type is not supported");
    }
  } else {
    if (isNumberLike(value)) {
      const r = rangeCheck(value);
      if (r) fail(r);
    }
    values = [value as Leaf];
  }
  if (outerRest) fail("Too many elements in numeric expression");
  return { kind: "anything-but", values };
}

function matchExpression(obj: Record<string, unknown>): Condition {
  const keys = Object.keys(obj);
  if (keys.length === 0) fail("Match expression name not found");
  const name = keys[0] as string;
  const value = obj[name];
  const rest = keys.length > 1;
  switch (name) {
    case "exact":
      if (typeof value !== "string") fail("exact match pattern must be a string");
      only(rest);
      return { kind: "exact", value: value as string };
    case "prefix":
    case "suffix": {
      if (isPlainObject(value)) {
        const c = prefixOrSuffixIgnoreCase(value, name);
        only(rest);
        return c;
      }
      if (typeof value !== "string") fail(`${name} match pattern must be a string`);
      only(rest);
      return { kind: name, value: value as string, ignoreCase: false };
    }
    case "numeric": {
      if (!Array.isArray(value)) fail("Value of numeric must be an array.");
      const r = parseNumeric(value as unknown[], rangeCheck);
      if (!r.ok) fail(r.reason);
      if (rest) fail("Too many elements in numeric expression");
      return (r as { cond: Condition }).cond;
    }
    case "anything-but":
      return anythingBut(value, rest);
    case "exists":
      if (value !== true && value !== false) fail("exists match pattern must be either true or false.");
      only(rest);
      return { kind: "exists", value: value as boolean };
    case "cidr": {
      if (typeof value !== "string") fail("prefix match pattern must be a string");
      const c = parseCidr(value as string);
      if (!c.ok) return fail(c.reason);
      only(rest);
      return { kind: "cidr", text: value as string, range: c.range };
    }
    case "equals-ignore-case":
      if (typeof value !== "string") fail("equals-ignore-case match pattern must be a string");
      only(rest);
      return { kind: "equals-ignore-case", value: value as string };
    case "wildcard": {
      if (typeof value !== "string") fail("wildcard match pattern must be a string");
      const p = parseWildcard(value as string);
      if (!p.ok) return fail(p.reason);
      only(rest);
      return { kind: "wildcard", value: value as string, segments: p.segments };
    }
    default:
      return fail(`Unrecognized match type ${name}`);
  }
}

function valueList(arr: unknown[]): Condition[] {
  return parseValueList(arr, matchExpression, fail);
}

function writeRules(rules: Rule[], name: string, arr: unknown[]): void {
  const values = valueList(arr);
  if (rules.length === 0) rules.push(new Map());
  for (const r of rules) r.set(name, values);
}

function parseObject(obj: Record<string, unknown>, path: string[], rules: Rule[], inOr: boolean): void {
  const keys = Object.keys(obj);
  if (keys.length === 0) fail("Empty objects are not allowed");
  for (const key of keys) {
    const v = obj[key];
    if (key === "$or") {
      parseOr(v, path, rules);
      continue;
    }
    if (inOr && OPERATORS.includes(key)) fail(`${key} is Ruler reserved fieldName which cannot be used inside $or.`);
    if (isPlainObject(v)) parseObject(v, [...path, key], rules, inOr);
    else if (Array.isArray(v)) writeRules(rules, [...path, key].join("."), v);
    else fail(`"${key}" must be an object or an array`);
  }
}

function parseOr(v: unknown, path: string[], rules: Rule[]): void {
  const current = rules.map((r) => new Map(r));
  rules.length = 0;
  if (!Array.isArray(v)) return fail("It must be an Array followed with $or.");
  let count = 0;
  for (const el of v) {
    count++;
    if (!isPlainObject(el)) fail("Only JSON object is allowed in array of $or relationship.");
    const branch = current.map((r) => new Map(r));
    if (branch.length === 0) branch.push(new Map());
    parseObject(el as Record<string, unknown>, path, branch, true);
    rules.push(...branch);
    if (rules.length > MAX_BRANCHES) fail(`Too many $or combinations (more than ${MAX_BRANCHES})`);
  }
  if (count < 2) fail("There must have at least 2 Objects in $or relationship.");
}

export type CompiledField = FieldSpec & { path: string; conditions: Condition[] };

/** Compiles an already-parsed pattern value; throws PatternError with AWS's reason text. */
export function compileValue(pattern: unknown): CompiledField[][] {
  if (!isPlainObject(pattern)) fail("Filter is not an object");
  const rules: Rule[] = [];
  parseObject(pattern as Record<string, unknown>, [], rules, false);
  return rules.map((rule) =>
    [...rule.entries()].map(([path, conditions]) => {
      const wildcards = conditions.flatMap((c) =>
        c.kind === "wildcard" ? [{ identity: JSON.stringify(c), wildcards: [c.value] }]
        : c.kind === "anything-but-wildcard" ? [{ identity: JSON.stringify(c), wildcards: c.values }]
        : [],
      );
      if (wildcards.length && wildcardComplexity(wildcards, MAX_WILDCARD_COMPLEXITY) > MAX_WILDCARD_COMPLEXITY) {
        fail(
          "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character",
        );
      }
      return {
        path,
        conditions,
        ...fieldSpec(path),
        test: combineTests(conditions, { numericBound: NUMERIC_BOUND }),
        existsTrue: conditions.some((c) => c.kind === "exists" && c.value),
        existsFalse: conditions.some((c) => c.kind === "exists" && !c.value),
      };
    }),
  );
}
