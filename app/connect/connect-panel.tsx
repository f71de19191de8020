"use client";

// The three targets as a radio group; each shows its own form and instructions. Everything
// here comes from the server already filtered: no secret is in the page until the learner asks.
import { useState } from "react";
import type { ConnectionView } from "@/lib/connections";
import { AwsSection } from "./aws-section";
import { LocalStackSection } from "./localstack-section";
import { SandboxSection } from "./sandbox-section";
import { TestConnection } from "./test-connection";

export type Target = ConnectionView["target"];

export interface AwsSetupView {
  externalId: string;
  graderPrincipal: string | null;
  createStack: string;
  quickCreate: string | null;
  terraform: string;
  cli: string;
}

export interface ConnectPageProps {
  connection: (Omit<ConnectionView, "verifiedAt"> & { verifiedAt: string | null }) | null;
  sandboxEndpoint: string;
  defaultRegion: string;
  aws: AwsSetupView | null;
  localStackCli: string | null;
  actions: string[];
}

const CHOICES: { value: Target; label: string }[] = [
  { value: "sandbox", label: "Built-in sandbox" },
  { value: "localstack", label: "LocalStack" },
  { value: "aws", label: "My AWS account" },
];

export function ConnectPanel(props: ConnectPageProps) {
  const [choice, setChoice] = useState<Target>(props.connection?.target ?? "sandbox");
  const c = props.connection;
  const active = c?.target === choice;
  return (
    <>
      <fieldset className="target-choice">
        <legend>Where does your lab run?</legend>
        {CHOICES.map((o) => (
          // The "current" marker sits outside the label, so each radio's name is exactly its target's.
          <span key={o.value} className="target-option">
            <input type="radio" id={`target-${o.value}`} name="target" value={o.value} checked={choice === o.value} onChange={() => setChoice(o.value)} />
            <label htmlFor={`target-${o.value}`}>{o.label}</label>
            {c?.target === o.value ? <span className="form-help">(current)</span> : null}
          </span>
        ))}
      </fieldset>
      <section className="connect-section" aria-label={CHOICES.find((o) => o.value === choice)?.label}>
        {choice === "sandbox" ? <SandboxSection connection={c} endpoint={props.sandboxEndpoint} /> : null}
        {choice === "localstack" ? <LocalStackSection connection={c} defaultRegion={props.defaultRegion} cli={props.localStackCli} /> : null}
        {choice === "aws" ? <AwsSection connection={c} defaultRegion={props.defaultRegion} setup={props.aws} actions={props.actions} /> : null}
      </section>
      {active && c?.roleArn ? <TestConnection verifiedAt={c.verifiedAt} /> : null}
    </>
  );
}

export function CodeBlock({ title, code, testId }: { title: string; code: string; testId?: string }) {
  return (
    <div className="code-block">
      <div className="code-title">{title}</div>
      <pre tabIndex={0} {...(testId ? { "data-testid": testId } : {})}>
        <code>{code}</code>
      </pre>
    </div>
  );
}
