// The outcome of a form's server action, above or below the form: a success announced politely,
// a refusal as an alert. Nothing while the form has not been sent.
import type { FormState } from "@/lib/form-state";

export function FormMessage({ state }: { state: FormState }) {
  if (!state.message) return null;
  return (
    <p className={`alert ${state.ok ? "alert-success" : "alert-error"}`} role={state.ok ? "status" : "alert"}>
      {state.message}
    </p>
  );
}
