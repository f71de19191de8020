// Secrets the site needs but the operator did not set are generated once and kept in the data
// folder (mode 0600), so sessions survive restarts and nothing secret is printed.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface StoredSecrets {
  AUTH_SECRET: string;
}

export function loadOrCreateSecrets(dataDir: string): StoredSecrets {
  const file = path.join(dataDir, "secrets.json");
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (fs.existsSync(file)) {
    const stored = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<StoredSecrets>;
    if (typeof stored.AUTH_SECRET === "string" && stored.AUTH_SECRET.length >= 32) return { AUTH_SECRET: stored.AUTH_SECRET };
  }
  const secrets: StoredSecrets = { AUTH_SECRET: randomBytes(32).toString("base64url") };
  fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
