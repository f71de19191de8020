// The checksums SQS returns and clients verify (the SDKs compare MD5OfBody, the Java SDK also the
// attributes' MD5): the body's MD5 over its UTF-8 bytes, and the message attributes' MD5 over
// AWS's binary encoding — attributes sorted by name, each as length-prefixed name, data type, a
// transport byte (1 string, 2 binary) and length-prefixed value, lengths 4-byte big-endian.
import * as nodeCrypto from "node:crypto";
import { createHash } from "node:crypto";

// crypto.hash (Node 20.12+) is a one-shot digest, several times cheaper than createHash for a
// message body; strings are hashed as UTF-8 either way.
const oneShotHash = (nodeCrypto as { hash?: (algorithm: string, data: string, encoding: "hex") => string }).hash;

export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  /** Base64, as both protocols carry it. */
  BinaryValue?: string;
}

export function md5Hex(text: string): string {
  return oneShotHash ? oneShotHash("md5", text, "hex") : createHash("md5").update(text, "utf8").digest("hex");
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
  return createHash("md5").update(Buffer.concat(parts)).digest("hex");
}
