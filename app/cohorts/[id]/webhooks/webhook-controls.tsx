"use client";
// Per-webhook buttons: pause or resume, send a test event, rotate the secret (shown once), and
// delete (after a confirmation). Each reports its result in a live region.
import { useActionState, useState, type ReactNode } from "react";
import type { FormState } from "@/lib/form-state";
import { deleteWebhookAction, retryDeliveryAction, rotateSecretAction, sendTestAction, setActiveAction, type SecretState } from "./actions";
import { SecretReveal } from "./secret-reveal";

function Result({ state }: { state: FormState }) {
  if (!state.message) return null;
  return state.ok ? (
    <p role="status" className="form-help">
      {state.message}
    </p>
  ) : (
    <p role="alert" className="field-error">
      {state.message}
    </p>
  );
}

/** A question with Yes and Cancel: for the changes a receiver notices at once. */
function ConfirmForm(props: { id: string; hidden: ReactNode; pending: boolean; danger?: boolean; yes: string; children: ReactNode; onCancel: () => void; onConfirm: (fd: FormData) => void }) {
  return (
    <form action={props.onConfirm} className="confirm-box" aria-labelledby={props.id}>
      <p id={props.id}>{props.children}</p>
      {props.hidden}
      <div className="check-actions">
        <button type="submit" className={`button button-small${props.danger ? " button-danger" : ""}`} disabled={props.pending}>
          {props.yes}
        </button>
        <button type="button" className="button button-small" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function WebhookControls({ cohortId, webhookId, active, url }: { cohortId: string; webhookId: string; active: boolean; url: string }) {
  const [activeState, setActive, settingActive] = useActionState<FormState, FormData>(setActiveAction, {});
  const [testState, sendTest, sending] = useActionState<FormState, FormData>(sendTestAction, {});
  const [rotateState, rotate, rotating] = useActionState<SecretState, FormData>((_prev, fd) => rotateSecretAction(fd), {});
  const [deleteState, remove, deleting] = useActionState<FormState, FormData>(deleteWebhookAction, {});
  const [confirm, setConfirm] = useState<"rotate" | "delete" | null>(null);
  const hidden = (
    <>
      <input type="hidden" name="cohortId" value={cohortId} />
      <input type="hidden" name="webhookId" value={webhookId} />
    </>
  );
  return (
    <div>
      <div className="check-actions">
        <form action={setActive}>
          {hidden}
          <input type="hidden" name="active" value={active ? "false" : "true"} />
          <button type="submit" className="button button-small" disabled={settingActive} aria-label={`${active ? "Pause" : "Resume"} the webhook to ${url}`}>
            {active ? "Pause" : "Resume"}
          </button>
        </form>
        <form action={sendTest}>
          {hidden}
          <button type="submit" className="button button-small" disabled={sending || !active} aria-label={`Send a test event to ${url}`}>
            Send a test event
          </button>
        </form>
        <button type="button" className="button button-small" onClick={() => setConfirm("rotate")} aria-label={`Rotate the signing secret of the webhook to ${url}`}>
          Rotate secret
        </button>
        <button type="button" className="button button-small" onClick={() => setConfirm("delete")} aria-label={`Delete the webhook to ${url}`}>
          Delete
        </button>
      </div>
      {confirm === "rotate" ? (
        <ConfirmForm id={`rotate-text-${webhookId}`} hidden={hidden} pending={rotating} yes="Yes, rotate the secret" onCancel={() => setConfirm(null)} onConfirm={(fd) => { setConfirm(null); rotate(fd); }}>
          The current secret stops signing at once: your receiver must use the new one. Make a new secret?
        </ConfirmForm>
      ) : null}
      {confirm === "delete" ? (
        <ConfirmForm id={`delete-text-${webhookId}`} hidden={hidden} pending={deleting} danger yes="Yes, delete it" onCancel={() => setConfirm(null)} onConfirm={(fd) => { setConfirm(null); remove(fd); }}>
          No more events will be sent to {url}, and its delivery log is deleted. Delete this webhook?
        </ConfirmForm>
      ) : null}
      <div aria-live="polite">
        <Result state={activeState} />
        <Result state={testState} />
        <Result state={rotateState} />
        <Result state={deleteState} />
      </div>
      {rotateState.ok && rotateState.secret ? <SecretReveal secret={rotateState.secret} headingId={`rotated-secret-${webhookId}`} /> : null}
    </div>
  );
}

export function RetryButton({ cohortId, deliveryId, label }: { cohortId: string; deliveryId: string; label: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(retryDeliveryAction, {});
  return (
    <form action={action}>
      <input type="hidden" name="cohortId" value={cohortId} />
      <input type="hidden" name="deliveryId" value={deliveryId} />
      <button type="submit" className="button button-small" disabled={pending || state.ok === true} aria-label={label}>
        Retry now
      </button>
      <span aria-live="polite">
        <Result state={state} />
      </span>
    </form>
  );
}
