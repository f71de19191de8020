// Secrets the site needs but the operator did not set are generated once and kept in the data
// folder (mode 0600), so sessions survive restarts and nothing secret is printed.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface StoredSecrets {
  AUTH_SECRET: string;
  /** Bearer token of the sandbox's admin API, shared by the site and the sandbox it starts. */
  SANDBOX_ADMIN_TOKEN: string;
}

const fresh = (): string => randomBytes(32).toString("base64url");

export function loadOrCreateSecrets(dataDir: string): StoredSecrets {
  const file = path.join(dataDir, "secrets.json");
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const stored = (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {}) as Partial<StoredSecrets>;
  const usable = (v: unknown): v is string => typeof v === "string" && v.length >= 32;
  const secrets: StoredSecrets = {
    AUTH_SECRET: usable(stored.AUTH_SECRET) ? stored.AUTH_SECRET : fresh(),
    SANDBOX_ADMIN_TOKEN: usable(stored.SANDBOX_ADMIN_TOKEN) ? stored.SANDBOX_ADMIN_TOKEN : fresh(),
  };
  if (secrets.AUTH_SECRET !== stored.AUTH_SECRET || secrets.SANDBOX_ADMIN_TOKEN !== stored.SANDBOX_ADMIN_TOKEN) {
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}
