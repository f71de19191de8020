// The value list both languages share: `["a", 1, null, {"prefix": "x"}]` — plain values are exact
// matches (strings that are IP addresses also match their canonical form), objects are operators.
// The operator parser and the error thrower are each language's own.
import type { Condition } from "./conditions";
import { ipToHex } from "./ip";

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function isFiniteNumber(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

export function parseValueList(arr: unknown[], operator: (expression: Record<string, unknown>) => Condition, fail: (reason: string) => never): Condition[] {
  const out: Condition[] = [];
  for (const el of arr) {
    if (isPlainObject(el)) out.push(operator(el));
    else if (typeof el === "string") {
      const ip = ipToHex(el);
      out.push(ip === null ? { kind: "exact", value: el } : { kind: "exact", value: el, ipHex: ip });
    } else if (isFiniteNumber(el) || typeof el === "boolean" || el === null) out.push({ kind: "exact", value: el });
    else fail("Match value must be String, number, true, false, or null");
  }
  if (out.length === 0) fail("Empty arrays are not allowed");
  return out;
}
