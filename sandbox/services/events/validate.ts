// Reads untrusted operation input the way AWS's JSON protocol does: a member of the wrong JSON
// type is a SerializationException; constraint violations (required, length, pattern, range) are
// collected and reported together as one ValidationException in AWS's own wording
// ("2 validation errors detected: Value 'x' at 'name' failed to satisfy constraint: ...").
import { SerializationException, ValidationException } from "./errors";

type Obj = Record<string, unknown>;

export interface StringRule {
  required?: boolean;
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** The pattern as AWS prints it in the message. */
  patternText?: string;
  enumValues?: readonly string[];
}

/** AWS names members in messages by their wire path with a lower-case first letter. */
function wireName(path: string): string {
  return path
    .split(".")
    .map((p) => (p.length ? p[0]!.toLowerCase() + p.slice(1) : p))
    .join(".");
}

function shown(v: string): string {
  return v.length > 256 ? `${v.slice(0, 256)}...` : v;
}

export interface ListRule {
  required?: boolean;
  min?: number;
  max?: number;
  /** How the list is printed in a length violation (AWS prints Java's toString of the members). */
  show?: (list: unknown[]) => string;
}

export class InputReader {
  private readonly errors: string[] = [];

  constructor(readonly input: Obj) {}

  static of(input: unknown): InputReader {
    if (input === null || input === undefined) return new InputReader({});
    if (typeof input !== "object" || Array.isArray(input)) throw SerializationException("The request body must be a JSON object.");
    return new InputReader(input as Obj);
  }

  fail(path: string, value: string, constraint: string): void {
    this.errors.push(`Value ${value} at '${wireName(path)}' failed to satisfy constraint: ${constraint}`);
  }

  string(path: string, rule: StringRule = {}, from: Obj = this.input, key = lastSegment(path)): string | undefined {
    const v = from[key];
    if (v === undefined || v === null) {
      if (rule.required) this.fail(path, "null", "Member must not be null");
      return undefined;
    }
    if (typeof v !== "string") throw SerializationException(`Expected a string for member '${wireName(path)}'.`);
    const quoted = `'${shown(v)}'`;
    if (rule.min !== undefined && v.length < rule.min) this.fail(path, quoted, `Member must have length greater than or equal to ${rule.min}`);
    if (rule.max !== undefined && v.length > rule.max) this.fail(path, quoted, `Member must have length less than or equal to ${rule.max}`);
    if (rule.pattern && !rule.pattern.test(v)) {
      this.fail(path, quoted, `Member must satisfy regular expression pattern: ${rule.patternText ?? rule.pattern.source}`);
    }
    if (rule.enumValues && !rule.enumValues.includes(v)) {
      this.fail(path, quoted, `Member must satisfy enum value set: [${rule.enumValues.join(", ")}]`);
    }
    return v;
  }

  integer(path: string, rule: { min?: number; max?: number } = {}, from: Obj = this.input): number | undefined {
    const v = from[lastSegment(path)];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "number" || !Number.isInteger(v)) throw SerializationException(`Expected an integer for member '${wireName(path)}'.`);
    if (rule.min !== undefined && v < rule.min) this.fail(path, `'${v}'`, `Member must have value greater than or equal to ${rule.min}`);
    if (rule.max !== undefined && v > rule.max) this.fail(path, `'${v}'`, `Member must have value less than or equal to ${rule.max}`);
    return v;
  }

  boolean(path: string, from: Obj = this.input): boolean | undefined {
    const v = from[lastSegment(path)];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "boolean") throw SerializationException(`Expected a boolean for member '${wireName(path)}'.`);
    return v;
  }

  list(path: string, rule: ListRule = {}, from: Obj = this.input): unknown[] | undefined {
    const v = from[lastSegment(path)];
    if (v === undefined || v === null) {
      if (rule.required) this.fail(path, "null", "Member must not be null");
      return undefined;
    }
    if (!Array.isArray(v)) throw SerializationException(`Expected a list for member '${wireName(path)}'.`);
    const show = () => `'${(rule.show ?? shownList)(v)}'`;
    if (rule.min !== undefined && v.length < rule.min) this.fail(path, show(), `Member must have length greater than or equal to ${rule.min}`);
    if (rule.max !== undefined && v.length > rule.max) this.fail(path, show(), `Member must have length less than or equal to ${rule.max}`);
    return v;
  }

  object(path: string, from: Obj = this.input): Obj | undefined {
    const v = from[lastSegment(path)];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "object" || Array.isArray(v)) throw SerializationException(`Expected a structure for member '${wireName(path)}'.`);
    return v as Obj;
  }

  /** A list of structures: each element must be a JSON object. */
  structures(path: string, rule: ListRule = {}, from: Obj = this.input): Obj[] | undefined {
    const list = this.list(path, rule, from);
    if (!list) return undefined;
    for (const item of list) {
      if (item === null || typeof item !== "object" || Array.isArray(item)) {
        throw SerializationException(`Expected a structure in list '${wireName(path)}'.`);
      }
    }
    return list as Obj[];
  }

  /** A list of strings. */
  strings(path: string, rule: { required?: boolean; min?: number; max?: number } = {}, from: Obj = this.input): string[] | undefined {
    const list = this.list(path, rule, from);
    if (!list) return undefined;
    for (const item of list) if (typeof item !== "string") throw SerializationException(`Expected a string in list '${wireName(path)}'.`);
    return list as string[];
  }

  /** Throws the collected violations, if any, as one ValidationException. */
  done(): void {
    const n = this.errors.length;
    if (n === 0) return;
    throw ValidationException(`${n} validation error${n === 1 ? "" : "s"} detected: ${this.errors.join("; ")}`);
  }
}

function lastSegment(path: string): string {
  const parts = path.split(".");
  return parts[parts.length - 1] ?? path;
}

function shownList(v: unknown[]): string {
  return `[${v.map((x) => (typeof x === "string" ? x : JSON.stringify(x))).join(", ")}]`;
}

// The constraints AWS's EventBridge model declares, shared by several operations.
export const RULE_NAME: StringRule = { min: 1, max: 64, pattern: /^[.\-_A-Za-z0-9]+$/, patternText: "[\\.\\-_A-Za-z0-9]+" };
export const BUS_NAME: StringRule = { min: 1, max: 256, pattern: /^[/.\-_A-Za-z0-9]+$/, patternText: "[/\\.\\-_A-Za-z0-9]+" };
export const BUS_NAME_OR_ARN: StringRule = {
  min: 1,
  max: 1600,
  pattern: /^(arn:aws[\w-]*:events:[a-z]+-[a-z]+-[\w-]+:[0-9]{12}:event-bus\/)?[/.\-_A-Za-z0-9]+$/,
  patternText: "(arn:aws[\\w-]*:events:[a-z]+-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/)?[/\\.\\-_A-Za-z0-9]+",
};
export const TARGET_ID: StringRule = { min: 1, max: 64, pattern: /^[.\-_A-Za-z0-9]+$/, patternText: "[\\.\\-_A-Za-z0-9]+" };
export const NEXT_TOKEN: StringRule = { min: 1, max: 2048 };
export const ARN: StringRule = { min: 1, max: 1600 };
