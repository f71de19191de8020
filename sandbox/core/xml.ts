// A tiny XML writer for query-protocol responses: the shapes are simple and known, so escaping
// and concatenating is faster than a general builder (SQS answers every message through here).

const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "\r": "&#xD;" };
const NEEDS_ESCAPE = /[&<>"'\r]/;
const ESCAPE_ALL = /[&<>"'\r]/g;

export function escapeXml(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(ESCAPE_ALL, (c) => XML_ESCAPES[c] ?? c) : text;
}

/** One element with escaped text content. */
export function element(name: string, text: string | number | boolean): string {
  return `<${name}>${escapeXml(String(text))}</${name}>`;
}

function scalar(value: unknown): string | undefined {
  if (typeof value === "string") return escapeXml(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString();
  return undefined;
}

/**
 * The query protocol's default serialisation of an output shape: members in order, lists as
 * `<member>` items, undefined and null left out. Services with other list or map conventions
 * (SQS attributes as `<Attribute><Name/><Value/></Attribute>`, flattened lists) write those
 * parts themselves.
 */
export function toXml(value: unknown, memberName = "member"): string {
  if (value === undefined || value === null) return "";
  const s = scalar(value);
  if (s !== undefined) return s;
  if (Array.isArray(value)) return value.map((v) => `<${memberName}>${toXml(v, memberName)}</${memberName}>`).join("");
  if (typeof value === "object") {
    let out = "";
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined || v === null) continue;
      out += `<${k}>${toXml(v, memberName)}</${k}>`;
    }
    return out;
  }
  return "";
}
