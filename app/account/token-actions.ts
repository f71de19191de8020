"use server";
// The account page's API-token actions. The user always comes from the session on the server;
// the browser names only the token's name or id (lib/api/token-form checks the rest).
import { revalidatePath } from "next/cache";
import { getCurrentUser } from "@/lib/auth/session";
import type { FormState } from "@/lib/form-state";
import { createTokenFromForm, revokeTokenFromForm, type CreateTokenState } from "@/lib/api/token-form";

const SIGNED_OUT = { ok: false, message: "Your session has ended. Sign in again." } as const;

export async function createApiTokenAction(_prev: CreateTokenState, formData: FormData): Promise<CreateTokenState> {
  const user = await getCurrentUser();
  if (!user) return SIGNED_OUT;
  const result = await createTokenFromForm(user.id, formData);
  if (result.ok) revalidatePath("/account");
  return result;
}

export async function revokeApiTokenAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const user = await getCurrentUser();
  if (!user) return SIGNED_OUT;
  const result = await revokeTokenFromForm(user.id, formData);
  if (result.ok) revalidatePath("/account");
  return result;
}
