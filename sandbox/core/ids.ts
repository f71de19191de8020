// Random identifiers in AWS's shapes: 12-digit account ids, AKIA/ASIA key ids, 40-character
// secrets, session tokens, and the unique ids IAM gives roles and policies.
import { randomBytes, randomInt } from "node:crypto";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function base32(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const b of bytes) out += BASE32[b & 31];
  return out;
}

export function newAccountId(): string {
  let id = "";
  for (let i = 0; i < 12; i++) id += String(randomInt(0, 10));
  return id;
}

/** `AKIA` for long-term account keys, `ASIA` for STS session keys; 20 characters in all. */
export function newAccessKeyId(prefix: "AKIA" | "ASIA"): string {
  return prefix + base32(16);
}

export function newSecretAccessKey(): string {
  return randomBytes(30).toString("base64");
}

export function newSessionToken(): string {
  return "IQoJb3JpZ2luX2VjE" + randomBytes(96).toString("base64");
}

/** IAM unique ids: AROA (role), ANPA (managed policy), AIDA (user). */
export function newUniqueId(prefix: "AROA" | "ANPA" | "AIDA"): string {
  return prefix + base32(17);
}
