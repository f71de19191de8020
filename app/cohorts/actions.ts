"use server";
// The instructor's cohort actions. lib/cohorts decides who may do what (and writes the audit
// log); these only parse the form, call it, and turn its domain errors into form messages.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getCurrentUser } from "@/lib/auth/session";
import { cohortNameSchema, createCohort, regenerateJoinCode } from "@/lib/cohorts";
import { DomainError } from "@/lib/errors";
import { fieldErrors, type FormState } from "@/lib/form-state";

const createForm = z.object({ name: cohortNameSchema });
const cohortForm = z.object({ cohortId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });

const SIGNED_OUT: FormState = { ok: false, message: "Your session has ended. Sign in again." };

export async function createCohortAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const actor = await getCurrentUser();
  if (!actor) return SIGNED_OUT;
  const parsed = createForm.safeParse({ name: formData.get("name") ?? "" });
  if (!parsed.success) return { ...fieldErrors(parsed.error), values: { name: String(formData.get("name") ?? "") } };
  let id: string;
  try {
    id = (await createCohort(actor, { name: parsed.data.name })).id;
  } catch (err) {
    if (err instanceof DomainError) return { ok: false, message: err.message, values: { name: parsed.data.name } };
    throw err;
  }
  revalidatePath("/cohorts");
  // Outside the try: redirect() works by throwing.
  redirect(`/cohorts/${encodeURIComponent(id)}`);
}

export async function regenerateJoinCodeAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const actor = await getCurrentUser();
  if (!actor) return SIGNED_OUT;
  const parsed = cohortForm.safeParse({ cohortId: formData.get("cohortId") });
  if (!parsed.success) return { ok: false, message: "That cohort was not found." };
  try {
    await regenerateJoinCode(actor, parsed.data.cohortId);
  } catch (err) {
    if (err instanceof DomainError) return { ok: false, message: err.message };
    throw err;
  }
  revalidatePath(`/cohorts/${parsed.data.cohortId}`);
  return { ok: true, message: "A new join code is ready. The old code and link no longer work." };
}
