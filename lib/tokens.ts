import { createHash, randomBytes } from "node:crypto";

/** A random token for a URL or header: 32 bytes, base64url. */
export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** Tokens are stored only as their SHA-256: a leaked database does not leak usable links. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
