"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { z } from "zod";
import { createPasswordResetToken, setUserRole } from "@/lib/admin";
import { getCurrentUser } from "@/lib/auth/session";
import { DomainError } from "@/lib/errors";
import type { FormState } from "@/lib/form-state";

const roleForm = z.object({ userId: z.string().min(1).max(64), role: z.enum(["learner", "instructor"]) });
const resetForm = z.object({ userId: z.string().min(1).max(64) });

export async function setRoleAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const actor = await getCurrentUser();
  if (!actor) return { ok: false, message: "Your session has ended. Sign in again." };
  const parsed = roleForm.safeParse({ userId: formData.get("userId"), role: formData.get("role") });
  if (!parsed.success) return { ok: false, message: "Choose learner or instructor." };
  try {
    await setUserRole(actor, parsed.data.userId, parsed.data.role);
  } catch (err) {
    if (err instanceof DomainError) return { ok: false, message: err.message };
    throw err;
  }
  revalidatePath("/admin");
  return { ok: true, message: `Role set to ${parsed.data.role}.` };
}

export async function createResetLinkAction(_prev: FormState, formData: FormData): Promise<FormState & { link?: string }> {
  const actor = await getCurrentUser();
  if (!actor) return { ok: false, message: "Your session has ended. Sign in again." };
  const parsed = resetForm.safeParse({ userId: formData.get("userId") });
  if (!parsed.success) return { ok: false, message: "That user was not found." };
  try {
    const { token, expiresAt } = await createPasswordResetToken(actor, parsed.data.userId);
    const h = await headers();
    const origin = `${h.get("x-forwarded-proto") ?? "http"}://${h.get("host") ?? "localhost:3000"}`;
    return { ok: true, link: `${origin}/reset-password/${token}`, message: `Works once, until ${expiresAt.toUTCString()}. It is shown only now.` };
  } catch (err) {
    if (err instanceof DomainError) return { ok: false, message: err.message };
    throw err;
  }
}
