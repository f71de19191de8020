// Validation of what a sender puts in a message — body characters, message attributes, size,
// FIFO ids — with the error codes and wording AWS uses, shared by SendMessage and its batch form.
import { InvalidMessageContents, InvalidParameterValue, missingParameter, invalidParameter } from "./errors";
import type { MessageAttributeValue } from "./md5";

// XML 1.0's characters: anything else in a body is refused.
const INVALID_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]+$/;
const FIFO_ID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;
const MAX_ATTRIBUTES = 10;

export function checkBody(body: unknown): string {
  if (body === undefined || body === null || body === "") throw missingParameter("MessageBody");
  if (typeof body !== "string") throw InvalidParameterValue("The parameter MessageBody must be a string.");
  const bad = INVALID_CHAR.exec(body);
  if (bad) {
    const code = bad[0].codePointAt(0) ?? 0;
    throw InvalidMessageContents(
      `Invalid binary character '#x${code.toString(16).toUpperCase()}' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF`,
    );
  }
  return body;
}

/** Checks message attributes and returns them with their size in bytes (name + type + value). */
export function checkMessageAttributes(raw: unknown, kind: "user" | "system" = "user"): { attributes?: Record<string, MessageAttributeValue>; size: number } {
  if (raw === undefined || raw === null) return { size: 0 };
  if (typeof raw !== "object" || Array.isArray(raw)) throw InvalidParameterValue("The parameter MessageAttributes must be a map.");
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length === 0) return { size: 0 };
  if (kind === "user" && entries.length > MAX_ATTRIBUTES) {
    throw InvalidParameterValue(`Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`);
  }
  const attributes: Record<string, MessageAttributeValue> = {};
  let size = 0;
  for (const [name, value] of entries) {
    if (kind === "system") {
      if (name !== "AWSTraceHeader") throw InvalidParameterValue(`Message system attribute name '${name}' is invalid.`);
    } else {
      checkAttributeName(name);
    }
    if (typeof value !== "object" || value === null) throw InvalidParameterValue(`The message attribute '${name}' must contain a value.`);
    const v = value as Record<string, unknown>;
    const type = v.DataType;
    if (typeof type !== "string" || type === "") throw InvalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute type.`);
    const base = type.split(".", 1)[0];
    if ((base !== "String" && base !== "Number" && base !== "Binary") || type.length > 256) {
      throw InvalidParameterValue(
        `The type of message (${kind}) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
      );
    }
    if (kind === "system" && type !== "String") throw InvalidParameterValue(`The message system attribute '${name}' must be of type String.`);
    const emptyValue = () =>
      InvalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${base}'.`);
    if (base === "Binary") {
      const b = v.BinaryValue;
      if (typeof b !== "string" || b === "") throw emptyValue();
      const bytes = Buffer.from(b, "base64");
      if (bytes.length === 0) throw emptyValue();
      attributes[name] = { DataType: type, BinaryValue: bytes.toString("base64") };
      size += bytes.length;
    } else {
      const s = v.StringValue;
      if (typeof s !== "string" || s === "") throw emptyValue();
      if (base === "Number" && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s.trim())) {
        throw InvalidParameterValue(`Could not cast message attribute '${name}' value to number.`);
      }
      if (INVALID_CHAR.test(s)) throw InvalidParameterValue(`Message (${kind}) attribute '${name}' value contains invalid characters.`);
      attributes[name] = { DataType: type, StringValue: s };
      size += Buffer.byteLength(s, "utf8");
    }
    size += Buffer.byteLength(name, "utf8") + Buffer.byteLength(type, "utf8");
  }
  return { attributes, size };
}

function checkAttributeName(name: string): void {
  if (name === "") throw InvalidParameterValue("The request must contain non-empty message attribute name.");
  if (name.length > 256) throw InvalidParameterValue(`Message (user) attribute name '${name}' exceeds the maximum allowed length of 256 characters.`);
  const lower = name.toLowerCase();
  if (lower.startsWith("aws.") || lower.startsWith("amazon.")) {
    throw InvalidParameterValue(`Message (user) attribute name '${name}' is reserved for use by SQS.`);
  }
  if (!ATTRIBUTE_NAME.test(name) || name.startsWith(".") || name.endsWith(".") || name.includes("..")) {
    throw InvalidParameterValue(
      `Message (user) attribute name '${name}' is invalid. Attribute name can contain A-Z, a-z, 0-9, underscore (_), hyphen (-), and period (.) characters.`,
    );
  }
}

export function checkFifoId(name: "MessageGroupId" | "MessageDeduplicationId", value: unknown): string {
  if (typeof value !== "string" || !FIFO_ID.test(value)) {
    throw invalidParameter(name, value, `${name} can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
  }
  return value;
}
