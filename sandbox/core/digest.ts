// One-shot digests for the hot path (SigV4's SHA-256, SQS's MD5). crypto.hash (Node 20.12+)
// is several times cheaper than createHash for a few hundred bytes; older Nodes take the long way.
// Strings are hashed as UTF-8 either way.
import * as nodeCrypto from "node:crypto";
import { createHash } from "node:crypto";

type OneShot = (algorithm: string, data: Buffer | string, outputEncoding: "hex" | "buffer") => string | Buffer;
const oneShot = (nodeCrypto as { hash?: OneShot }).hash;

export function digestHex(algorithm: "sha256" | "md5", data: Buffer | string): string {
  return oneShot ? (oneShot(algorithm, data, "hex") as string) : createHash(algorithm).update(data).digest("hex");
}

export function digest(algorithm: "sha256" | "md5", data: Buffer | string): Buffer {
  return oneShot ? (oneShot(algorithm, data, "buffer") as Buffer) : createHash(algorithm).update(data).digest();
}
