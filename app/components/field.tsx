import type { InputHTMLAttributes } from "react";

type Props = InputHTMLAttributes<HTMLInputElement> & { label: string; name: string; errors?: string[]; help?: string };

/** A labelled input; help and errors sit outside the label and are tied to the input with aria-describedby. */
export function Field({ label, name, errors, help, ...input }: Props) {
  const errorId = `${name}-error`;
  const helpId = `${name}-help`;
  const describedBy = [help ? helpId : null, errors?.length ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      {help ? (
        <span id={helpId} className="form-help">
          {help}
        </span>
      ) : null}
      <input name={name} id={name} aria-invalid={errors?.length ? true : undefined} aria-describedby={describedBy} {...input} />
      {errors?.length ? (
        <span id={errorId} className="field-error" role="alert">
          {errors.join(" ")}
        </span>
      ) : null}
    </div>
  );
}
