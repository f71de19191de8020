"use client";

import { useRouter } from "next/navigation";
import { useActionState } from "react";
import type { FormState } from "@/lib/form-state";
import { Field } from "../../components/field";
import { resetPasswordAction } from "./actions";
import { FormMessage } from "@/app/components/form-message";

export function ResetPasswordForm({ token }: { token: string }) {
  const router = useRouter();
  const [state, action, pending] = useActionState<FormState, FormData>(async (prev, form) => {
    const result = await resetPasswordAction(prev, form);
    if (result.ok) router.push("/signin?notice=password-reset");
    return result;
  }, {});
  return (
    <form className="form" action={action} noValidate>
      <input type="hidden" name="token" value={token} />
      <FormMessage state={state} />
      <Field label="New password" name="password" type="password" autoComplete="new-password" required help="At least 10 characters." errors={state.errors?.password} />
      <Field label="Repeat the new password" name="confirm" type="password" autoComplete="new-password" required errors={state.errors?.confirm} />
      <button type="submit" className="button" disabled={pending || state.ok}>
        Set password
      </button>
    </form>
  );
}
