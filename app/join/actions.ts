"use server";
// A learner joins a cohort with its code, or leaves one. lib/cohorts checks the code (and how
// often it may be tried); these parse the form and put its answer into words.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getCurrentUser } from "@/lib/auth/session";
import { joinCohort, leaveCohort } from "@/lib/cohorts";
import { DomainError } from "@/lib/errors";
import { fieldErrors, type FormState } from "@/lib/form-state";

const joinForm = z.object({
  code: z
    .string()
    .trim()
    .min(1, "Enter the join code your instructor gave you.")
    .max(64, "That is longer than any join code."),
});
const leaveForm = z.object({ cohortId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });

const SIGNED_OUT: FormState = { ok: false, message: "Your session has ended. Sign in again." };

export async function joinCohortAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const user = await getCurrentUser();
  if (!user) return SIGNED_OUT;
  const raw = String(formData.get("code") ?? "");
  const parsed = joinForm.safeParse({ code: raw });
  if (!parsed.success) return { ...fieldErrors(parsed.error), values: { code: raw } };
  try {
    const joined = await joinCohort(user.id, parsed.data.code);
    revalidatePath("/join");
    return {
      ok: true,
      message: joined.alreadyMember ? `You are already a member of ${joined.name}.` : `You joined ${joined.name}. Its instructor can now see your progress in the lab.`,
    };
  } catch (err) {
    if (err instanceof DomainError) return { ok: false, message: err.message, errors: { code: [err.message] }, values: { code: raw } };
    throw err;
  }
}

export async function leaveCohortAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const user = await getCurrentUser();
  if (!user) return SIGNED_OUT;
  const parsed = leaveForm.safeParse({ cohortId: formData.get("cohortId") });
  if (!parsed.success) return { ok: false, message: "That cohort was not found." };
  try {
    await leaveCohort(user.id, parsed.data.cohortId);
  } catch (err) {
    if (err instanceof DomainError) return { ok: false, message: err.message };
    throw err;
  }
  revalidatePath("/join");
  return { ok: true, message: "You left the cohort." };
}
