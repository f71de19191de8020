// validateFilterPolicy: SNS's checks on a FilterPolicy, producing a compiled policy whose
// per-key closures are built once. Never throws.

import { combineTests, conditionTest, type Condition, type LeafTest } from "../event-pattern/conditions";
import { measureDepth, readJsonText } from "../event-pattern/json-text";
import { fieldSpec, type FieldSpec } from "../event-pattern/match-engine";
import { PolicyError, policyError, scopeError, type SnsApi, type SnsPolicyError } from "./errors";
import { combinations, MAX_COMBINATIONS, MAX_KEYS, topLevelKeyCount } from "./limits";
import { isNested, isPlainObject, parsePolicy, type Scope } from "./parse";

export type CompiledKey = FieldSpec & {
  /** The key: an attribute name, or a dotted path into the body. */
  path: string;
  conditions: Condition[];
  /** The policy's own array for this key, for explanations. */
  source: unknown[];
  test: LeafTest | null;
  /** Only numeric conditions: a String attribute can never satisfy this key. */
  numericOnly: boolean;
  /**
   * For String.Array attributes: `some` must hold for one element, or one of `every` for all
   * elements. AWS documents that anything-but on a String.Array "matches if none of the array
   * elements are listed in the policy property", while the other operators match element-wise.
   */
  arrayTests: { some: LeafTest | null; every: LeafTest[] };
};

export type CompiledFilterPolicy = {
  readonly kind: "sns-filter-policy";
  readonly scope: Scope;
  /** `$or` expanded; no branches means the policy is `{}` and accepts every message. */
  readonly branches: readonly CompiledKey[][];
};

export type ValidateResult =
  | { ok: true; policy: CompiledFilterPolicy }
  | { ok: false; error: SnsPolicyError };

export type ValidateOptions = {
  /** Which API carries the policy: it changes the message prefix. Default "Subscribe". */
  api?: SnsApi;
};

/** The documented maximum size of a filter policy. */
export const MAX_POLICY_BYTES = 256 * 1024;
/** Our bound on nesting (AWS documents none); deeper policies are refused before recursing. */
export const MAX_POLICY_DEPTH = 64;

const isAnythingBut = (c: Condition) => c.kind.startsWith("anything-but");

function compileKey(k: { path: string; conditions: Condition[]; source: unknown[] }): CompiledKey {
  const valueConds = k.conditions.filter((c) => c.kind !== "exists");
  return {
    ...k,
    ...fieldSpec(k.path),
    test: combineTests(k.conditions, { numericBound: null }),
    existsTrue: k.conditions.some((c) => c.kind === "exists" && c.value),
    existsFalse: k.conditions.some((c) => c.kind === "exists" && !c.value),
    existsNeedsValue: true,
    numericOnly: valueConds.length > 0 && valueConds.every((c) => c.kind === "numeric"),
    arrayTests: {
      some: combineTests(valueConds.filter((c) => !isAnythingBut(c)), { numericBound: null }),
      every: valueConds.filter(isAnythingBut).map((c) => conditionTest(c, { numericBound: null })),
    },
  };
}

/**
 * Validates a FilterPolicy (JSON text or parsed value) for a FilterPolicyScope. An empty
 * FilterPolicy string means "no policy" to SetSubscriptionAttributes: callers handle that case
 * before calling (here it is "Filter is not an object"). Texts that are ours rather than SNS's:
 * the size and depth refusals.
 */
export function validateFilterPolicy(
  policy: unknown,
  scope: Scope | string = "MessageAttributes",
  options: ValidateOptions = {},
): ValidateResult {
  const api = options.api ?? "Subscribe";
  const err = (reason: string, unlabeled = false): ValidateResult => ({
    ok: false,
    error: policyError(api, reason, unlabeled),
  });
  if (scope !== "MessageAttributes" && scope !== "MessageBody") return { ok: false, error: scopeError(scope) };
  try {
    let value: unknown = policy;
    if (typeof policy === "string") {
      if (policy.length > MAX_POLICY_BYTES) return err("Filter policy is larger than 256 KB");
      const parsed = readJsonText(policy);
      if (!parsed.ok) return err(parsed.reason.startsWith("No content") ? "Filter is not an object" : parsed.reason);
      if (parsed.depth > MAX_POLICY_DEPTH) return err(`Filter policy is nested deeper than ${MAX_POLICY_DEPTH} levels`);
      value = parsed.value;
    } else {
      if (measureDepth(policy, MAX_POLICY_DEPTH) > MAX_POLICY_DEPTH) {
        return err(`Filter policy is nested deeper than ${MAX_POLICY_DEPTH} levels`);
      }
      const text = JSON.stringify(policy);
      if (text !== undefined && text.length > MAX_POLICY_BYTES) return err("Filter policy is larger than 256 KB");
    }
    if (!isPlainObject(value)) return err("Filter is not an object");
    const branches = parsePolicy(value);
    if (scope === "MessageAttributes" && isNested(value)) {
      return err("Filter policy scope MessageAttributes does not support nested filter policy", true);
    }
    if (topLevelKeyCount(value) > MAX_KEYS) return err(`Filter policy can not have more than ${MAX_KEYS} keys`);
    if (combinations(value) > MAX_COMBINATIONS) return err("Filter policy is too complex");
    return {
      ok: true,
      policy: { kind: "sns-filter-policy", scope, branches: branches.map((b) => b.map(compileKey)) },
    };
  } catch (e) {
    if (e instanceof PolicyError) return err(e.message, e.unlabeled);
    return err("Filter policy could not be read");
  }
}
