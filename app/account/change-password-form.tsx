"use client";

import { signOut } from "next-auth/react";
import { useActionState } from "react";
import type { FormState } from "@/lib/form-state";
import { Field } from "../components/field";
import { changePasswordAction } from "./actions";
import { FormMessage } from "@/app/components/form-message";

export function ChangePasswordForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(async (prev, form) => {
    const result = await changePasswordAction(prev, form);
    // Every session ended with the change, this one too: clear its cookie and sign in afresh.
    if (result.ok) await signOut({ callbackUrl: "/signin?notice=password-changed" });
    return result;
  }, {});
  return (
    <form className="form" action={action} noValidate>
      <FormMessage state={state} />
      <Field label="Current password" name="current" type="password" autoComplete="current-password" required errors={state.errors?.current} />
      <Field label="New password" name="password" type="password" autoComplete="new-password" required help="At least 10 characters." errors={state.errors?.password} />
      <Field label="Repeat the new password" name="confirm" type="password" autoComplete="new-password" required errors={state.errors?.confirm} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
