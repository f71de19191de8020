"use client";
// Joining: by typing the code on /join, or with one press on /join/[code] (the code already
// known). Either way it is a POST; opening a link never joins anyone.
import Link from "next/link";
import { useActionState } from "react";
import type { FormState } from "@/lib/form-state";
import { Field } from "../components/field";
import { joinCohortAction, leaveCohortAction } from "./actions";
import { InlineError } from "@/app/components/inline-error";

function Outcome({ state }: { state: FormState }) {
  if (!state.message) return null;
  if (state.ok)
    return (
      <div role="status" className="alert alert-success" data-testid="join-outcome">
        <p>{state.message}</p>
        <p>
          <Link href="/labs/order-system">Go to the lab</Link>
        </p>
      </div>
    );
  return state.errors ? null : (
    <p role="alert" className="field-error">
      {state.message}
    </p>
  );
}

export function JoinByCodeForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(joinCohortAction, {});
  return (
    <form action={action} className="form" noValidate>
      <Field label="Join code" name="code" required autoComplete="off" defaultValue={state.ok ? "" : state.values?.code} errors={state.errors?.code} />
      <div>
        <button type="submit" className="button" disabled={pending}>
          Join
        </button>
      </div>
      <Outcome state={state} />
    </form>
  );
}

export function ConfirmJoinForm({ code }: { code: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(joinCohortAction, {});
  if (state.ok) return <Outcome state={state} />;
  return (
    <form action={action}>
      <input type="hidden" name="code" value={code} />
      <div className="check-actions">
        <button type="submit" className="button" disabled={pending}>
          Join the cohort
        </button>
        <Link href="/join">Not now</Link>
      </div>
      {state.message ? (
        <p role="alert" className="field-error">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}

export function LeaveButton({ cohortId, name }: { cohortId: string; name: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(leaveCohortAction, {});
  return (
    <form action={action} className="inline-form">
      <input type="hidden" name="cohortId" value={cohortId} />
      <button type="submit" className="button button-small button-secondary" disabled={pending} aria-label={`Leave ${name}`}>
        Leave
      </button>
      <InlineError state={state} />
    </form>
  );
}
