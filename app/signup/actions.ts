"use server";

import { DomainError } from "@/lib/errors";
import { fieldErrors, type FormState } from "@/lib/form-state";
import { createUser, signUpSchema } from "@/lib/users";

export async function signUpAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const parsed = signUpSchema.safeParse({
    name: formData.get("name"),
    email: formData.get("email"),
    password: formData.get("password"),
    confirm: formData.get("confirm"),
  });
  if (!parsed.success) return fieldErrors(parsed.error);
  try {
    await createUser(parsed.data);
    return { ok: true };
  } catch (err) {
    if (err instanceof DomainError) return { ok: false, message: err.message, errors: { email: [err.message] } };
    throw err;
  }
}
