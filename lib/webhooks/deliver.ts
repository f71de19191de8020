// One try of one queued delivery (WebhookDelivery: pending → delivered | failed). The queue lives
// in the database so several app instances can share it (ARCHITECTURE.md "Growing past one
// machine"): a try is claimed with a conditional update, and only the instance whose update
// counted sends it.
import { db } from "@/lib/db/client";
import { outboundPolicy } from "@/lib/connections/endpoint-check";
import { SecretBoxError } from "@/lib/connections/secret-box";
import { env } from "@/lib/env";
import { MAX_TRIES, retryDelayMs } from "./backoff";
import { openWebhookSecret } from "./secret";
import { postSigned, USER_AGENT, type SendResult } from "./send";
import { SIGNATURE_HEADER, signatureHeader } from "./signature";
import { appendTry } from "./try-log";
import { checkWebhookUrl, type UrlPolicyDeps } from "./url-policy";

/** Longer than a send can take (10 s timeout): a claim left by a crashed instance expires, and the try is made again. */
export const CLAIM_LEASE_MS = 60_000;

export interface DeliveryDeps extends UrlPolicyDeps {
  /** The first retry delay; env.WEBHOOK_RETRY_BASE_MS by default. */
  retryBaseMs?: number;
  timeoutMs?: number;
}

export type TryOutcome = "delivered" | "retry" | "failed" | "skipped";

/** Makes the due try of delivery `id` at `now`, unless another instance claimed it first. */
export async function attemptDelivery(id: string, now: Date = new Date(), deps: DeliveryDeps = {}): Promise<TryOutcome> {
  const row = await db.webhookDelivery.findUnique({ where: { id }, include: { webhook: { select: { url: true, secretEnc: true, active: true } } } });
  if (!row || row.status !== "pending" || !row.webhook.active) return "skipped";
  if (row.nextAttemptAt && row.nextAttemptAt > now) return "skipped";

  // The claim: only one caller sees count 1 for this (id, tries) while it is due.
  const claimed = await db.webhookDelivery.updateMany({
    where: { id, status: "pending", tries: row.tries, OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] },
    data: { nextAttemptAt: new Date(now.getTime() + CLAIM_LEASE_MS) },
  });
  if (claimed.count !== 1) return "skipped";

  let result: SendResult;
  try {
    result = await sendOnce(row, now, deps);
  } catch (err) {
    // Counted as a try, so a delivery that always throws still ends as failed instead of
    // coming back every lease forever. The message only: never the payload or the secret.
    result = { ok: false, error: `Not sent: an unexpected error occurred (${err instanceof Error ? err.message.slice(0, 200) : "unknown"}).` };
  }
  const tries = row.tries + 1;
  if (result.ok) {
    await db.webhookDelivery.updateMany({
      where: { id, tries: row.tries },
      data: { status: "delivered", tries, responseStatus: result.status, nextAttemptAt: null, deliveredAt: now },
    });
    return "delivered";
  }
  const delay = tries >= MAX_TRIES ? null : retryDelayMs(tries, deps.retryBaseMs ?? env.WEBHOOK_RETRY_BASE_MS);
  await db.webhookDelivery.updateMany({
    where: { id, tries: row.tries },
    data: {
      status: delay === null ? "failed" : "pending",
      tries,
      responseStatus: result.status ?? null,
      error: appendTry(row.error, { try: tries, at: now.toISOString(), ...(result.status !== undefined ? { status: result.status } : {}), error: result.error }),
      nextAttemptAt: delay === null ? null : new Date(now.getTime() + delay),
    },
  });
  return delay === null ? "failed" : "retry";
}

async function sendOnce(
  row: { id: string; type: string; payload: string; webhook: { url: string; secretEnc: string } },
  now: Date,
  deps: DeliveryDeps,
): Promise<SendResult> {
  // Again at every try: the name may resolve elsewhere now than at registration.
  const verdict = await checkWebhookUrl(row.webhook.url, deps);
  if (!verdict.ok) return { ok: false, error: `Not sent: the URL is no longer allowed. ${verdict.reason}` };
  let secret: string;
  try {
    secret = openWebhookSecret(row.webhook.secretEnc);
  } catch (err) {
    if (err instanceof SecretBoxError) return { ok: false, error: "Not sent: the signing secret could not be decrypted (AUTH_SECRET changed?). Rotate the secret." };
    throw err;
  }
  const timestamp = Math.floor(now.getTime() / 1000);
  return postSigned({
    url: verdict.url,
    body: row.payload,
    policy: deps.policy ?? outboundPolicy(),
    ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
    headers: {
      "Content-Type": "application/json",
      "User-Agent": USER_AGENT,
      "X-Lab-Grader-Event": row.type,
      "X-Lab-Grader-Delivery": row.id,
      [SIGNATURE_HEADER]: signatureHeader(secret, row.payload, timestamp),
    },
  });
}
