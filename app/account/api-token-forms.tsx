"use client";
// Creating a token (shown once, with a copy button) and revoking one (after a confirmation).
import { useActionState, useState } from "react";
import type { CreateTokenState } from "@/lib/api/token-form";
import type { FormState } from "@/lib/form-state";
import { CopyButton } from "../components/copy-button";
import { Field } from "../components/field";
import { createApiTokenAction, revokeApiTokenAction } from "./token-actions";
import { InlineError } from "@/app/components/inline-error";

function NewToken({ token, name, onDone }: { token: string; name: string; onDone: () => void }) {
  return (
    <div className="alert alert-success">
      <p>
        <strong>Token &ldquo;{name}&rdquo; was created. Copy it now: you will not see it again.</strong> Only a fingerprint of it is stored, so nobody can show it to you later; if you lose it, revoke it and create another.
      </p>
      <div className="form" style={{ maxWidth: "42rem" }}>
        <div className="field">
          <label htmlFor="new-api-token">Your new token</label>
          <input id="new-api-token" className="copy-box" style={{ fontFamily: "ui-monospace, monospace" }} readOnly value={token} onFocus={(e) => e.currentTarget.select()} spellCheck={false} autoComplete="off" />
        </div>
      </div>
      <div className="check-actions">
        <CopyButton text={token} label="Copy token" what="token" />
        <button type="button" className="button button-small button-secondary" onClick={onDone}>
          I have copied it
        </button>
      </div>
    </div>
  );
}

export function CreateTokenForm({ atLimit }: { atLimit: boolean }) {
  const [state, action, pending] = useActionState<CreateTokenState, FormData>(createApiTokenAction, {});
  const [dismissed, setDismissed] = useState<string | null>(null);
  const showToken = state.token && state.token !== dismissed ? state.token : null;
  return (
    <>
      <div aria-live="polite">
        {showToken ? <NewToken token={showToken} name={state.tokenName ?? ""} onDone={() => setDismissed(showToken)} /> : null}
        {state.message && !state.ok ? (
          <p className="alert alert-error" role="alert">
            {state.message}
          </p>
        ) : null}
      </div>
      {atLimit ? (
        <p className="form-help">You have the most active tokens allowed. Revoke one you no longer use to create another.</p>
      ) : (
        <form className="form" action={action} noValidate>
          <Field
            label="Token name"
            name="name"
            required
            maxLength={60}
            autoComplete="off"
            help="Where it will be used, such as “GitLab CI” or “my laptop”, so you know which one to revoke later."
            errors={state.errors?.name}
            defaultValue={state.values?.name ?? ""}
            key={state.token ?? "form"}
          />
          <button type="submit" className="button" disabled={pending}>
            {pending ? "Creating…" : "Create token"}
          </button>
        </form>
      )}
    </>
  );
}

/** Kept mounted once the token is revoked, so the confirmation stays announced after the list refreshes. */
export function RevokeTokenButton({ tokenId, name, revoked }: { tokenId: string; name: string; revoked: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const [state, action, pending] = useActionState<FormState, FormData>(revokeApiTokenAction, {});
  if (state.ok) return <span role="status">{state.message}</span>;
  if (revoked) return null;
  return (
    <>
      {confirming ? (
        <form action={action} className="confirm-box">
          <input type="hidden" name="tokenId" value={tokenId} />
          <p role="alert">Revoke &ldquo;{name}&rdquo;? Anything still using it is refused at once. This cannot be undone.</p>
          <button type="submit" className="button button-small button-danger" disabled={pending}>
            {pending ? "Revoking…" : "Yes, revoke it"}
          </button>{" "}
          <button type="button" className="link-button" onClick={() => setConfirming(false)} disabled={pending}>
            Cancel
          </button>
        </form>
      ) : (
        <button type="button" className="link-button" onClick={() => setConfirming(true)} aria-label={`Revoke the token ${name}`}>
          Revoke
        </button>
      )}
      <InlineError state={state} />
    </>
  );
}
