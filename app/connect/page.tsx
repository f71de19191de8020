import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { connectionView } from "@/lib/connections";
import { DEFAULT_REGION } from "@/lib/connections/connections";
import { awsGraderPrincipal, LOCALSTACK_ACCOUNT, rootArn } from "@/lib/connections/grader-principal";
import { labGraderPolicy } from "@/lib/connections/role-setup";
import { sandboxEndpoint } from "@/lib/connections/sandbox-admin";
import { cliCommands, createStackCommand, quickCreateLink, terraformSnippet, type RoleSetup } from "@/lib/connections/templates";
import { ConnectPanel, type AwsSetupView, type ConnectPageProps } from "./connect-panel";

export const metadata: Metadata = { title: "Connect an account" };
// Per-learner data: never cached.
export const dynamic = "force-dynamic";

export default async function ConnectPage() {
  const user = await getCurrentUser();
  if (!user) redirect("/signin?callbackUrl=/connect");
  const view = await connectionView(user.id);
  const policy = await labGraderPolicy();
  const region = view?.region ?? DEFAULT_REGION;

  // The AWS instructions need the learner's ExternalId (made when they first connect) and the
  // grader's account, which is looked up only for learners on the AWS target.
  let aws: AwsSetupView | undefined;
  if (view) {
    const principal = view.target === "aws" ? await awsGraderPrincipal() : undefined;
    const setup: RoleSetup = { graderPrincipal: principal ?? "arn:aws:iam::<GRADER_ACCOUNT_ID>:root", externalId: view.externalId, policy, region };
    const link = principal ? quickCreateLink(setup, env.TEMPLATE_BASE_URL) : undefined;
    aws = {
      externalId: view.externalId,
      graderPrincipal: principal ?? null,
      createStack: createStackCommand(setup),
      quickCreate: link ?? null,
      terraform: terraformSnippet(setup),
      cli: cliCommands(setup),
    };
  }
  const localStackCli = view
    ? cliCommands({ graderPrincipal: rootArn(LOCALSTACK_ACCOUNT), externalId: view.externalId, policy, region }, view.target === "localstack" && view.endpoint ? view.endpoint : "http://localhost:4566")
    : null;

  const props: ConnectPageProps = {
    connection: view ? { ...view, verifiedAt: view.verifiedAt?.toISOString() ?? null } : null,
    sandboxEndpoint: sandboxEndpoint(),
    defaultRegion: region,
    aws: aws ?? null,
    localStackCli,
    actions: policy.Statement.flatMap((s) => s.Action).sort(),
  };
  return (
    <>
      <h1>Connect an account</h1>
      <p className="form-help">
        Choose where you build the lab. The grader checks your resources through a read-only role, <code>LabGraderRole</code>, that trusts it only with your own
        ExternalId; it never asks for your AWS keys.
      </p>
      <ConnectPanel {...props} />
    </>
  );
}
