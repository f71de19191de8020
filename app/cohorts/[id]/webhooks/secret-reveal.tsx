"use client";
// A signing secret, shown once right after it was made, with a copy button. It lives only in
// this component's state: reloading the page forgets it, and the server cannot show it again.
import { useState } from "react";

export function SecretReveal({ secret, headingId }: { secret: string; headingId: string }) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("Secret copied.");
    } catch {
      setCopied("Copying is not allowed here: select the secret and copy it yourself.");
    }
  };
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
        <button type="button" className="button button-small" onClick={() => void copy()}>
          Copy the secret
        </button>
      </div>
      <p aria-live="polite" className="form-help">
        {copied}
      </p>
    </div>
  );
}
