// Message attributes as the filter sees them. Accepts both the Publish form
// ({DataType, StringValue}) and the notification form ({Type, Value}).
//
// - String: one string value.
// - Number: one number value (so numeric conditions apply); a numeric condition never matches a
//   String attribute, even "1500" -- the mistake the lab's source material makes.
// - String.Array: a JSON array; each scalar element is a value of its JSON type.
// - Binary: SNS does not filter on Binary attributes, so they count as absent.

import type { Leaf } from "../event-pattern/conditions";

export type MessageAttribute = {
  DataType?: string;
  Type?: string;
  StringValue?: string | number;
  Value?: string | number;
  BinaryValue?: unknown;
};

export type AttributeView = {
  type: string;
  /** Raw value as sent, for explanations. */
  raw: string;
  /** Scalar values to test; null when a String.Array value is not a JSON array. */
  values: Leaf[] | null;
};

const NUMBER_TEXT = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function isLeaf(v: unknown): v is Leaf {
  return v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}

export function viewAttribute(attr: unknown): AttributeView | null {
  if (attr === null || typeof attr !== "object") return null;
  const a = attr as MessageAttribute;
  const type = a.DataType ?? a.Type;
  const rawValue = a.StringValue ?? a.Value;
  if (typeof type !== "string" || type.startsWith("Binary")) return null;
  const raw = rawValue === undefined || rawValue === null ? "" : String(rawValue);
  // Custom type labels ("Number.float", "String.custom") behave as their base type.
  if (type === "String.Array") {
    try {
      const parsed: unknown = JSON.parse(raw);
      return { type, raw, values: Array.isArray(parsed) ? parsed.filter(isLeaf) : null };
    } catch {
      return { type, raw, values: null };
    }
  }
  if (type.startsWith("Number")) {
    const t = raw.trim();
    return { type, raw, values: [NUMBER_TEXT.test(t) ? Number(t) : raw] };
  }
  return { type, raw, values: [raw] };
}
