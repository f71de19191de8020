// Creates (or repairs) LabGraderRole in a sandbox account, signed with the learner's own keys
// exactly as the learner would with the AWS CLI: trust = the grader account + ExternalId,
// inline policy = the generated grader policy.
import {
  CreateRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { getLab, DEFAULT_LAB } from "@/lib/content/lab";
import { graderPolicy, type PolicyDocument } from "./grader-policy";
import type { SandboxKeys } from "./sandbox-admin";
import { ROLE_NAME, trustPolicy } from "./templates";

export async function labGraderPolicy(): Promise<PolicyDocument> {
  const lab = await getLab(DEFAULT_LAB);
  return graderPolicy(lab.steps);
}

export function sandboxIam(endpoint: string, region: string, keys: SandboxKeys): IAMClient {
  return new IAMClient({ endpoint, region, maxAttempts: 2, credentials: { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey } });
}

function isAlreadyExists(err: unknown): boolean {
  const e = (typeof err === "object" && err !== null ? err : {}) as { name?: unknown; Code?: unknown };
  return /EntityAlreadyExists/.test(String(e.Code ?? e.name ?? ""));
}

/** Returns the role's ARN. Idempotent: an existing role gets the expected trust and policy again. */
export async function ensureSandboxGraderRole(o: { endpoint: string; region: string; learner: SandboxKeys; graderPrincipal: string; externalId: string }): Promise<string> {
  const iam = sandboxIam(o.endpoint, o.region, o.learner);
  const trust = JSON.stringify(trustPolicy(o.graderPrincipal, o.externalId));
  try {
    try {
      await iam.send(new CreateRoleCommand({ RoleName: ROLE_NAME, AssumeRolePolicyDocument: trust, MaxSessionDuration: 3600, Description: "Lab Grader: checks the order-system lab" }));
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: ROLE_NAME, PolicyDocument: trust }));
    }
    await iam.send(new PutRolePolicyCommand({ RoleName: ROLE_NAME, PolicyName: "lab-grader", PolicyDocument: JSON.stringify(await labGraderPolicy()) }));
  } finally {
    iam.destroy();
  }
  return `arn:aws:iam::${o.learner.accountId}:role/${ROLE_NAME}`;
}
