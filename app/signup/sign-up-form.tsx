"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useActionState } from "react";
import type { FormState } from "@/lib/form-state";
import { Field } from "../components/field";
import { signUpAction } from "./actions";

export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [state, action, pending] = useActionState<FormState, FormData>(async (prev, form) => {
    const result = await signUpAction(prev, form);
    if (result.ok) {
      // The account exists: sign straight in with what was typed.
      await signIn("credentials", { redirect: false, email: String(form.get("email")), password: String(form.get("password")) });
      router.push(callbackUrl);
      router.refresh();
    }
    return { ...result, values: { name: String(form.get("name") ?? ""), email: String(form.get("email") ?? "") } };
  }, {});

  return (
    <form className="form" action={action} noValidate>
      {state.message && !state.ok ? (
        <p className="alert alert-error" role="alert">
          {state.message}
        </p>
      ) : null}
      {state.ok ? (
        <p className="alert alert-success" role="status">
          Account created. Signing you in…
        </p>
      ) : null}
      <Field label="Name" name="name" autoComplete="name" required defaultValue={state.values?.name} key={`n-${state.values?.name}`} errors={state.errors?.name} />
      <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={state.values?.email} key={`e-${state.values?.email}`} errors={state.errors?.email} />
      <Field label="Password" name="password" type="password" autoComplete="new-password" required help="At least 10 characters." errors={state.errors?.password} />
      <Field label="Repeat the password" name="confirm" type="password" autoComplete="new-password" required errors={state.errors?.confirm} />
      <button type="submit" className="button" disabled={pending || state.ok}>
        {pending ? "Creating your account…" : "Create account"}
      </button>
    </form>
  );
}
