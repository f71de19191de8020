// The webhook signature (ARCHITECTURE.md "Interfaces"): `X-Lab-Grader-Signature: t=<unix>,v1=<hex>`
// where v1 is HMAC-SHA256(secret, "<t>.<body>"). Signing the timestamp with the body lets a
// receiver refuse replays of an old delivery. Receivers may copy verifySignature as it is: it
// depends on node:crypto only.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "X-Lab-Grader-Signature";

function hmacHex(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex");
}

/** The header value for `body` signed at `timestamp` (unix seconds). */
export function signatureHeader(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, body)}`;
}

/**
 * Whether `header` is a valid signature of `body` with `secret`, made within `toleranceSeconds`
 * of `now`. Any v1 value may match (several appear while a receiver rotates secrets); the
 * comparison takes the same time whatever the bytes, so it leaks nothing about the secret.
 */
export function verifySignature(
  secret: string,
  header: string | null | undefined,
  body: string,
  options: { toleranceSeconds?: number; now?: Date } = {},
): boolean {
  if (typeof header !== "string" || header.length > 2_000) return false;
  const { toleranceSeconds = 300, now = new Date() } = options;
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === "t" && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === "v1" && /^[0-9a-f]{64}$/.test(value)) candidates.push(value);
  }
  if (timestamp === undefined || candidates.length === 0) return false;
  if (Math.abs(Math.floor(now.getTime() / 1000) - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(hmacHex(secret, timestamp, body), "hex");
  let ok = false;
  // Compare against every candidate (no early exit) so timing does not tell which one matched.
  for (const c of candidates) ok = timingSafeEqual(expected, Buffer.from(c, "hex")) || ok;
  return ok;
}
