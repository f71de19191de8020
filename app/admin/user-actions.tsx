"use client";

import { useActionState } from "react";
import type { FormState } from "@/lib/form-state";
import { createResetLinkAction, setRoleAction } from "./actions";

export function RoleForm({ userId, role, label }: { userId: string; role: string; label: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(setRoleAction, {});
  return (
    <form action={action} className="inline-form">
      <input type="hidden" name="userId" value={userId} />
      <select name="role" defaultValue={role} aria-label={label}>
        <option value="learner">learner</option>
        <option value="instructor">instructor</option>
      </select>
      <button type="submit" className="button button-small" disabled={pending}>
        Save
      </button>
      {state.message ? <span role={state.ok ? "status" : "alert"} className={state.ok ? "form-help" : "field-error"}>{state.message}</span> : null}
    </form>
  );
}

export function ResetLinkButton({ userId, email }: { userId: string; email: string }) {
  const [state, action, pending] = useActionState<FormState & { link?: string }, FormData>(createResetLinkAction, {});
  return (
    <form action={action}>
      <input type="hidden" name="userId" value={userId} />
      {state.link ? (
        <div role="status">
          <p className="copy-box">{state.link}</p>
          <p className="form-help">{state.message}</p>
        </div>
      ) : (
        <button type="submit" className="button button-small button-secondary" disabled={pending} aria-label={`Create a password-reset link for ${email}`}>
          Create reset link
        </button>
      )}
      {state.message && !state.ok ? <span role="alert" className="field-error">{state.message}</span> : null}
    </form>
  );
}
