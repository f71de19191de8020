import type { ContextValue } from "./types";

/**
 * Policy variables (`${aws:username}`, `${aws:SourceArn}`) in Resource and condition values,
 * plus IAM's escapes `${*}`, `${?}` and `${$}` that stand for the literal characters.
 * Returns undefined when a variable has no single string value: such a value matches nothing.
 */
export function substituteVariables(text: string, lookup: (key: string) => ContextValue | undefined): string | undefined {
  if (!text.includes("${")) return text;
  let missing = false;
  const out = text.replace(/\$\{([^}]*)\}/g, (_whole, inner: string) => {
    if (inner === "*" || inner === "?" || inner === "$") return `\u0000${inner}`;
    // `${aws:username, 'default'}` supplies a value when the key is absent.
    const m = /^\s*([^,\s]+)\s*(?:,\s*'([^']*)'\s*)?$/.exec(inner);
    const key = m?.[1] ?? inner;
    const value = lookup(key);
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return String(value);
    if (m?.[2] !== undefined) return m[2];
    missing = true;
    return "";
  });
  return missing ? undefined : out;
}

/** Literal `*`/`?` produced by `${*}`/`${?}` must not act as wildcards: escape markers are resolved here. */
export function hasEscapes(text: string): boolean {
  return text.includes("\u0000");
}

export function stripEscapes(text: string): string {
  return text.replace(/\u0000(.)/g, "$1");
}
