"use client";

import { useActionState } from "react";
import type { FormState } from "@/lib/form-state";
import { Field } from "../components/field";
import { createCohortAction } from "./actions";

export function CreateCohortForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(createCohortAction, {});
  return (
    <form action={action} className="form" noValidate>
      <Field label="Cohort name" name="name" required maxLength={100} defaultValue={state.values?.name} errors={state.errors?.name} help="Learners see this name when they join, for example “Spring 2027, group B”." />
      {state.message && !state.errors ? (
        <p role="alert" className="field-error">
          {state.message}
        </p>
      ) : null}
      <div>
        <button type="submit" className="button" disabled={pending}>
          {pending ? "Creating…" : "Create cohort"}
        </button>
      </div>
    </form>
  );
}
