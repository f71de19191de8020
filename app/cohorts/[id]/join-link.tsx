"use client";
// The join code and link with a copy button, and making a new code (after a confirmation,
// since the old link stops working).
import { useActionState, useState } from "react";
import type { FormState } from "@/lib/form-state";
import { CopyButton } from "@/app/components/copy-button";
import { regenerateJoinCodeAction } from "../actions";

export function JoinLink({ cohortId, code, link }: { cohortId: string; code: string; link: string }) {
  const [confirming, setConfirming] = useState(false);
  const [state, action, pending] = useActionState<FormState, FormData>(regenerateJoinCodeAction, {});

  return (
    <section aria-labelledby="invite-heading" className="invite">
      <h2 id="invite-heading">Invite learners</h2>
      <dl className="resources">
        <div>
          <dt>Join code</dt>
          <dd data-testid="join-code">{code}</dd>
        </div>
        <div>
          <dt>Join link</dt>
          <dd>
            <span className="copy-box" data-testid="join-link">
              {link}
            </span>
          </dd>
        </div>
      </dl>
      <div className="check-actions">
        <CopyButton text={link} label="Copy the join link" what="link" />
        {confirming ? null : (
          <button type="button" className="button button-small button-secondary" onClick={() => setConfirming(true)}>
            Make a new join code
          </button>
        )}
      </div>
      {confirming ? (
        <form
          action={(fd) => {
            setConfirming(false);
            action(fd);
          }}
          className="confirm-box"
          aria-labelledby="regenerate-text"
        >
          <p id="regenerate-text">The current code and link will stop working; learners who already joined stay in the cohort. Make a new code?</p>
          <input type="hidden" name="cohortId" value={cohortId} />
          <div className="check-actions">
            <button type="submit" className="button button-small" disabled={pending}>
              Yes, make a new code
            </button>
            <button type="button" className="button button-small button-secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
      {state.message ? (
        <p role={state.ok ? "status" : "alert"} className={state.ok ? "form-help" : "field-error"}>
          {state.message}
        </p>
      ) : null}
    </section>
  );
}
