// A webhook's signing secret: 32 random bytes, shown to the instructor once, stored only sealed
// with the secret box (AES-256-GCM under a key derived from AUTH_SECRET).
import { randomBytes } from "node:crypto";
import { open, seal } from "@/lib/connections/secret-box";

export const SECRET_PREFIX = "whsec_";

export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString("base64url")}`;
}

export const sealWebhookSecret = (secret: string): string => seal(secret);
export const openWebhookSecret = (sealed: string): string => open(sealed);
