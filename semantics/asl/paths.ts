import { JSONPath } from "jsonpath-plus";
import { StatesError, runtimeError } from "./errors";

/**
 * Reference paths ($.a.b, $['a'][0], $$.Execution.Id) read and written the way Step
 * Functions does. Plain reference paths are evaluated here; anything using JSONPath's
 * richer syntax (wildcards, filters, slices, `..`) is handed to jsonpath-plus, as the
 * payload templates allow it.
 */

export type Segment = string | number;

const cache = new Map<string, Segment[] | null>();

/** Parses `$`-rooted reference paths; returns undefined when the path needs full JSONPath. */
export function parseReferencePath(path: string): Segment[] | undefined {
  const hit = cache.get(path);
  if (hit !== undefined) return hit ?? undefined;
  const parsed = parse(path);
  if (cache.size > 2000) cache.clear();
  cache.set(path, parsed ?? null);
  return parsed;
}

function parse(path: string): Segment[] | undefined {
  if (!path.startsWith("$")) return undefined;
  const segments: Segment[] = [];
  let i = 1;
  while (i < path.length) {
    const ch = path[i];
    if (ch === ".") {
      if (path[i + 1] === ".") return undefined;
      let j = i + 1;
      while (j < path.length && path[j] !== "." && path[j] !== "[") j++;
      const name = path.slice(i + 1, j);
      if (name === "" || name === "*" || /[?()@,:]/.test(name)) return undefined;
      segments.push(name);
      i = j;
    } else if (ch === "[") {
      const close = path.indexOf("]", i);
      if (close < 0) return undefined;
      const inner = path.slice(i + 1, close).trim();
      const quoted = /^'([^']*)'$|^"([^"]*)"$/.exec(inner);
      if (quoted) segments.push(quoted[1] ?? quoted[2] ?? "");
      else if (/^\d+$/.test(inner)) segments.push(Number(inner));
      else return undefined;
      i = close + 1;
    } else {
      return undefined;
    }
  }
  return segments;
}

export type ReadResult = { found: true; value: unknown } | { found: false };

function step(value: unknown, segment: Segment): ReadResult {
  if (typeof segment === "number") {
    if (Array.isArray(value) && segment < value.length) return { found: true, value: value[segment] };
    return { found: false };
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value) && Object.hasOwn(value, segment)) {
    return { found: true, value: (value as Record<string, unknown>)[segment] };
  }
  return { found: false };
}

/**
 * Reads a path from the state's data, or from the context object for `$$` paths.
 * Full JSONPath expressions return the array of matches (AWS returns a list for them).
 */
export function readPath(path: string, data: unknown, context?: unknown): ReadResult {
  const root = path.startsWith("$$") ? context : data;
  const rel = path.startsWith("$$") ? path.slice(1) : path;
  const segments = parseReferencePath(rel);
  if (segments) {
    let current: ReadResult = { found: true, value: root };
    for (const s of segments) {
      if (!current.found) break;
      current = step(current.value, s);
    }
    return current;
  }
  try {
    const matches = JSONPath({ path: rel, json: root as object, wrap: true, eval: false }) as unknown[];
    return matches.length === 0 ? { found: false } : { found: true, value: matches };
  } catch {
    return { found: false };
  }
}

export function isValidPath(path: string): boolean {
  if (parseReferencePath(path.startsWith("$$") ? path.slice(1) : path)) return true;
  try {
    JSONPath.toPathArray(path);
    return path.startsWith("$");
  } catch {
    return false;
  }
}

/** `InputPath`/`OutputPath`: `null` discards the value (gives `{}`), a missing path is States.Runtime. */
export function applyPath(field: "InputPath" | "OutputPath" | "ItemsPath", path: unknown, data: unknown, context: unknown): unknown {
  if (path === undefined) return data;
  if (path === null) return {};
  if (typeof path !== "string") throw runtimeError(`Invalid path for ${field}: ${JSON.stringify(path)}`);
  const r = readPath(path, data, context);
  if (!r.found) throw runtimeError(`Invalid path '${path}' : No results for path: ${bracketed(path)}`);
  return r.value;
}

/** `$.order.isPremium` → `$['order']['isPremium']`, as AWS prints paths in its messages. */
export function bracketed(path: string): string {
  const segments = parseReferencePath(path.startsWith("$$") ? path.slice(1) : path);
  if (!segments) return path;
  return (path.startsWith("$$") ? "$$" : "$") + segments.map((s) => (typeof s === "number" ? `[${s}]` : `['${s}']`)).join("");
}

/**
 * ResultPath: `$` replaces the input, `null` keeps it, `$.a.b` writes the result into a copy
 * of the input (creating objects on the way). Writing into something that is not an object
 * is States.ResultPathMatchFailure.
 */
export function applyResultPath(input: unknown, path: unknown, result: unknown): unknown {
  if (path === undefined || path === "$") return result;
  if (path === null) return input;
  const segments = typeof path === "string" ? parseReferencePath(path) : undefined;
  if (!segments || typeof path !== "string") {
    throw new StatesError("States.ResultPathMatchFailure", `Invalid ResultPath: ${JSON.stringify(path)}`);
  }
  const failure = (): StatesError =>
    new StatesError(
      "States.ResultPathMatchFailure",
      `Unable to apply ResultPath '${path}' to input ${JSON.stringify(input)}: its parent is not a JSON object.`,
    );
  if (typeof input !== "object" || input === null || Array.isArray(input)) throw failure();
  const out = structuredClone(input) as Record<string, unknown>;
  let cursor: Record<string, unknown> | unknown[] = out;
  for (const [i, segment] of segments.entries()) {
    const last = i === segments.length - 1;
    if (typeof segment === "number") {
      if (!Array.isArray(cursor) || segment >= cursor.length) throw failure();
      if (last) cursor[segment] = result;
      else cursor = cursor[segment] as Record<string, unknown>;
      continue;
    }
    if (Array.isArray(cursor) || typeof cursor !== "object" || cursor === null) throw failure();
    if (last) {
      cursor[segment] = result;
    } else {
      const next = cursor[segment];
      if (next === undefined) cursor[segment] = {};
      else if (typeof next !== "object" || next === null) throw failure();
      cursor = cursor[segment] as Record<string, unknown>;
    }
  }
  return out;
}
