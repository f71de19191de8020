// The refusal of a small inline form (a button in a table row, say), announced where it happened.
import type { FormState } from "@/lib/form-state";

export function InlineError({ state }: { state: FormState }) {
  if (!state.message || state.ok) return null;
  return (
    <span role="alert" className="field-error">
      {state.message}
    </span>
  );
}
