// A tiny YAML writer for the CloudFormation template: maps, lists and scalars only. Strings
// are written as JSON strings, which YAML reads as double-quoted scalars, so no value can
// change meaning (no "yes"/"no", no numbers read as strings, no tags).
type Value = string | number | boolean | Value[] | { [key: string]: Value };

const isScalar = (v: Value) => typeof v !== "object";
const scalar = (v: string | number | boolean) => (typeof v === "string" ? JSON.stringify(v) : String(v));
const key = (k: string) => (/^[A-Za-z_][\w:.-]*$/.test(k) && !k.endsWith(":") ? k : JSON.stringify(k));

function lines(v: Value, indent: string): string[] {
  if (Array.isArray(v)) {
    if (v.length === 0) return [`${indent}[]`];
    return v.flatMap((item) => {
      if (isScalar(item)) return [`${indent}- ${scalar(item as string)}`];
      const inner = lines(item, indent + "  ");
      const first = inner[0] ?? "";
      return [`${indent}- ${first.slice(indent.length + 2)}`, ...inner.slice(1)];
    });
  }
  if (typeof v === "object") {
    const entries = Object.entries(v);
    if (entries.length === 0) return [`${indent}{}`];
    return entries.flatMap(([k, item]) => {
      if (isScalar(item)) return [`${indent}${key(k)}: ${scalar(item as string)}`];
      if (Array.isArray(item) && item.length === 0) return [`${indent}${key(k)}: []`];
      if (!Array.isArray(item) && Object.keys(item).length === 0) return [`${indent}${key(k)}: {}`];
      return [`${indent}${key(k)}:`, ...lines(item, indent + "  ")];
    });
  }
  return [`${indent}${scalar(v)}`];
}

export function toYaml(v: Value): string {
  return lines(v, "").join("\n") + "\n";
}

export type YamlValue = Value;
