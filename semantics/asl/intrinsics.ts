import { createHash } from "node:crypto";
import { StatesError, runtimeError } from "./errors";
import { readPath } from "./paths";

/**
 * Intrinsic functions (`States.Format('{}', $.a)`) as Step Functions evaluates them in
 * payload templates: arguments are single-quoted strings, numbers, booleans, null, paths or
 * nested calls. Evaluation failures are States.IntrinsicFailure, as on AWS.
 */

type Arg =
  | { kind: "literal"; value: unknown }
  | { kind: "path"; path: string }
  | { kind: "call"; name: string; args: Arg[] };

export interface IntrinsicEnv {
  input: unknown;
  context: unknown;
  uuid: () => string;
}

const failure = (cause: string): StatesError => new StatesError("States.IntrinsicFailure", cause);
const MAX_DEPTH = 10;

export function isIntrinsic(text: string): boolean {
  return /^States\.[A-Za-z0-9]+\(/.test(text.trim());
}

class Parser {
  private i = 0;
  constructor(private readonly text: string) {}

  parseCall(depth: number): Arg {
    if (depth > MAX_DEPTH) throw failure("Intrinsic functions are nested too deeply.");
    this.skipSpace();
    const m = /^States\.[A-Za-z0-9]+/.exec(this.text.slice(this.i));
    if (!m) throw this.error("expected a States. function name");
    this.i += m[0].length;
    this.skipSpace();
    this.expect("(");
    const args: Arg[] = [];
    this.skipSpace();
    if (this.peek() === ")") {
      this.i++;
      return { kind: "call", name: m[0], args };
    }
    for (;;) {
      args.push(this.parseArg(depth));
      this.skipSpace();
      const ch = this.text[this.i++];
      if (ch === ")") break;
      if (ch !== ",") throw this.error("expected ',' or ')'");
    }
    return { kind: "call", name: m[0], args };
  }

  parseAll(): Arg {
    const call = this.parseCall(0);
    this.skipSpace();
    if (this.i !== this.text.length) throw this.error("unexpected text after the function call");
    return call;
  }

  private parseArg(depth: number): Arg {
    this.skipSpace();
    const ch = this.peek();
    if (ch === "'") return { kind: "literal", value: this.parseString() };
    if (ch === "$") return { kind: "path", path: this.parsePath() };
    if (this.text.startsWith("States.", this.i)) return this.parseCall(depth + 1);
    const m = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(this.text.slice(this.i));
    if (!m) throw this.error("expected an argument");
    this.i += m[0].length;
    return { kind: "literal", value: JSON.parse(m[0]) };
  }

  private parseString(): string {
    this.i++; // opening quote
    let out = "";
    while (this.i < this.text.length) {
      const ch = this.text[this.i++];
      if (ch === "\\") {
        const next = this.text[this.i++];
        // `\{` and `\}` stay escaped for States.Format, which unescapes them itself.
        out += next === "{" || next === "}" ? `\\${next}` : (next ?? "");
      } else if (ch === "'") {
        return out;
      } else {
        out += ch;
      }
    }
    throw this.error("unterminated string");
  }

  private parsePath(): string {
    const start = this.i;
    let bracket = 0;
    let quote: string | undefined;
    while (this.i < this.text.length) {
      const ch = this.text[this.i];
      if (quote) {
        if (ch === quote) quote = undefined;
      } else if (ch === "'" || ch === '"') quote = ch;
      else if (ch === "[" || ch === "(") bracket++;
      else if (ch === "]" || ch === ")") {
        if (bracket === 0) break;
        bracket--;
      } else if (ch === "," && bracket === 0) break;
      this.i++;
    }
    return this.text.slice(start, this.i).trim();
  }

  private skipSpace(): void {
    while (this.text[this.i] === " " || this.text[this.i] === "\t" || this.text[this.i] === "\n") this.i++;
  }
  private peek(): string | undefined {
    return this.text[this.i];
  }
  private expect(ch: string): void {
    if (this.text[this.i] !== ch) throw this.error(`expected '${ch}'`);
    this.i++;
  }
  private error(what: string): StatesError {
    return failure(`Invalid intrinsic function '${this.text}': ${what} at position ${this.i}.`);
  }
}

export function parseIntrinsic(text: string): Arg {
  return new Parser(text.trim()).parseAll();
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function needArgs(name: string, args: unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    throw failure(`The ${name} function expects ${min === max ? min : `${min} to ${max}`} argument(s) but received ${args.length}.`);
  }
}

function needArray(name: string, v: unknown): unknown[] {
  if (!Array.isArray(v)) throw failure(`The ${name} function expects an array argument.`);
  return v;
}

function needInteger(name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v)) throw failure(`The ${name} function expects integer arguments.`);
  return v;
}

function needString(name: string, v: unknown): string {
  if (typeof v !== "string") throw failure(`The ${name} function expects a string argument.`);
  return v;
}

function format(template: string, args: unknown[]): string {
  let out = "";
  let next = 0;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch === "\\" && (template[i + 1] === "{" || template[i + 1] === "}" || template[i + 1] === "\\")) {
      out += template[++i];
    } else if (ch === "{" && template[i + 1] === "}") {
      if (next >= args.length) throw failure("The States.Format function has more {} placeholders than arguments.");
      const v = args[next++];
      if (typeof v === "object" && v !== null) throw failure("The States.Format function only formats strings, numbers, booleans and null.");
      out += String(v);
      i++;
    } else {
      out += ch;
    }
  }
  if (next !== args.length) throw failure("The States.Format function has more arguments than {} placeholders.");
  return out;
}

const FUNCTIONS: Record<string, (args: unknown[], env: IntrinsicEnv) => unknown> = {
  "States.Format": (args) => {
    if (args.length < 1) throw failure("The States.Format function needs a template.");
    return format(needString("States.Format", args[0]), args.slice(1));
  },
  "States.StringToJson": (args) => {
    needArgs("States.StringToJson", args, 1);
    try {
      return JSON.parse(needString("States.StringToJson", args[0]));
    } catch {
      throw failure("The States.StringToJson function was given a string that is not JSON.");
    }
  },
  "States.JsonToString": (args) => {
    needArgs("States.JsonToString", args, 1);
    return JSON.stringify(args[0]);
  },
  "States.Array": (args) => [...args],
  "States.ArrayPartition": (args) => {
    needArgs("States.ArrayPartition", args, 2);
    const arr = needArray("States.ArrayPartition", args[0]);
    const size = needInteger("States.ArrayPartition", args[1]);
    if (size <= 0) throw failure("The States.ArrayPartition chunk size must be positive.");
    const out: unknown[][] = [];
    for (let i = 0; i < arr.length; i += size) out.push(arr.slice(i, i + size));
    return out;
  },
  "States.ArrayContains": (args) => {
    needArgs("States.ArrayContains", args, 2);
    return needArray("States.ArrayContains", args[0]).some((v) => deepEqual(v, args[1]));
  },
  "States.ArrayRange": (args) => {
    needArgs("States.ArrayRange", args, 3);
    const [start, end, stepBy] = args.map((a) => needInteger("States.ArrayRange", a)) as [number, number, number];
    if (stepBy === 0) throw failure("The States.ArrayRange step must not be 0.");
    const out: number[] = [];
    for (let v = start; stepBy > 0 ? v <= end : v >= end; v += stepBy) {
      out.push(v);
      if (out.length > 1000) throw failure("The States.ArrayRange function produces at most 1000 items.");
    }
    return out;
  },
  "States.ArrayGetItem": (args) => {
    needArgs("States.ArrayGetItem", args, 2);
    const arr = needArray("States.ArrayGetItem", args[0]);
    const index = needInteger("States.ArrayGetItem", args[1]);
    if (index < 0 || index >= arr.length) throw failure(`The States.ArrayGetItem index ${index} is out of bounds.`);
    return arr[index];
  },
  "States.ArrayLength": (args) => {
    needArgs("States.ArrayLength", args, 1);
    return needArray("States.ArrayLength", args[0]).length;
  },
  "States.ArrayUnique": (args) => {
    needArgs("States.ArrayUnique", args, 1);
    const seen = new Set<string>();
    return needArray("States.ArrayUnique", args[0]).filter((v) => {
      const key = JSON.stringify(v);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  },
  "States.Base64Encode": (args) => {
    needArgs("States.Base64Encode", args, 1);
    return Buffer.from(needString("States.Base64Encode", args[0]), "utf8").toString("base64");
  },
  "States.Base64Decode": (args) => {
    needArgs("States.Base64Decode", args, 1);
    return Buffer.from(needString("States.Base64Decode", args[0]), "base64").toString("utf8");
  },
  "States.Hash": (args) => {
    needArgs("States.Hash", args, 2);
    const algorithms: Record<string, string> = { MD5: "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512" };
    const algorithm = algorithms[needString("States.Hash", args[1])];
    if (!algorithm) throw failure("The States.Hash algorithm must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512.");
    const data = typeof args[0] === "string" ? args[0] : JSON.stringify(args[0]);
    return createHash(algorithm).update(data).digest("hex");
  },
  "States.JsonMerge": (args) => {
    needArgs("States.JsonMerge", args, 3);
    const [a, b, deep] = args;
    if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) {
      throw failure("The States.JsonMerge function merges two JSON objects.");
    }
    if (deep !== false) throw failure("The States.JsonMerge function only supports a shallow merge (false).");
    return { ...a, ...b };
  },
  "States.MathRandom": (args) => {
    needArgs("States.MathRandom", args, 2, 3);
    const start = needInteger("States.MathRandom", args[0]);
    const end = needInteger("States.MathRandom", args[1]);
    return start + Math.floor(Math.random() * (end - start));
  },
  "States.MathAdd": (args) => {
    needArgs("States.MathAdd", args, 2);
    const [a, b] = args.map((v) => needInteger("States.MathAdd", v)) as [number, number];
    return a + b;
  },
  "States.StringSplit": (args) => {
    needArgs("States.StringSplit", args, 2);
    const text = needString("States.StringSplit", args[0]);
    const delimiters = [...needString("States.StringSplit", args[1])];
    if (delimiters.length === 0) return [text];
    const re = new RegExp(`[${delimiters.map((d) => d.replace(/[\\\]^-]/g, "\\$&")).join("")}]`);
    return text.split(re).filter((s) => s !== "");
  },
  "States.UUID": (args, env) => {
    needArgs("States.UUID", args, 0);
    return env.uuid();
  },
};

function evaluateArg(arg: Arg, env: IntrinsicEnv): unknown {
  if (arg.kind === "literal") return arg.value;
  if (arg.kind === "path") {
    const r = readPath(arg.path, env.input, env.context);
    if (!r.found) throw runtimeError(`The JSONPath '${arg.path}' could not be found in the input '${JSON.stringify(env.input)}'`);
    return r.value;
  }
  const fn = FUNCTIONS[arg.name];
  if (!fn) throw failure(`The intrinsic function ${arg.name} is not supported.`);
  return fn(arg.args.map((a) => evaluateArg(a, env)), env);
}

export function evaluateIntrinsic(text: string, env: IntrinsicEnv): unknown {
  return evaluateArg(parseIntrinsic(text), env);
}

export function supportedIntrinsics(): string[] {
  return Object.keys(FUNCTIONS);
}
