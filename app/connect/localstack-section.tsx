"use client";

import { useActionState } from "react";
import type { FormState } from "@/lib/form-state";
import { Field } from "../components/field";
import { saveLocalStackAction } from "./actions";
import { CodeBlock, type ConnectPageProps } from "./connect-panel";
import { FormMessage } from "@/app/components/form-message";

export function LocalStackSection({ connection, defaultRegion, cli }: { connection: ConnectPageProps["connection"]; defaultRegion: string; cli: string | null }) {
  const [state, save, pending] = useActionState<FormState, FormData>(saveLocalStackAction, {});
  const mine = connection?.target === "localstack" ? connection : null;
  const v = state.values;
  return (
    <>
      <h2>LocalStack</h2>
      <p>
        Run LocalStack yourself and give its URL. The grader calls it from the platform&apos;s server, so the address must be reachable from there, and this
        site&apos;s outbound-address policy must allow it (a shared deployment refuses loopback and private addresses unless its operator lists them).
      </p>
      {mine ? (
        <p className="alert alert-success" role="status">
          Connected to LocalStack at {mine.endpoint}
        </p>
      ) : null}
      <form className="form" action={save} noValidate>
        <FormMessage state={state} />
        <Field label="LocalStack endpoint URL" name="endpoint" type="url" required defaultValue={v?.endpoint ?? mine?.endpoint ?? "http://localhost:4566"} errors={state.errors?.endpoint} />
        <Field label="Region" name="region" required defaultValue={v?.region ?? mine?.region ?? defaultRegion} errors={state.errors?.region} />
        <Field
          label="Role ARN (optional)"
          name="roleArn"
          help="Leave empty for arn:aws:iam::000000000000:role/LabGraderRole."
          defaultValue={v?.roleArn ?? mine?.roleArn ?? ""}
          errors={state.errors?.roleArn}
        />
        <button type="submit" className="button" disabled={pending}>
          {pending ? "Saving…" : "Save LocalStack connection"}
        </button>
      </form>
      {cli ? (
        <>
          <h3>Create LabGraderRole in LocalStack</h3>
          <p className="form-help">The grader signs in to LocalStack as test/test and assumes this role with your ExternalId.</p>
          <CodeBlock title="Terminal" code={cli} />
        </>
      ) : (
        <p className="form-help">Save the connection to see the commands that create the grader role.</p>
      )}
    </>
  );
}
