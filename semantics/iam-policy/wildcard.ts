/**
 * IAM's wildcard matching: `*` matches any run of characters (including none), `?` matches
 * one character. Everything else is literal. Compiled patterns are cached because the same
 * policy is evaluated many times by the sandbox.
 */
const cache = new Map<string, RegExp>();
const MAX_CACHE = 5000;

export function wildcardToRegExp(pattern: string, ignoreCase: boolean): RegExp {
  const cacheKey = (ignoreCase ? "i:" : "s:") + pattern;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  let source = "";
  for (const ch of pattern) {
    if (ch === "*") source += "[\\s\\S]*";
    else if (ch === "?") source += "[\\s\\S]";
    else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  const re = new RegExp(`^${source}$`, ignoreCase ? "iu" : "u");
  // A cache that is safe to lose: cleared instead of growing without bound.
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(cacheKey, re);
  return re;
}

export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === "*") return true;
  if (!pattern.includes("*") && !pattern.includes("?")) {
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  return wildcardToRegExp(pattern, ignoreCase).test(value);
}

/**
 * ArnLike/ArnEquals compare the six colon-separated parts separately, so a `*` in the region
 * part cannot swallow the account part. The resource part keeps any further colons.
 */
export function arnMatch(pattern: string, value: string): boolean {
  if (pattern === "*") return true;
  const p = splitArn(pattern);
  const v = splitArn(value);
  if (!p || !v) return false;
  return p.every((part, i) => wildcardMatch(part, v[i] ?? ""));
}

export function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(":")];
}
