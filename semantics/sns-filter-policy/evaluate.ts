// Does a subscription's filter policy deliver this message? And if not, why not (checkers put
// the reason in their hints). Never throws.

import type { Leaf } from "../event-pattern/conditions";
import { evaluateField, matchAnyBranch } from "../event-pattern/match-engine";
import { viewAttribute, type AttributeView, type MessageAttribute } from "./attributes";
import type { CompiledFilterPolicy, CompiledKey } from "./validate";

export type SnsMessage = {
  attributes?: Record<string, MessageAttribute | unknown>;
  /** The Message text (JSON for MessageBody scope), or an already parsed body. */
  body?: string | unknown;
};

const hasOwn = Object.prototype.hasOwnProperty;
const NUMBER_TEXT = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

// Hot path for attribute scope: avoids building views for String and Number attributes.
// `hasAny`: AWS documents that "exists": false only matches if at least one attribute is
// present; a message without attributes does not match it.
function attributeKeyMatches(key: CompiledKey, attrs: Record<string, unknown>, hasAny: boolean): boolean {
  const attr = hasOwn.call(attrs, key.path) ? attrs[key.path] : undefined;
  if (attr === null || typeof attr !== "object") return key.existsFalse && hasAny;
  const a = attr as MessageAttribute;
  const type = a.DataType ?? a.Type;
  if (typeof type !== "string" || type.startsWith("Binary")) return key.existsFalse && hasAny;
  if (key.existsTrue) return true;
  const test = key.test;
  if (test === null) return false;
  const raw = a.StringValue ?? a.Value;
  if (type === "String" && typeof raw === "string") return test(raw);
  if (type === "Number" && typeof raw === "string" && NUMBER_TEXT.test(raw)) return test(Number(raw));
  const view = viewAttribute(attr) as AttributeView;
  const values = view.values;
  if (values === null) return false;
  if (view.type !== "String.Array") {
    for (let i = 0; i < values.length; i++) if (test(values[i] as Leaf)) return true;
    return false;
  }
  const { some, every } = key.arrayTests;
  if (some !== null) for (let i = 0; i < values.length; i++) if (some(values[i] as Leaf)) return true;
  return values.length > 0 && every.some((t) => values.every((v) => t(v)));
}

function parseBody(body: unknown): unknown {
  if (typeof body !== "string") return body;
  try {
    return JSON.parse(body);
  } catch {
    return undefined; // not JSON: a MessageBody policy cannot match it
  }
}

function hasAnyKey(o: Record<string, unknown>): boolean {
  for (const k in o) if (hasOwn.call(o, k)) return true;
  return false;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

export function evaluateFilterPolicy(policy: CompiledFilterPolicy, message: SnsMessage): boolean {
  try {
    const branches = policy.branches as CompiledKey[][];
    if (branches.length === 0) return true;
    if (policy.scope === "MessageBody") {
      const body = parseBody(message.body);
      return isObject(body) && matchAnyBranch(branches, body);
    }
    const attrs = isObject(message.attributes) ? message.attributes : {};
    const hasAny = hasAnyKey(attrs);
    for (let b = 0; b < branches.length; b++) {
      const keys = branches[b] as CompiledKey[];
      let all = true;
      for (let k = 0; k < keys.length && all; k++) all = attributeKeyMatches(keys[k] as CompiledKey, attrs, hasAny);
      if (all) return true;
    }
    return false;
  } catch {
    return false;
  }
}

export type FilterExplanation =
  | { matched: true }
  | { matched: false; branch: number; key: string; reason: string };

function describeAttributeFailure(key: CompiledKey, view: AttributeView | null): string {
  const name = `message attribute "${key.path}"`;
  const wanted = JSON.stringify(key.source);
  if (view === null && key.existsFalse) return `the message has no attributes at all, and "exists": false only matches a message that has some`;
  if (view === null) return `${name} is missing; the policy requires ${wanted}`;
  if (key.existsFalse && !key.test) return `${name} is present, but the policy requires it to be absent`;
  if (view.values === null) return `${name} is a String.Array whose value is not a JSON array: ${JSON.stringify(view.raw)}`;
  if (key.numericOnly && !view.type.startsWith("Number")) {
    return `${name} is sent as DataType ${view.type} (${JSON.stringify(view.raw)}); numeric conditions match only Number attributes, so send it with DataType Number`;
  }
  return `${name} (${view.type} ${JSON.stringify(view.raw)}) matches none of ${wanted}`;
}

/** evaluateFilterPolicy, plus which key failed and why (for the closest branch). */
export function explainFilterPolicy(policy: CompiledFilterPolicy, message: SnsMessage): FilterExplanation {
  if (evaluateFilterPolicy(policy, message)) return { matched: true };
  try {
    const branches = policy.branches as CompiledKey[][];
    if (policy.scope === "MessageBody") {
      const body = parseBody(message.body);
      if (!isObject(body)) {
        return { matched: false, branch: 0, key: "", reason: "the message body is not a JSON object, so a MessageBody policy cannot match it" };
      }
      let best: { branch: number; failed: CompiledKey[] } | null = null;
      branches.forEach((keys, branch) => {
        const failed = keys.filter((k) => evaluateField(k, body, false) === false);
        if (best === null || failed.length < best.failed.length) best = { branch, failed };
      });
      const b = best as { branch: number; failed: CompiledKey[] } | null;
      const first = b?.failed[0];
      if (!b || !first) {
        return { matched: false, branch: b?.branch ?? 0, key: "", reason: "the matching values come from different elements of the same array" };
      }
      return {
        matched: false,
        branch: b.branch,
        key: first.path,
        reason: `no value at "${first.path}" in the message body satisfies ${JSON.stringify(first.source)}`,
      };
    }
    const attrs = isObject(message.attributes) ? message.attributes : {};
    const hasAny = hasAnyKey(attrs);
    let best: { branch: number; failed: CompiledKey[] } | null = null;
    branches.forEach((keys, branch) => {
      const failed = keys.filter((k) => !attributeKeyMatches(k, attrs, hasAny));
      if (best === null || failed.length < best.failed.length) best = { branch, failed };
    });
    const b = best as { branch: number; failed: CompiledKey[] } | null;
    const first = b?.failed[0];
    if (!b || !first) return { matched: false, branch: 0, key: "", reason: "no branch of the policy matched" };
    const view = hasOwn.call(attrs, first.path) ? viewAttribute(attrs[first.path]) : null;
    return { matched: false, branch: b.branch, key: first.path, reason: describeAttributeFailure(first, view) };
  } catch {
    return { matched: false, branch: 0, key: "", reason: "the message could not be read" };
  }
}
