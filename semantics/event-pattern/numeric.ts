// `{"numeric": [...]}` parsing with the error texts of AWS's rule compiler (shared by
// EventBridge and SNS, whose engines word these identically). The checks run in the order the
// streaming compiler reads tokens, so the first problem reported is the one AWS reports.

import type { Bound, Condition } from "./conditions";

/** What Jackson's getText() shows for a token: "]" when the array ended, "{" for an object... */
export function tokenText(v: unknown, present: boolean): string {
  if (!present) return "]";
  if (v === null) return "null";
  if (Array.isArray(v)) return "[";
  if (typeof v === "object") return "{";
  return String(v);
}

export type NumericResult = { ok: true; cond: Condition } | { ok: false; reason: string };

const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/**
 * @param checkValue optional range check on each number (EventBridge's comparable-number range),
 *   returning the reason text when a number is out of range.
 */
export function parseNumeric(arr: unknown[], checkValue?: (n: number) => string | null): NumericResult {
  const bad = (reason: string): NumericResult => ({ ok: false, reason });
  const check = (n: number): string | null => (checkValue ? checkValue(n) : null);
  const op = arr[0];
  if (typeof op !== "string") return bad(`Invalid member in numeric match: ${tokenText(op, arr.length > 0)}`);
  const first = arr[1];
  const tooMany = "Too many elements in numeric expression";
  switch (op) {
    case "=": {
      if (!isNum(first)) return bad("Value of equals must be numeric");
      const r = check(first);
      if (r) return bad(r);
      if (arr.length > 2) return bad(tooMany);
      return { ok: true, cond: { kind: "numeric", lower: { value: first, inclusive: true }, upper: { value: first, inclusive: true } } };
    }
    case "<":
    case "<=": {
      if (!isNum(first)) return bad(`Value of ${op} must be numeric`);
      const r = check(first);
      if (r) return bad(r);
      if (arr.length > 2) return bad(tooMany);
      return { ok: true, cond: { kind: "numeric", upper: { value: first, inclusive: op === "<=" } } };
    }
    case ">":
    case ">=": {
      if (!isNum(first)) return bad(`Value of ${op} must be numeric`);
      const r = check(first);
      if (r) return bad(r);
      const lowerBound: Bound = { value: first, inclusive: op === ">=" };
      if (arr.length === 2) return { ok: true, cond: { kind: "numeric", lower: lowerBound } };
      const op2 = arr[2];
      if (typeof op2 !== "string") return bad(`Bad value in numeric range: ${tokenText(op2, true)}`);
      if (op2 !== "<" && op2 !== "<=") return bad(`Bad numeric range operator: ${op2}`);
      const top = arr[3];
      if (!isNum(top)) return bad(`Value of ${op2} must be numeric`);
      const r2 = check(top);
      if (r2) return bad(r2);
      if (arr.length > 4) return bad("Too many terms in numeric range expression");
      if (top <= first) return bad("Bottom must be less than top");
      return { ok: true, cond: { kind: "numeric", lower: lowerBound, upper: { value: top, inclusive: op2 === "<=" } } };
    }
    default:
      return bad(`Unrecognized numeric range operator: ${op}`);
  }
}
