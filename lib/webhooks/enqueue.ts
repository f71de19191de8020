// Which deliveries a recorded attempt queues. The grading service's record step calls
// planStepEvents BEFORE its batch transaction and adds the rows to that transaction, so an event
// is stored exactly when its attempt is: never lost, never sent for an attempt that was not
// stored. The per-user-and-step check lock serialises checks of one step, so the status read
// here is still the previous one when the transaction runs.
import type { Prisma } from "@prisma/client";
import { db } from "@/lib/db/client";
import { eventBody, newEventId, stepTransition, type WebhookEvent, type WebhookEventType } from "./events";

export type DeliveryRow = Prisma.WebhookDeliveryCreateManyInput;

/** One event per cohort (its body names the cohort), one delivery per active webhook of that cohort. */
export function deliveriesFor(
  base: Omit<WebhookEvent, "id" | "cohort" | "type"> & { type: WebhookEventType },
  webhooks: { id: string; cohortId: string }[],
  now: Date,
): DeliveryRow[] {
  const eventIds = new Map<string, string>();
  return webhooks.map((w) => {
    let id = eventIds.get(w.cohortId);
    if (!id) eventIds.set(w.cohortId, (id = newEventId()));
    const payload = eventBody({ ...base, id, cohort: { id: w.cohortId } });
    return { webhookId: w.id, eventId: id, type: base.type, payload, status: "pending", tries: 0, nextAttemptAt: now, createdAt: now };
  });
}

export async function planStepEvents(o: { userId: string; lab: string; step: number; status: string; now: Date }): Promise<DeliveryRow[]> {
  const previous = await db.stepProgress.findUnique({ where: { userId_lab_step: { userId: o.userId, lab: o.lab, step: o.step } }, select: { status: true } });
  const type = stepTransition(previous?.status ?? null, o.status);
  if (!type) return [];
  const webhooks = await db.webhook.findMany({
    where: { active: true, cohort: { memberships: { some: { userId: o.userId } } } },
    select: { id: true, cohortId: true },
    orderBy: { createdAt: "asc" },
  });
  if (webhooks.length === 0) return [];
  const user = await db.user.findUnique({ where: { id: o.userId }, select: { id: true, email: true } });
  if (!user) return [];
  return deliveriesFor({ type, occurredAt: o.now.toISOString(), lab: o.lab, step: o.step, user }, webhooks, o.now);
}
