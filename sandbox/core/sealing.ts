// Secrets at rest: issued secret keys are stored sealed with AES-256-GCM under a key only the
// sandbox holds — a file beside its data, mode 0600, generated at first start. Not the site's
// AUTH_SECRET: the sandbox holds none of the site's secrets, and a copy of the database (a
// backup, a file left readable) gives no one a learner's keys.
import fs from "node:fs";
import path from "node:path";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

export interface Sealer {
  /** `gcm1.<iv>.<ciphertext>.<tag>` (base64url); `context` (the access key id) is authenticated too, so a sealed secret moved to another key's row does not open. */
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
}

const PREFIX = "gcm1.";
const KEY_FILE = "sealing-key";

export function isSealed(value: unknown): value is string {
  return typeof value === "string" && value.startsWith(PREFIX);
}

export function createSealer(key: Buffer): Sealer {
  if (key.length !== 32) throw new Error("The sealing key must be 32 bytes (AES-256).");
  return {
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(context, "utf8"));
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return `${PREFIX}${iv.toString("base64url")}.${body.toString("base64url")}.${cipher.getAuthTag().toString("base64url")}`;
    },
    open(sealed, context) {
      const parts = sealed.slice(PREFIX.length).split(".");
      if (!sealed.startsWith(PREFIX) || parts.length !== 3) throw new Error("A sealed secret in the sandbox's store is malformed.");
      const [iv, body, tag] = parts.map((p) => Buffer.from(p, "base64url")) as [Buffer, Buffer, Buffer];
      const decipher = createDecipheriv("aes-256-gcm", key, iv);
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
      } catch {
        throw new Error(`A sealed secret in the sandbox's store does not open with ${KEY_FILE}: was the key file replaced?`);
      }
    },
  };
}

/** The sandbox's sealing key: read from `<dataDir>/sealing-key`, or generated there (0600) the first time. */
export function loadOrCreateSealingKey(dataDir: string): Buffer {
  const file = path.join(dataDir, KEY_FILE);
  if (!fs.existsSync(file)) {
    // Written whole to a temporary name, then linked into place: a crash never leaves an empty
    // key file, and a key that exists is never overwritten (losing it loses every sealed secret).
    const temp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
    fs.writeFileSync(temp, randomBytes(32).toString("base64") + "\n", { mode: 0o600, flag: "wx" });
    try {
      fs.linkSync(temp, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    } finally {
      fs.unlinkSync(temp);
    }
  }
  fs.chmodSync(file, 0o600);
  const key = Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte key (base64); restore it from a backup, or remove the sandbox's data to start afresh.`);
  return key;
}
