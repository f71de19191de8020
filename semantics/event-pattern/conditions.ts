// The value conditions shared by EventBridge patterns and SNS filter policies, and the closures
// that test one leaf value against them. Compilation turns JSON into these once; matching then
// only runs the closures (no parsing per event).

import { inRange, ipToHex, type IpRange } from "./ip";
import { wildcardMatcher } from "./wildcard";

/** A leaf value of an event or message: what rule engines compare against. */
export type Leaf = string | number | boolean | null;

export type Bound = { value: number; inclusive: boolean };

export type Condition =
  | { kind: "exact"; value: Leaf; ipHex?: string }
  | { kind: "prefix"; value: string; ignoreCase: boolean }
  | { kind: "suffix"; value: string; ignoreCase: boolean }
  | { kind: "equals-ignore-case"; value: string }
  | { kind: "wildcard"; value: string; segments: string[] }
  | { kind: "anything-but"; values: Leaf[] }
  | { kind: "anything-but-prefix"; values: string[] }
  | { kind: "anything-but-suffix"; values: string[] }
  | { kind: "anything-but-ignore-case"; values: string[] }
  | { kind: "anything-but-wildcard"; values: string[]; segments: string[][] }
  | { kind: "numeric"; lower?: Bound; upper?: Bound }
  | { kind: "cidr"; text: string; range: IpRange }
  | { kind: "exists"; value: boolean };

export type LeafTest = (v: Leaf) => boolean;

export type TestOptions = {
  /**
   * EventBridge (5e9): numbers are compared in event-ruler's comparable form and event numbers
   * outside ±bound never match numeric conditions. null (SNS): plain double comparison.
   */
  numericBound: number | null;
};

function lower(s: string): string {
  return s.toLowerCase();
}

// EventBridge compares numbers in event-ruler's "comparable" form: within ±5e9 and truncated to
// six decimal places (so 1000.0000001 equals 1000). Same double arithmetic as the Java original.
function comparable(v: number, bound: number): number {
  return Math.trunc(1e6 * (bound + v));
}

function numericTest(c: { lower?: Bound; upper?: Bound }, bound: number | null): LeafTest {
  if (bound === null) {
    const lo = c.lower;
    const hi = c.upper;
    return (v) => {
      if (typeof v !== "number") return false;
      if (lo && (lo.inclusive ? v < lo.value : v <= lo.value)) return false;
      if (hi && (hi.inclusive ? v > hi.value : v >= hi.value)) return false;
      return true;
    };
  }
  const lo = c.lower && { value: comparable(c.lower.value, bound), inclusive: c.lower.inclusive };
  const hi = c.upper && { value: comparable(c.upper.value, bound), inclusive: c.upper.inclusive };
  return (v) => {
    if (typeof v !== "number" || v < -bound || v > bound) return false;
    const q = comparable(v, bound);
    if (lo && (lo.inclusive ? q < lo.value : q <= lo.value)) return false;
    if (hi && (hi.inclusive ? q > hi.value : q >= hi.value)) return false;
    return true;
  };
}

/** The closure for one condition. `exists` is handled by the field, not here. */
export function conditionTest(c: Condition, opts: TestOptions): LeafTest {
  switch (c.kind) {
    case "exact": {
      const want = c.value;
      const ip = c.ipHex;
      if (ip !== undefined) {
        // An IP literal in a pattern matches any spelling of the same address.
        return (v) => v === want || (typeof v === "string" && ipToHex(v) === ip);
      }
      const bound = opts.numericBound;
      if (typeof want === "number" && bound !== null && want >= -bound && want <= bound) {
        const q = comparable(want, bound);
        return (v) => v === want || (typeof v === "number" && v >= -bound && v <= bound && comparable(v, bound) === q);
      }
      return (v) => v === want;
    }
    case "prefix": {
      if (!c.ignoreCase) {
        const p = c.value;
        return (v) => typeof v === "string" && v.startsWith(p);
      }
      const p = lower(c.value);
      return (v) => typeof v === "string" && lower(v).startsWith(p);
    }
    case "suffix": {
      if (!c.ignoreCase) {
        const s = c.value;
        return (v) => typeof v === "string" && v.endsWith(s);
      }
      const s = lower(c.value);
      return (v) => typeof v === "string" && lower(v).endsWith(s);
    }
    case "equals-ignore-case": {
      const w = lower(c.value);
      return (v) => typeof v === "string" && lower(v) === w;
    }
    case "wildcard": {
      const m = wildcardMatcher(c.segments);
      return (v) => typeof v === "string" && m(v);
    }
    // anything-but matches any value that is present (null included) and not excluded.
    case "anything-but": {
      const set = new Set<Leaf>(c.values);
      const bound = opts.numericBound;
      if (bound === null || !c.values.some((x) => typeof x === "number")) return (v) => !set.has(v);
      const qs = new Set(c.values.map((x) => comparable(x as number, bound)));
      return (v) =>
        typeof v === "number" && v >= -bound && v <= bound ? !qs.has(comparable(v, bound)) : !set.has(v);
    }
    case "anything-but-prefix": {
      const ps = c.values;
      return (v) => typeof v !== "string" || !ps.some((p) => v.startsWith(p));
    }
    case "anything-but-suffix": {
      const ss = c.values;
      return (v) => typeof v !== "string" || !ss.some((s) => v.endsWith(s));
    }
    case "anything-but-ignore-case": {
      const set = new Set(c.values.map(lower));
      return (v) => typeof v !== "string" || !set.has(lower(v));
    }
    case "anything-but-wildcard": {
      const ms = c.segments.map(wildcardMatcher);
      return (v) => typeof v !== "string" || !ms.some((m) => m(v));
    }
    case "numeric":
      return numericTest(c, opts.numericBound);
    case "cidr": {
      const r = c.range;
      return (v) => {
        if (typeof v !== "string") return false;
        const h = ipToHex(v);
        return h !== null && inRange(h, r);
      };
    }
    case "exists":
      return () => false;
  }
}

/**
 * One closure for a field's list of conditions (OR). Plain string lists, the common case,
 * become a Set lookup.
 */
export function combineTests(conds: Condition[], opts: TestOptions): LeafTest | null {
  const valueConds = conds.filter((c) => c.kind !== "exists");
  if (valueConds.length === 0) return null;
  const allPlainStrings = valueConds.every(
    (c) => c.kind === "exact" && typeof c.value === "string" && c.ipHex === undefined,
  );
  if (allPlainStrings) {
    const set = new Set(valueConds.map((c) => (c as { value: string }).value));
    if (set.size === 1) {
      const only = [...set][0] as string;
      return (v) => v === only;
    }
    return (v) => typeof v === "string" && set.has(v);
  }
  const tests = valueConds.map((c) => conditionTest(c, opts));
  if (tests.length === 1) return tests[0] as LeafTest;
  return (v) => {
    for (let i = 0; i < tests.length; i++) if ((tests[i] as LeafTest)(v)) return true;
    return false;
  };
}
