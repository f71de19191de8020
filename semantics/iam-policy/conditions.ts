import type { ConditionClause, ContextValue } from "./types";
import { arnMatch, wildcardMatch } from "./wildcard";
import { substituteVariables, stripEscapes } from "./variables";

/**
 * Condition operators as the IAM evaluation logic defines them. A clause holds when the
 * request's value for the key matches any of the policy values (or, for the negated
 * operators, none of them). A missing key fails a clause, except for negated operators,
 * IfExists forms and Null, as AWS documents.
 */

type Scalar = string | number | boolean;
type Matcher = (contextValue: Scalar, policyValue: Scalar) => boolean;

interface OperatorSpec {
  match: Matcher;
  negated: boolean;
  /** Words for a hint: "requires aws:SourceArn <verb> <values>". */
  verb: string;
}

const asString = (v: Scalar): string => String(v);

function asNumber(v: Scalar): number | undefined {
  if (typeof v === "boolean") return undefined;
  const n = typeof v === "number" ? v : v.trim() === "" ? NaN : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function asDate(v: Scalar): number | undefined {
  if (typeof v === "boolean") return undefined;
  if (typeof v === "number" || /^\d+$/.test(v)) return Number(v) * 1000; // epoch seconds
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

function numeric(cmp: (a: number, b: number) => boolean): Matcher {
  return (c, p) => {
    const a = asNumber(c);
    const b = asNumber(p);
    return a !== undefined && b !== undefined && cmp(a, b);
  };
}

function date(cmp: (a: number, b: number) => boolean): Matcher {
  return (c, p) => {
    const a = asDate(c);
    const b = asDate(p);
    return a !== undefined && b !== undefined && cmp(a, b);
  };
}

function stringLike(c: Scalar, p: Scalar): boolean {
  const pattern = asString(p);
  // `${*}` produced a literal star: compare literally on that value.
  if (pattern.includes("\u0000")) return stripEscapes(pattern) === asString(c);
  return wildcardMatch(pattern, asString(c));
}

function ipToBigInt(ip: string): { value: bigint; bits: number } | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) {
    const parts = ip.split(".").map(Number);
    if (parts.some((n) => n > 255)) return undefined;
    return { value: parts.reduce((acc, n) => (acc << 8n) | BigInt(n), 0n), bits: 32 };
  }
  if (ip.includes(":")) {
    const [head = "", tail] = ip.split("::");
    const h = head ? head.split(":") : [];
    const t = tail !== undefined && tail !== "" ? tail.split(":") : [];
    if (tail === undefined && h.length !== 8) return undefined;
    const groups = [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
    if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
    return { value: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n), bits: 128 };
  }
  return undefined;
}

function ipInCidr(c: Scalar, p: Scalar): boolean {
  const [base = "", prefixText] = asString(p).split("/");
  const ip = ipToBigInt(asString(c));
  const net = ipToBigInt(base);
  if (!ip || !net || ip.bits !== net.bits) return false;
  const prefix = prefixText === undefined ? net.bits : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > net.bits) return false;
  const shift = BigInt(net.bits - prefix);
  return ip.value >> shift === net.value >> shift;
}

const OPERATORS: Record<string, OperatorSpec> = {
  StringEquals: { match: (c, p) => asString(c) === asString(p), negated: false, verb: "to equal" },
  StringNotEquals: { match: (c, p) => asString(c) === asString(p), negated: true, verb: "not to equal" },
  StringEqualsIgnoreCase: {
    match: (c, p) => asString(c).toLowerCase() === asString(p).toLowerCase(), negated: false, verb: "to equal (ignoring case)",
  },
  StringNotEqualsIgnoreCase: {
    match: (c, p) => asString(c).toLowerCase() === asString(p).toLowerCase(), negated: true, verb: "not to equal (ignoring case)",
  },
  StringLike: { match: stringLike, negated: false, verb: "to match" },
  StringNotLike: { match: stringLike, negated: true, verb: "not to match" },
  // AWS documents ArnEquals and ArnLike as the same part-by-part wildcard comparison.
  ArnEquals: { match: (c, p) => arnMatch(asString(p), asString(c)), negated: false, verb: "to equal" },
  ArnLike: { match: (c, p) => arnMatch(asString(p), asString(c)), negated: false, verb: "to match" },
  ArnNotEquals: { match: (c, p) => arnMatch(asString(p), asString(c)), negated: true, verb: "not to equal" },
  ArnNotLike: { match: (c, p) => arnMatch(asString(p), asString(c)), negated: true, verb: "not to match" },
  NumericEquals: { match: numeric((a, b) => a === b), negated: false, verb: "to equal" },
  NumericNotEquals: { match: numeric((a, b) => a === b), negated: true, verb: "not to equal" },
  NumericLessThan: { match: numeric((a, b) => a < b), negated: false, verb: "to be less than" },
  NumericLessThanEquals: { match: numeric((a, b) => a <= b), negated: false, verb: "to be at most" },
  NumericGreaterThan: { match: numeric((a, b) => a > b), negated: false, verb: "to be greater than" },
  NumericGreaterThanEquals: { match: numeric((a, b) => a >= b), negated: false, verb: "to be at least" },
  DateEquals: { match: date((a, b) => a === b), negated: false, verb: "to be the date" },
  DateNotEquals: { match: date((a, b) => a === b), negated: true, verb: "not to be the date" },
  DateLessThan: { match: date((a, b) => a < b), negated: false, verb: "to be before" },
  DateLessThanEquals: { match: date((a, b) => a <= b), negated: false, verb: "to be at or before" },
  DateGreaterThan: { match: date((a, b) => a > b), negated: false, verb: "to be after" },
  DateGreaterThanEquals: { match: date((a, b) => a >= b), negated: false, verb: "to be at or after" },
  Bool: { match: (c, p) => asString(c).toLowerCase() === asString(p).toLowerCase(), negated: false, verb: "to be" },
  BinaryEquals: { match: (c, p) => asString(c) === asString(p), negated: false, verb: "to equal" },
  IpAddress: { match: ipInCidr, negated: false, verb: "to be in" },
  NotIpAddress: { match: ipInCidr, negated: true, verb: "not to be in" },
};

export function isConditionOperator(name: string): boolean {
  return name === "Null" || Object.hasOwn(OPERATORS, name);
}

/** Context lookups are case-insensitive on the key, as IAM condition keys are. */
export type ContextLookup = (key: string) => ContextValue | undefined;

export function contextLookup(context: Record<string, ContextValue | undefined> | undefined): ContextLookup {
  const lower = new Map<string, ContextValue>();
  for (const [k, v] of Object.entries(context ?? {})) if (v !== undefined) lower.set(k.toLowerCase(), v);
  return (key) => lower.get(key.toLowerCase());
}

export interface ClauseOutcome {
  holds: boolean;
  /** Why it failed, as the end of a sentence: "requires aws:SourceArn to equal X (the request has Y)". */
  explanation?: string;
}

function describeValues(values: readonly Scalar[]): string {
  const shown = values.map(String);
  return shown.length === 1 ? (shown[0] ?? "") : `one of ${shown.join(", ")}`;
}

function describeFound(key: string, found: ContextValue | undefined): string {
  if (found === undefined || (Array.isArray(found) && found.length === 0)) return `the request has no ${key}`;
  return `the request has ${Array.isArray(found) ? `[${found.join(", ")}]` : String(found)}`;
}

export function evaluateClause(clause: ConditionClause, lookup: ContextLookup): ClauseOutcome {
  const found = lookup(clause.key);
  const explain = (requirement: string): ClauseOutcome => ({
    holds: false,
    explanation: `requires ${clause.key} ${requirement} (${describeFound(clause.key, found)})`,
  });

  if (clause.operator === "Null") {
    const absent = found === undefined || (Array.isArray(found) && found.length === 0);
    const wantAbsent = String(clause.values[0]).toLowerCase() === "true";
    return absent === wantAbsent ? { holds: true } : explain(wantAbsent ? "to be absent" : "to be present");
  }
  const spec = OPERATORS[clause.operator];
  if (!spec) return explain(`to satisfy the unknown operator ${clause.raw}`);

  // Policy values may hold policy variables; an unresolvable one matches nothing.
  const policyValues = clause.values
    .map((v) => (typeof v === "string" ? substituteVariables(v, lookup) : v))
    .filter((v): v is Scalar => v !== undefined);
  const requirement = `${spec.verb} ${describeValues(clause.values)}`;
  const matchesAny = (c: Scalar): boolean => policyValues.some((p) => spec.match(c, p));
  // For a negated operator a value "passes" when it matches none of the policy values.
  const passes = (c: Scalar): boolean => (spec.negated ? !matchesAny(c) : matchesAny(c));

  const contextValues: Scalar[] | undefined =
    found === undefined ? undefined : Array.isArray(found) ? [...(found as Scalar[])] : [found as Scalar];
  const missing = contextValues === undefined || contextValues.length === 0;

  if (clause.qualifier === "ForAllValues") {
    // Vacuously true for a missing or empty key, as documented.
    return missing || contextValues.every(passes) ? { holds: true } : explain(`(every value) ${requirement}`);
  }
  if (clause.qualifier === "ForAnyValue") {
    if (missing) return clause.ifExists ? { holds: true } : explain(`(any value) ${requirement}`);
    return contextValues.some(passes) ? { holds: true } : explain(`(any value) ${requirement}`);
  }
  if (missing) {
    return clause.ifExists || spec.negated ? { holds: true } : explain(requirement);
  }
  // A multi-valued key without a qualifier: a positive operator needs one matching value,
  // a negated one needs no value to match.
  const holds = spec.negated ? contextValues.every(passes) : contextValues.some(passes);
  return holds ? { holds: true } : explain(requirement);
}
