"use client";
// A signing secret, shown once right after it was made, with a copy button. It lives only in
// this component's state: reloading the page forgets it, and the server cannot show it again.
import { CopyButton } from "@/app/components/copy-button";

export function SecretReveal({ secret, headingId }: { secret: string; headingId: string }) {
  return (
    <div className="alert alert-info" role="region" aria-labelledby={headingId}>
      <p id={headingId}>
        <strong>Your signing secret. It is shown only now:</strong> store it with your receiver, which verifies each request&apos;s{" "}
        <code>X-Lab-Grader-Signature</code> with it.
      </p>
      <p className="copy-box" data-testid="webhook-secret">
        {secret}
      </p>
      <div className="check-actions">
        <CopyButton text={secret} label="Copy the secret" what="secret" />
      </div>
    </div>
  );
}
