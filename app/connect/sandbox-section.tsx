"use client";

import { useActionState, useState } from "react";
import type { FormState } from "@/lib/form-state";
import { createSandboxAction, resetSandboxAction, revealSecretAction, type RevealState } from "./actions";
import { CodeBlock, type ConnectPageProps } from "./connect-panel";
import { InlineError } from "@/app/components/inline-error";
import { FormMessage } from "@/app/components/form-message";

export function SandboxSection({ connection, endpoint }: { connection: ConnectPageProps["connection"]; endpoint: string }) {
  const [created, create, creating] = useActionState<FormState, FormData>(createSandboxAction, {});
  const connected = connection?.target === "sandbox" && connection.sandboxAccountId && connection.sandboxAccessKeyId && connection.roleArn;

  if (!connected) {
    return (
      <>
        <h2>Built-in sandbox</h2>
        <p>
          The platform&apos;s own AWS-compatible endpoint for SQS, SNS, EventBridge, Step Functions, Lambda and IAM. You get an account of your own with an access key
          pair for the AWS CLI; no AWS account needed.
        </p>
        <form action={create}>
          <FormMessage state={created} />
          <button type="submit" className="button" disabled={creating}>
            {creating ? "Creating…" : connection?.sandboxAccountId ? "Use my sandbox account" : "Create my sandbox account"}
          </button>
        </form>
      </>
    );
  }
  return (
    <>
      <h2>Built-in sandbox</h2>
      <p className="alert alert-success" role="status">
        Connected to the built-in sandbox
      </p>
      <dl className="resources">
        <dt>Account</dt>
        <dd>{connection.sandboxAccountId}</dd>
        <dt>Access key id</dt>
        <dd data-testid="sandbox-access-key-id">{connection.sandboxAccessKeyId}</dd>
        <dt>Secret access key</dt>
        <dd>
          <SecretKey />
        </dd>
        <dt>Endpoint URL</dt>
        <dd data-testid="sandbox-endpoint">{endpoint}</dd>
        <dt>Region</dt>
        <dd>{connection.region}</dd>
      </dl>
      <Configure accessKeyId={connection.sandboxAccessKeyId ?? ""} region={connection.region} endpoint={endpoint} />
      <form action={create}>
        <FormMessage state={created} />
        <p className="form-help">Deleted or changed LabGraderRole by mistake? The grader can make it again as it was.</p>
        <button type="submit" className="button button-secondary" disabled={creating}>
          {creating ? "Recreating…" : "Recreate the grader role"}
        </button>
      </form>
      <ResetSandbox />
    </>
  );
}

// The secret is fetched only when asked for, so it is never in the page's HTML otherwise.
function SecretKey() {
  const [state, reveal, pending] = useActionState<RevealState, FormData>(revealSecretAction, {});
  if (state.secret) return <span data-testid="sandbox-secret-access-key">{state.secret}</span>;
  return (
    <form action={reveal} className="inline-form">
      <span aria-hidden="true">••••••••••••••••</span>
      <button type="submit" className="button button-small button-secondary" disabled={pending}>
        Show the secret key
      </button>
      <InlineError state={state} />
    </form>
  );
}

function Configure({ accessKeyId, region, endpoint }: { accessKeyId: string; region: string; endpoint: string }) {
  const code = [
    `aws configure set aws_access_key_id ${accessKeyId}`,
    `aws configure set aws_secret_access_key <your secret access key>`,
    `aws configure set region ${region}`,
    `export AWS_ENDPOINT_URL=${endpoint}`,
    `aws --endpoint-url ${endpoint} sts get-caller-identity`,
  ].join("\n");
  return (
    <>
      <h3>Use it with the AWS CLI</h3>
      <p className="form-help">
        Every command needs the sandbox&apos;s endpoint: export <code>AWS_ENDPOINT_URL</code> (AWS CLI 2.13 or newer) or pass <code>--endpoint-url</code>.
      </p>
      <CodeBlock title="Terminal" code={code} />
    </>
  );
}

function ResetSandbox() {
  const [confirming, setConfirming] = useState(false);
  const [state, reset, pending] = useActionState<FormState, FormData>(async (prev, form) => {
    const result = await resetSandboxAction(prev, form);
    setConfirming(false);
    return result;
  }, {});
  return (
    <div className="danger-zone">
      <h3>Start over</h3>
      <FormMessage state={state} />
      {confirming ? (
        <form action={reset} className="confirm-box">
          <p role="alert">Resetting deletes every queue, topic, rule, function and state machine in your sandbox account. Your keys stay the same.</p>
          <button type="submit" className="button button-danger" disabled={pending}>
            {pending ? "Resetting…" : "Yes, reset my sandbox account"}
          </button>{" "}
          <button type="button" className="button button-secondary" onClick={() => setConfirming(false)} disabled={pending}>
            Cancel
          </button>
        </form>
      ) : (
        <button type="button" className="button button-secondary" onClick={() => setConfirming(true)}>
          Reset my sandbox account
        </button>
      )}
    </div>
  );
}
