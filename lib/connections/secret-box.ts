// Encrypts the learner's sandbox secret key at rest: AES-256-GCM with a key derived by HKDF
// from AUTH_SECRET, so a copy of the database alone does not give the keys away. The GCM tag
// makes any change to the stored text fail to open instead of yielding a wrong secret.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { authSecret } from "@/lib/env";

const VERSION = "v1";
// Fixed salt and info: the key only has to differ from every other use of AUTH_SECRET.
const SALT = "lab-grader/connections";
const INFO = "sandbox-secret-key/aes-256-gcm/v1";

function key(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, SALT, INFO, 32));
}

export class SecretBoxError extends Error {
  constructor() {
    super("The stored secret could not be decrypted (it was changed, or AUTH_SECRET changed since it was stored).");
    this.name = "SecretBoxError";
  }
}

/** "v1.<iv>.<ciphertext>.<tag>", each part base64url. */
export function seal(plaintext: string, secret: string = authSecret()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(secret), iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), body.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

export function open(sealed: string, secret: string = authSecret()): string {
  const [version, iv, body, tag, ...rest] = sealed.split(".");
  if (version !== VERSION || iv === undefined || body === undefined || tag === undefined || rest.length > 0) throw new SecretBoxError();
  try {
    const tagBytes = Buffer.from(tag, "base64url");
    // A full 16-byte tag only: GCM would otherwise accept a truncated (weaker) tag.
    if (tagBytes.length !== 16) throw new SecretBoxError();
    const decipher = createDecipheriv("aes-256-gcm", key(secret), Buffer.from(iv, "base64url"), { authTagLength: 16 });
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretBoxError();
  }
}
