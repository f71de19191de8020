"use server";
// The webhook page's actions. lib/webhooks decides who may do what (through the cohort's access
// rule) and writes the audit log; these parse the form, call it, and turn its domain errors into
// messages. A secret comes back in the state once and is never stored anywhere else in clear.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getCurrentUser } from "@/lib/auth/session";
import { DomainError } from "@/lib/errors";
import type { FormState } from "@/lib/form-state";
import { createWebhook, deleteWebhook, retryDelivery, rotateWebhookSecret, sendTestEvent, setWebhookActive } from "@/lib/webhooks";

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const webhookForm = z.object({ cohortId: id, webhookId: id });
const createForm = z.object({ cohortId: id, url: z.string().max(4_000, "The URL is too long: use at most 2000 characters.") });
const activeForm = webhookForm.extend({ active: z.enum(["true", "false"]) });
const retryForm = z.object({ cohortId: id, deliveryId: id });

export type SecretState = FormState & { secret?: string };

const SIGNED_OUT: FormState = { ok: false, message: "Your session has ended. Sign in again." };
const NOT_FOUND: FormState = { ok: false, message: "That webhook was not found. Reload the page." };
const pagePath = (cohortId: string) => `/cohorts/${cohortId}/webhooks`;

/** Runs `work` as the signed-in user; a domain error becomes its message, anything else is thrown (the error page, no details). */
async function asUser<T extends FormState>(work: (actor: NonNullable<Awaited<ReturnType<typeof getCurrentUser>>>) => Promise<T>): Promise<T | FormState> {
  const actor = await getCurrentUser();
  if (!actor) return SIGNED_OUT;
  try {
    return await work(actor);
  } catch (err) {
    if (err instanceof DomainError) return { ok: false, message: err.message };
    throw err;
  }
}

// The two actions that return a secret take no previous state: with useActionState the previous
// state travels back to the server on the next submit, and a secret must not make that trip.
export async function createWebhookAction(formData: FormData): Promise<SecretState> {
  const parsed = createForm.safeParse({ cohortId: formData.get("cohortId"), url: formData.get("url") ?? "" });
  if (!parsed.success) {
    const tooLong = parsed.error.issues.find((i) => i.path[0] === "url");
    return tooLong ? { ok: false, errors: { url: [tooLong.message] }, message: tooLong.message } : NOT_FOUND;
  }
  const { cohortId, url } = parsed.data;
  const out = await asUser(async (actor) => {
    const { webhook, secret } = await createWebhook(actor, cohortId, { url });
    return { ok: true, secret, message: `Events for this cohort will be sent to ${webhook.url}.` } satisfies SecretState;
  });
  if (out.ok) revalidatePath(pagePath(cohortId));
  else if (out !== SIGNED_OUT) return { ...out, errors: { url: [out.message ?? "That URL cannot be used."] }, values: { url: url.slice(0, 2_000) } };
  return out;
}

export async function setActiveAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const parsed = activeForm.safeParse({ cohortId: formData.get("cohortId"), webhookId: formData.get("webhookId"), active: formData.get("active") });
  if (!parsed.success) return NOT_FOUND;
  const { cohortId, webhookId, active } = parsed.data;
  const out = await asUser(async (actor) => {
    await setWebhookActive(actor, webhookId, active === "true");
    return { ok: true, message: active === "true" ? "Resumed: queued and new events will be sent." : "Paused: events are queued and sent when you resume." };
  });
  if (out.ok) revalidatePath(pagePath(cohortId));
  return out;
}

export async function sendTestAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const parsed = webhookForm.safeParse({ cohortId: formData.get("cohortId"), webhookId: formData.get("webhookId") });
  if (!parsed.success) return NOT_FOUND;
  const { cohortId, webhookId } = parsed.data;
  const out = await asUser(async (actor) => {
    await sendTestEvent(actor, webhookId);
    return { ok: true, message: "A test event (type ping) is on its way. Reload the page in a few seconds to see how it went." };
  });
  if (out.ok) revalidatePath(pagePath(cohortId));
  return out;
}

export async function rotateSecretAction(formData: FormData): Promise<SecretState> {
  const parsed = webhookForm.safeParse({ cohortId: formData.get("cohortId"), webhookId: formData.get("webhookId") });
  if (!parsed.success) return NOT_FOUND;
  return asUser(async (actor) => {
    const { secret } = await rotateWebhookSecret(actor, parsed.data.webhookId);
    return { ok: true, secret, message: "A new signing secret is in use from now on; the old one no longer signs anything." } satisfies SecretState;
  });
}

export async function deleteWebhookAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const parsed = webhookForm.safeParse({ cohortId: formData.get("cohortId"), webhookId: formData.get("webhookId") });
  if (!parsed.success) return NOT_FOUND;
  const { cohortId, webhookId } = parsed.data;
  const out = await asUser(async (actor) => {
    await deleteWebhook(actor, webhookId);
    return { ok: true, message: "The webhook and its delivery log were deleted." };
  });
  if (out.ok) revalidatePath(pagePath(cohortId));
  return out;
}

export async function retryDeliveryAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const parsed = retryForm.safeParse({ cohortId: formData.get("cohortId"), deliveryId: formData.get("deliveryId") });
  if (!parsed.success) return { ok: false, message: "That delivery was not found. Reload the page." };
  const { cohortId, deliveryId } = parsed.data;
  const out = await asUser(async (actor) => {
    await retryDelivery(actor, deliveryId);
    return { ok: true, message: "Queued for one more try now. Reload the page in a few seconds to see how it went." };
  });
  if (out.ok) revalidatePath(pagePath(cohortId));
  return out;
}

