// Query-protocol parameters (`Tags.member.1.Key=k`) to the nested input shape the JSON
// protocol carries (`{ Tags: [{ Key: "k" }] }`). Values stay strings: each service's codec
// converts the members it knows to be numbers or booleans.

import { AwsError } from "./contracts";

export type QueryValue = string | QueryValue[] | { [key: string]: QueryValue };

/** Parses an application/x-www-form-urlencoded body (or query string) into flat parameters. */
export function parseForm(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  if (text === "") return out;
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? "" : pair.slice(eq + 1);
    out[decodeFormComponent(rawKey)] = decodeFormComponent(rawValue);
  }
  return out;
}

function decodeFormComponent(text: string): string {
  const plain = text.includes("+") ? text.replace(/\+/g, " ") : text;
  if (!plain.includes("%")) return plain;
  try {
    return decodeURIComponent(plain);
  } catch {
    throw new AwsError("MalformedQueryString", `The parameter text "${text.slice(0, 80)}" is not valid URL encoding.`, 400);
  }
}

type Node = { [key: string]: Node | string };

/**
 * Nests dotted keys, then turns `member.N` / `N` children into lists (ordered by N) and
 * `entry.N.key/value` children into maps. `Attribute.N.Name/Value` stays a list of
 * `{Name, Value}` for the service to interpret.
 */
export function nestParams(params: Record<string, string>, skip: ReadonlySet<string> = new Set(["Action", "Version"])): Record<string, QueryValue> {
  const root: Node = Object.create(null) as Node;
  for (const [key, value] of Object.entries(params)) {
    if (skip.has(key)) continue;
    const parts = key.split(".");
    // Such names are never AWS members, and as object keys they would reach prototypes.
    if (parts.includes("__proto__")) continue;
    let node = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i] as string;
      const next = node[part];
      if (typeof next === "object") node = next;
      else node = node[part] = Object.create(null) as Node;
    }
    const last = parts[parts.length - 1] as string;
    if (typeof node[last] !== "object") node[last] = value;
  }
  return shape(root) as Record<string, QueryValue>;
}

const INDEX = /^[1-9]\d*$/;

function shape(node: Node | string): QueryValue {
  if (typeof node === "string") return node;
  const keys = Object.keys(node);
  if (keys.length === 1 && (keys[0] === "member" || keys[0] === "entry")) {
    const inner = node[keys[0]];
    if (typeof inner === "object") {
      const list = indexed(inner);
      if (list && keys[0] === "entry") return toMap(list);
      if (list) return list;
    }
  }
  const list = keys.length > 0 ? indexed(node) : undefined;
  if (list) return list;
  const out: { [key: string]: QueryValue } = {};
  for (const k of keys) out[k] = shape(node[k] as Node | string);
  return out;
}

function indexed(node: Node): QueryValue[] | undefined {
  const keys = Object.keys(node);
  if (keys.length === 0 || !keys.every((k) => INDEX.test(k))) return undefined;
  return keys.sort((a, b) => Number(a) - Number(b)).map((k) => shape(node[k] as Node | string));
}

function toMap(entries: QueryValue[]): { [key: string]: QueryValue } {
  const out: { [key: string]: QueryValue } = {};
  for (const e of entries) {
    if (typeof e !== "object" || Array.isArray(e)) continue;
    const k = e.key ?? e.Key;
    const v = e.value ?? e.Value;
    if (typeof k === "string" && v !== undefined) out[k] = v;
  }
  return out;
}
