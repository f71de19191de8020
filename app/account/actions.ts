"use server";

import { z } from "zod";
import { passwordSchema } from "@/lib/auth/password";
import { getCurrentUser } from "@/lib/auth/session";
import { DomainError } from "@/lib/errors";
import { fieldErrors, type FormState } from "@/lib/form-state";
import { changePassword } from "@/lib/users";

const schema = z
  .object({ current: z.string().min(1, "Enter your current password."), password: passwordSchema, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { message: "The two new passwords do not match.", path: ["confirm"] })
  .refine((v) => v.password !== v.current, { message: "Choose a password different from the current one.", path: ["password"] });

export async function changePasswordAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const user = await getCurrentUser();
  if (!user) return { ok: false, message: "Your session has ended. Sign in again." };
  const parsed = schema.safeParse({ current: formData.get("current"), password: formData.get("password"), confirm: formData.get("confirm") });
  if (!parsed.success) return fieldErrors(parsed.error);
  try {
    await changePassword(user.id, parsed.data.current, parsed.data.password);
    return { ok: true, message: "Your password was changed." };
  } catch (err) {
    if (err instanceof DomainError) return { ok: false, message: err.message, errors: { current: [err.message] } };
    throw err;
  }
}
