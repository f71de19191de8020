"use client";
// Registers a URL for the cohort; on success the new secret is shown once below the form.
import { useActionState } from "react";
import { Field } from "@/app/components/field";
import { createWebhookAction, type SecretState } from "./actions";
import { SecretReveal } from "./secret-reveal";

export function AddWebhookForm({ cohortId, disabled }: { cohortId: string; disabled: boolean }) {
  const [state, action, pending] = useActionState<SecretState, FormData>((_prev, fd) => createWebhookAction(fd), {});
  return (
    <section aria-labelledby="add-webhook-heading">
      <h2 id="add-webhook-heading">Add a webhook</h2>
      {disabled ? (
        <p>This cohort has the most webhooks it can have (10). Delete one to add another.</p>
      ) : (
        <form action={action} className="form">
          <input type="hidden" name="cohortId" value={cohortId} />
          <Field
            label="Receiver URL"
            name="url"
            type="url"
            required
            maxLength={2000}
            placeholder="https://hooks.example.com/lab-grader"
            help="An http or https address that accepts POST requests. It must not contain a user name or password."
            defaultValue={state.ok ? "" : (state.values?.url ?? "")}
            key={state.ok ? `done-${state.secret}` : "form"}
            errors={state.errors?.url}
          />
          <button type="submit" className="button" disabled={pending}>
            {pending ? "Checking the URL…" : "Add webhook"}
          </button>
        </form>
      )}
      <div aria-live="polite">
        {state.ok && state.message ? <p className="form-help">{state.message}</p> : null}
        {!state.ok && state.message && !state.errors?.url ? (
          <p role="alert" className="field-error">
            {state.message}
          </p>
        ) : null}
      </div>
      {state.ok && state.secret ? <SecretReveal secret={state.secret} headingId="new-secret-heading" /> : null}
    </section>
  );
}
