"use client";

import { useActionState } from "react";
import type { FormState } from "@/lib/form-state";
import { Field } from "../components/field";
import { saveAwsAction } from "./actions";
import { CodeBlock, type AwsSetupView, type ConnectPageProps } from "./connect-panel";
import { FormMessage } from "@/app/components/form-message";

export function AwsSection({ connection, defaultRegion, setup, actions }: { connection: ConnectPageProps["connection"]; defaultRegion: string; setup: AwsSetupView | null; actions: string[] }) {
  const [state, save, pending] = useActionState<FormState, FormData>(saveAwsAction, {});
  const mine = connection?.target === "aws" ? connection : null;
  const v = state.values;
  return (
    <>
      <h2>My AWS account</h2>
      <p>
        Create <code>LabGraderRole</code> in your account: it trusts only the grader&apos;s account, and only with your ExternalId. Its policy allows reading the
        lab&apos;s resources and, for the step 6 probe you start yourself, sending tagged test orders — nothing else ({actions.length} actions:{" "}
        {actions.join(", ")}).
      </p>
      <form className="form" action={save} noValidate>
        <FormMessage state={state} />
        <Field label="Region" name="region" required defaultValue={v?.region ?? mine?.region ?? defaultRegion} errors={state.errors?.region} />
        <Field
          label="Role ARN"
          name="roleArn"
          help="The stack's RoleArn output, such as arn:aws:iam::123456789012:role/LabGraderRole. Leave empty until you have made the role."
          defaultValue={v?.roleArn ?? mine?.roleArn ?? ""}
          errors={state.errors?.roleArn}
        />
        <button type="submit" className="button" disabled={pending}>
          {pending ? "Saving…" : mine ? "Save" : "Use my AWS account"}
        </button>
      </form>
      {setup && mine ? <AwsInstructions setup={setup} /> : <p className="form-help">Save once to get your ExternalId and the ways to create the role.</p>}
    </>
  );
}

function AwsInstructions({ setup }: { setup: AwsSetupView }) {
  return (
    <>
      <dl className="resources">
        <dt>Your ExternalId</dt>
        <dd data-testid="external-id">{setup.externalId}</dd>
        <dt>The grader&apos;s principal</dt>
        <dd>{setup.graderPrincipal ?? "not configured yet: the operator has to give the platform AWS credentials"}</dd>
      </dl>
      <h3>Option 1: CloudFormation</h3>
      <p>
        <a href="/connect/template" download>
          Download the template
        </a>{" "}
        and run, in the folder you saved it to:
      </p>
      <CodeBlock title="Terminal" code={setup.createStack} />
      {setup.quickCreate ? (
        <p>
          Or{" "}
          <a href={setup.quickCreate} target="_blank" rel="noreferrer">
            create the stack in the AWS console
          </a>{" "}
          with everything filled in.
        </p>
      ) : null}
      <h3>Option 2: Terraform</h3>
      <CodeBlock title="lab-grader.tf" code={setup.terraform} />
      <h3>Option 3: AWS CLI</h3>
      <CodeBlock title="Terminal" code={setup.cli} />
    </>
  );
}
