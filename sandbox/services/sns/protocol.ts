// SNS speaks only the query protocol: flat form parameters in, XML out. The decoder turns the
// flat parameters into the JSON input shape the handlers take (the SDK's …CommandInput); the
// encoder writes each output the way AWS's XML has it.
import type { QueryCodec } from "@/sandbox/core/contracts";
import { escapeXml, toXml } from "@/sandbox/core/xml";
import { nestParams, type QueryValue } from "@/sandbox/core/query-params";

export const SNS_XMLNS = "http://sns.amazonaws.com/doc/2010-03-31/";

// Members the query protocol carries as text but the input shape types as booleans.
const BOOLEAN_MEMBERS = new Set(["ReturnSubscriptionArn"]);

// Operations whose response has no <…Result> element at all.
const NO_RESULT = new Set(["DeleteTopic", "SetTopicAttributes", "Unsubscribe", "SetSubscriptionAttributes", "AddPermission", "RemovePermission"]);

/**
 * Message attributes travel as `MessageAttributes.entry.N.Name` + `.Value.DataType/StringValue/BinaryValue`:
 * the generic map reader knows `key`/`value`, so `Name` is renamed before nesting.
 */
function renameAttributeNames(params: Record<string, string>): Record<string, string> {
  let out: Record<string, string> | undefined;
  for (const key of Object.keys(params)) {
    if (!/(?:^|\.)MessageAttributes\.entry\.\d+\.Name$/.test(key)) continue;
    out ??= { ...params };
    const value = out[key] as string;
    delete out[key];
    out[key.slice(0, -"Name".length) + "key"] = value;
  }
  return out ?? params;
}

function convert(value: QueryValue, name: string): unknown {
  if (typeof value === "string") return BOOLEAN_MEMBERS.has(name) ? value.toLowerCase() === "true" : value;
  if (Array.isArray(value)) return value.map((v) => convert(v, name));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = convert(v, k);
  return out;
}

function attributesXml(attributes: Record<string, unknown>): string {
  let out = "";
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null) continue;
    out += `<entry><key>${escapeXml(key)}</key><value>${escapeXml(String(value))}</value></entry>`;
  }
  return `<Attributes>${out}</Attributes>`;
}

export const snsQueryCodec: QueryCodec = {
  xmlns: SNS_XMLNS,
  decode(_operation, params) {
    const nested = nestParams(renameAttributeNames(params));
    return convert(nested, "") as Record<string, unknown>;
  },
  encodeResult(operation, output) {
    if (NO_RESULT.has(operation)) return null;
    let xml = "";
    for (const [key, value] of Object.entries(output)) {
      if (value === undefined || value === null) continue;
      if (key === "Attributes" && typeof value === "object" && !Array.isArray(value)) xml += attributesXml(value as Record<string, unknown>);
      else xml += toXml({ [key]: value });
    }
    return xml;
  },
};
