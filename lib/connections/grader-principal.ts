// Who the grader is on each target (ARCHITECTURE.md, "Targets, principals and connections"):
// the sandbox's grader account (keys from the admin API), LocalStack's test/test, and on AWS
// the operator's credentials from the standard chain or GRADER_AWS_PROFILE.
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentials, CredentialsProvider } from "@/checkers/clients";
import { env } from "@/lib/env";
import { cachedGraderKeys, SandboxAdmin } from "./sandbox-admin";

export type Target = "sandbox" | "localstack" | "aws";
export const TARGETS: readonly Target[] = ["sandbox", "localstack", "aws"];

export const LOCALSTACK_ACCOUNT = "000000000000";
export const LOCALSTACK_CREDENTIALS: AwsCredentials = { accessKeyId: "test", secretAccessKey: "test" };

export const rootArn = (account: string, partition = "aws") => `arn:${partition}:iam::${account}:root`;

/** The grader's base credentials on a target; undefined means the SDK's default chain. */
export async function graderCredentials(target: Target, admin: SandboxAdmin = new SandboxAdmin()): Promise<AwsCredentials | CredentialsProvider | undefined> {
  if (target === "sandbox") {
    const k = await cachedGraderKeys(admin);
    return { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey };
  }
  if (target === "localstack") return LOCALSTACK_CREDENTIALS;
  return awsProfileCredentials();
}

let profileClient: STSClient | undefined;

/** With GRADER_AWS_PROFILE: that profile's credentials (resolved and refreshed by the SDK). */
function awsProfileCredentials(): CredentialsProvider | undefined {
  const profile = env.GRADER_AWS_PROFILE;
  if (!profile) return undefined;
  profileClient ??= new STSClient({ region: "us-east-1", profile });
  const client = profileClient;
  return async () => {
    const c = await client.config.credentials();
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}), ...(c.expiration ? { expiration: c.expiration } : {}) };
  };
}

let awsGraderArn: Promise<string> | undefined;

/**
 * The principal learners' roles trust on AWS: the operator's account root, found once with
 * sts:GetCallerIdentity. Undefined when the operator has no AWS credentials configured.
 */
export async function awsGraderPrincipal(): Promise<string | undefined> {
  if (!awsGraderArn) {
    const creds = awsProfileCredentials();
    const sts = new STSClient({ region: "us-east-1", maxAttempts: 1, ...(creds ? { credentials: creds } : {}) });
    const p = sts.send(new GetCallerIdentityCommand({})).then((r) => {
      const partition = r.Arn?.split(":")[1] ?? "aws";
      if (!r.Account) throw new Error("no account");
      return rootArn(r.Account, partition);
    });
    awsGraderArn = p;
    // A failure is remembered for a while: without credentials the SDK's chain is slow to give up.
    p.catch(() => {
      setTimeout(() => {
        if (awsGraderArn === p) awsGraderArn = undefined;
      }, 5 * 60_000).unref();
    });
  }
  try {
    return await awsGraderArn;
  } catch {
    return undefined;
  }
}
