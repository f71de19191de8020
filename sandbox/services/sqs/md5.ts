// The checksums SQS returns and clients verify (the SDKs compare MD5OfBody, the Java SDK also the
// attributes' MD5): the body's MD5 over its UTF-8 bytes, and the message attributes' MD5 over
// AWS's binary encoding — attributes sorted by name, each as length-prefixed name, data type, a
// transport byte (1 string, 2 binary) and length-prefixed value, lengths 4-byte big-endian.
import { digestHex } from "@/sandbox/core/digest";

export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  /** Base64, as both protocols carry it. */
  BinaryValue?: string;
}

export function md5Hex(text: string): string {
  return digestHex("md5", text);
}

function lengthPrefixed(bytes: Buffer): Buffer[] {
  const len = Buffer.allocUnsafe(4);
  len.writeUInt32BE(bytes.length, 0);
  return [len, bytes];
}

export function md5OfAttributes(attributes: Record<string, MessageAttributeValue>): string {
  const names = Object.keys(attributes).sort();
  const parts: Buffer[] = [];
  for (const name of names) {
    const a = attributes[name]!;
    parts.push(...lengthPrefixed(Buffer.from(name, "utf8")), ...lengthPrefixed(Buffer.from(a.DataType, "utf8")));
    if (a.DataType.startsWith("Binary")) {
      parts.push(Buffer.of(2), ...lengthPrefixed(Buffer.from(a.BinaryValue ?? "", "base64")));
    } else {
      parts.push(Buffer.of(1), ...lengthPrefixed(Buffer.from(a.StringValue ?? "", "utf8")));
    }
  }
  return digestHex("md5", Buffer.concat(parts));
}
