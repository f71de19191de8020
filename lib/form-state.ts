import type { z } from "zod";

/** What a server action returns to its form: field errors, a message, and whether it worked. */
export interface FormState {
  ok?: boolean;
  message?: string;
  errors?: Record<string, string[] | undefined>;
  /** Non-secret values to put back in the form after React resets it. */
  values?: Record<string, string>;
}

export function fieldErrors(error: z.ZodError): FormState {
  const errors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    (errors[key] ??= []).push(issue.message);
  }
  return { ok: false, errors, message: "Please correct the highlighted fields." };
}
