// SNS's size limits on a filter policy ("Filter policy constraints in Amazon SNS"): at most five
// keys (for a nested policy only the top-level keys count) and at most 150 combinations.
//
// Combinations follow what AWS accepted and refused in the recorded snapshot: each value array
// contributes (number of values × nesting depth of its key), arrays multiply, and the branches
// of `$or` add up. For example {"a":{"b":{"c":[4 values]}},"d":{"e":[3 values]}} is
// (4 × 3) × (3 × 2) = 72.

import { isPlainObject } from "./parse";

export const MAX_KEYS = 5;
export const MAX_COMBINATIONS = 150;

export function topLevelKeyCount(policy: Record<string, unknown>): number {
  return Object.keys(policy).length;
}

/** Recursion here is safe: the policy's depth was bounded before parsing. */
export function combinations(obj: Record<string, unknown>, depth = 1): number {
  let total = 1;
  for (const [key, value] of Object.entries(obj)) {
    if (key === "$or" && Array.isArray(value)) {
      let sum = 0;
      for (const branch of value) if (isPlainObject(branch)) sum += combinations(branch, depth);
      total *= sum;
    } else if (isPlainObject(value)) {
      total *= combinations(value, depth + 1);
    } else if (Array.isArray(value)) {
      total *= value.length * depth;
    }
    if (total > Number.MAX_SAFE_INTEGER) return total;
  }
  return total;
}
