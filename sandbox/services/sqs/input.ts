// Reading untrusted input shapes: the JSON protocol hands over whatever the client sent, so each
// field is checked for its type before a handler uses it, and a wrong one gets AWS's error.
import { InvalidParameterValue, missingParameter, invalidParameter } from "./errors";

export type Input = Record<string, unknown>;

export function requiredString(input: Input, name: string): string {
  const v = input[name];
  if (v === undefined || v === null || v === "") throw missingParameter(name);
  if (typeof v !== "string") throw InvalidParameterValue(`The parameter ${name} must be a string.`);
  return v;
}

export function optionalString(input: Input, name: string): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw InvalidParameterValue(`The parameter ${name} must be a string.`);
  return v;
}

/** An integer parameter; numeric strings are accepted because the query protocol sends strings. */
export function optionalInteger(input: Input, name: string): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n)) throw invalidParameter(name, v, `${name} must be an integer.`);
  return n;
}

export function integerInRange(input: Input, name: string, min: number, max: number, reason: string): number | undefined {
  const n = optionalInteger(input, name);
  if (n !== undefined && (n < min || n > max)) throw invalidParameter(name, n, reason);
  return n;
}

export function stringList(input: Input, name: string): string[] {
  const v = input[name];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((s) => typeof s !== "string")) throw InvalidParameterValue(`The parameter ${name} must be a list of strings.`);
  return v as string[];
}

export function stringMap(input: Input, name: string): Record<string, string> {
  const v = input[name];
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v)) throw InvalidParameterValue(`The parameter ${name} must be a map.`);
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(v as Record<string, unknown>)) {
    if (typeof value !== "string") throw InvalidParameterValue(`The value of ${name}.${k} must be a string.`);
    out[k] = value;
  }
  return out;
}

export function objectList(input: Input, name: string): Input[] {
  const v = input[name];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((e) => typeof e !== "object" || e === null || Array.isArray(e))) {
    throw InvalidParameterValue(`The parameter ${name} must be a list of structures.`);
  }
  return v as Input[];
}
