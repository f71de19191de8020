// What instructors (of the cohort) and admins do with a cohort's webhooks. Every function checks
// the viewer itself through the cohort layer's one access rule, so a page, an action or an API
// route cannot forget to; every change is audited (never with the secret).
import { audit } from "@/lib/audit";
import { getCohortForViewer } from "@/lib/cohorts";
import type { Viewer } from "@/lib/cohorts/types";
import { DEFAULT_LAB } from "@/lib/content/lab";
import { db } from "@/lib/db/client";
import { NotFoundError } from "@/lib/errors";
import { deliveriesFor } from "./enqueue";
import { TooManyWebhooksError, WebhookInputError } from "./errors";
import { newWebhookSecret, sealWebhookSecret } from "./secret";
import { parseTryLog, type FailedTry } from "./try-log";
import { checkWebhookUrl, type UrlPolicyDeps } from "./url-policy";
import { kickWebhookWorker } from "./worker";

export const MAX_WEBHOOKS_PER_COHORT = 10;
export const DELIVERY_LOG_SIZE = 50;

/** What pages and APIs may show: never the secret, sealed or not. */
export interface WebhookView {
  id: string;
  cohortId: string;
  url: string;
  active: boolean;
  createdAt: string;
}

export interface DeliveryView {
  id: string;
  eventId: string;
  type: string;
  learner: { id: string; email: string } | null;
  step: number | null;
  status: "pending" | "delivered" | "failed";
  tries: number;
  responseStatus: number | null;
  /** Why the latest try did not deliver, if it did not. */
  lastError: string | null;
  /** Each try that did not deliver, oldest first. */
  failedTries: FailedTry[];
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

const webhookSelect = { id: true, cohortId: true, url: true, active: true, createdAt: true } as const;
const toView = (w: { id: string; cohortId: string; url: string; active: boolean; createdAt: Date }): WebhookView => ({
  id: w.id,
  cohortId: w.cohortId,
  url: w.url,
  active: w.active,
  createdAt: w.createdAt.toISOString(),
});

/** The URL as the audit log keeps it: no query string or fragment, which often carry a receiver's token. */
function auditUrl(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

/** The webhook, if the viewer may manage its cohort; NotFoundError otherwise (its existence is not revealed). */
async function loadWebhookFor(viewer: Viewer, webhookId: string) {
  if (typeof webhookId !== "string" || webhookId.length === 0 || webhookId.length > 64) throw new NotFoundError("That webhook");
  const webhook = await db.webhook.findUnique({ where: { id: webhookId }, select: webhookSelect });
  if (!webhook) throw new NotFoundError("That webhook");
  try {
    await getCohortForViewer(viewer, webhook.cohortId);
  } catch (err) {
    if (err instanceof NotFoundError) throw new NotFoundError("That webhook");
    throw err;
  }
  return webhook;
}

export async function listWebhooks(viewer: Viewer, cohortId: string): Promise<WebhookView[]> {
  await getCohortForViewer(viewer, cohortId);
  const rows = await db.webhook.findMany({ where: { cohortId }, select: webhookSelect, orderBy: { createdAt: "asc" } });
  return rows.map(toView);
}

/** Registers a URL; the secret is returned now and never again (only its sealed form is stored). */
export async function createWebhook(viewer: Viewer, cohortId: string, input: { url: string }, deps: UrlPolicyDeps = {}): Promise<{ webhook: WebhookView; secret: string }> {
  await getCohortForViewer(viewer, cohortId);
  const checked = await checkWebhookUrl(typeof input.url === "string" ? input.url : "", deps);
  if (!checked.ok) throw new WebhookInputError(`That URL cannot receive webhooks: ${checked.reason}`);
  if ((await db.webhook.count({ where: { cohortId } })) >= MAX_WEBHOOKS_PER_COHORT) throw new TooManyWebhooksError(MAX_WEBHOOKS_PER_COHORT);
  const secret = newWebhookSecret();
  const row = await db.webhook.create({
    data: { cohortId, url: checked.url, secretEnc: sealWebhookSecret(secret), createdById: viewer.id },
    select: webhookSelect,
  });
  await audit({ actorId: viewer.id, action: "webhook.create", cohortId, details: { webhookId: row.id, url: auditUrl(row.url) } });
  return { webhook: toView(row), secret };
}

/** Pauses (no deliveries are made; queued ones wait) or resumes a webhook. */
export async function setWebhookActive(viewer: Viewer, webhookId: string, active: boolean): Promise<WebhookView> {
  const webhook = await loadWebhookFor(viewer, webhookId);
  const row = await db.webhook.update({ where: { id: webhook.id }, data: { active }, select: webhookSelect });
  await audit({ actorId: viewer.id, action: active ? "webhook.resume" : "webhook.pause", cohortId: webhook.cohortId, details: { webhookId: webhook.id } });
  if (active) kickWebhookWorker();
  return toView(row);
}

export async function deleteWebhook(viewer: Viewer, webhookId: string): Promise<void> {
  const webhook = await loadWebhookFor(viewer, webhookId);
  // Its deliveries go with it (onDelete: Cascade): nothing is sent for a deleted webhook.
  await db.webhook.delete({ where: { id: webhook.id } });
  await audit({ actorId: viewer.id, action: "webhook.delete", cohortId: webhook.cohortId, details: { webhookId: webhook.id, url: auditUrl(webhook.url) } });
}

/** A new secret, returned once; deliveries from now on are signed with it. */
export async function rotateWebhookSecret(viewer: Viewer, webhookId: string): Promise<{ secret: string }> {
  const webhook = await loadWebhookFor(viewer, webhookId);
  const secret = newWebhookSecret();
  await db.webhook.update({ where: { id: webhook.id }, data: { secretEnc: sealWebhookSecret(secret) } });
  await audit({ actorId: viewer.id, action: "webhook.secret.rotate", cohortId: webhook.cohortId, details: { webhookId: webhook.id } });
  return { secret };
}

/** Queues a "ping" event marked `test: true` (the instructor as its user), sent like any other. */
export async function sendTestEvent(viewer: Viewer & { email: string }, webhookId: string, now: Date = new Date()): Promise<{ deliveryId: string; eventId: string }> {
  const webhook = await loadWebhookFor(viewer, webhookId);
  const [row] = deliveriesFor(
    { type: "ping", occurredAt: now.toISOString(), lab: DEFAULT_LAB, step: 1, user: { id: viewer.id, email: viewer.email }, test: true },
    [{ id: webhook.id, cohortId: webhook.cohortId }],
    now,
  );
  if (!row) throw new Error("No test delivery was planned.");
  const created = await db.webhookDelivery.create({ data: row, select: { id: true, eventId: true } });
  await audit({ actorId: viewer.id, action: "webhook.test", cohortId: webhook.cohortId, details: { webhookId: webhook.id, eventId: created.eventId } });
  kickWebhookWorker();
  return { deliveryId: created.id, eventId: created.eventId };
}

/** The newest deliveries of a webhook first (at most `limit`, default 50). */
export async function listDeliveries(viewer: Viewer, webhookId: string, o: { limit?: number } = {}): Promise<DeliveryView[]> {
  const webhook = await loadWebhookFor(viewer, webhookId);
  const take = Math.max(1, Math.min(DELIVERY_LOG_SIZE, o.limit ?? DELIVERY_LOG_SIZE));
  const rows = await db.webhookDelivery.findMany({ where: { webhookId: webhook.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take });
  return rows.map(toDeliveryView);
}

function toDeliveryView(r: {
  id: string; eventId: string; type: string; payload: string; status: string; tries: number; responseStatus: number | null;
  error: string | null; nextAttemptAt: Date | null; deliveredAt: Date | null; createdAt: Date;
}): DeliveryView {
  let learner: DeliveryView["learner"] = null;
  let step: number | null = null;
  try {
    const body = JSON.parse(r.payload) as { user?: { id?: unknown; email?: unknown }; step?: unknown };
    if (typeof body.user?.id === "string" && typeof body.user.email === "string") learner = { id: body.user.id, email: body.user.email };
    if (typeof body.step === "number") step = body.step;
  } catch {
    // A payload that is not JSON shows without learner and step rather than breaking the log.
  }
  const failedTries = parseTryLog(r.error);
  const last = failedTries.at(-1);
  const status = r.status === "delivered" || r.status === "failed" ? r.status : "pending";
  return {
    id: r.id,
    eventId: r.eventId,
    type: r.type,
    learner,
    step,
    status,
    tries: r.tries,
    responseStatus: r.responseStatus,
    lastError: status !== "delivered" && last && last.try === r.tries ? last.error : null,
    failedTries,
    nextAttemptAt: status === "pending" ? (r.nextAttemptAt?.toISOString() ?? null) : null,
    deliveredAt: r.deliveredAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  };
}

/** "Retry now" for a failed delivery: one more try, made at once. */
export async function retryDelivery(viewer: Viewer, deliveryId: string, now: Date = new Date()): Promise<void> {
  if (typeof deliveryId !== "string" || deliveryId.length === 0 || deliveryId.length > 64) throw new NotFoundError("That delivery");
  const delivery = await db.webhookDelivery.findUnique({ where: { id: deliveryId }, select: { id: true, webhookId: true, status: true } });
  if (!delivery) throw new NotFoundError("That delivery");
  const webhook = await loadWebhookFor(viewer, delivery.webhookId).catch((err: unknown) => {
    throw err instanceof NotFoundError ? new NotFoundError("That delivery") : err;
  });
  if (delivery.status !== "failed") throw new WebhookInputError("Only a failed delivery can be retried; this one is still queued or was delivered.");
  // Conditional: two presses make one retry.
  const reopened = await db.webhookDelivery.updateMany({ where: { id: delivery.id, status: "failed" }, data: { status: "pending", nextAttemptAt: now } });
  if (reopened.count !== 1) return;
  await audit({ actorId: viewer.id, action: "webhook.delivery.retry", cohortId: webhook.cohortId, details: { webhookId: webhook.id, deliveryId: delivery.id } });
  kickWebhookWorker();
}
