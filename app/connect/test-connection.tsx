"use client";

import { useActionState } from "react";
import { testConnectionAction, type TestState } from "./actions";
import { CodeBlock } from "./connect-panel";
import { FormMessage } from "@/app/components/form-message";

export function TestConnection({ verifiedAt }: { verifiedAt: string | null }) {
  const [state, test, pending] = useActionState<TestState, FormData>(testConnectionAction, {});
  const r = state.result;
  return (
    <section className="connect-test" aria-labelledby="test-heading">
      <h2 id="test-heading">Test the connection</h2>
      <p className="form-help">The grader assumes LabGraderRole with your ExternalId, as it does for every check.{verifiedAt && !state.message ? ` Last worked ${new Date(verifiedAt).toUTCString()}.` : ""}</p>
      <form action={test}>
        <button type="submit" className="button" disabled={pending}>
          {pending ? "Testing…" : "Test connection"}
        </button>
      </form>
      <FormMessage state={state} />
      {r && !r.ok ? (
        <>
          {r.diagnosis ? (
            <p className="alert alert-error">
              <strong>What is wrong: </strong>
              {r.diagnosis.message}
            </p>
          ) : null}
          {r.causes.length ? (
            <>
              <h3>Usual causes, most likely first</h3>
              <ol>
                {r.causes.map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ol>
            </>
          ) : null}
          {r.expectedTrustPolicy ? <CodeBlock title="The trust policy LabGraderRole must have" code={r.expectedTrustPolicy} /> : null}
        </>
      ) : null}
    </section>
  );
}
