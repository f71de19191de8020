"use server";

import { z } from "zod";
import { resetPasswordWithToken } from "@/lib/admin";
import { passwordSchema } from "@/lib/auth/password";
import { DomainError } from "@/lib/errors";
import { fieldErrors, type FormState } from "@/lib/form-state";

const schema = z
  .object({ token: z.string().min(1).max(100), password: passwordSchema, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { message: "The two passwords do not match.", path: ["confirm"] });

export async function resetPasswordAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const parsed = schema.safeParse({ token: formData.get("token"), password: formData.get("password"), confirm: formData.get("confirm") });
  if (!parsed.success) return fieldErrors(parsed.error);
  try {
    await resetPasswordWithToken(parsed.data.token, parsed.data.password);
    return { ok: true, message: "Your password was reset." };
  } catch (err) {
    if (err instanceof DomainError) return { ok: false, message: err.message };
    throw err;
  }
}
