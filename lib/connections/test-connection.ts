// "Test connection": assume the learner's role as grading would and ask who we are. AWS answers
// every AssumeRole failure with the same AccessDenied, so on failure we show the trust policy
// expected and the usual causes, most likely first; on the sandbox we can read the role with
// the learner's own keys and say which cause it is.
import { GetRoleCommand } from "@aws-sdk/client-iam";
import { connect } from "@/checkers/context";
import { ConnectionError, CredentialCache } from "@/checkers/credentials";
import { classifyError } from "@/checkers/errors";
import { loadConnectOptions } from "./connect-options";
import { asTarget, getConnection, markVerified } from "./connections";
import { awsGraderPrincipal, LOCALSTACK_ACCOUNT, rootArn, type Target } from "./grader-principal";
import { sandboxIam } from "./role-setup";
import { cachedGraderKeys, SandboxAdmin } from "./sandbox-admin";
import { open } from "./secret-box";
import { trustPolicy } from "./templates";

export type Diagnosis = "role-missing" | "principal-wrong" | "external-id-missing" | "external-id-wrong" | "trust-ok";

export type ConnectionTestResult =
  | { ok: true; message: string; arn: string }
  | {
      ok: false;
      message: string;
      /** The trust policy the role must have, pretty-printed. */
      expectedTrustPolicy?: string;
      /** Usual causes, most likely first. */
      causes: string[];
      /** Sandbox only: which cause it is. */
      diagnosis?: { kind: Diagnosis; message: string };
    };

const AWS_CAUSES = [
  "The ExternalId in the role's trust policy is not exactly the one shown on this page (a copy with a missing character, or the condition left out).",
  "The trust policy's principal is not the grader's account shown above.",
  "The role ARN pasted here is not the role's (check the account id and the role name; copy the stack's RoleArn output).",
  "The role was created seconds ago: IAM takes a little while to apply it everywhere. Test again in a minute.",
];

export async function testConnection(userId: string, admin: SandboxAdmin = new SandboxAdmin()): Promise<ConnectionTestResult> {
  const row = await getConnection(userId);
  if (!row) return { ok: false, message: "You have not connected an account yet.", causes: [] };
  if (!row.roleArn) return { ok: false, message: "Paste the ARN of the role you created first, then test the connection.", causes: [] };
  const target = asTarget(row.target);

  let failure: unknown;
  try {
    const options = await loadConnectOptions(userId);
    if (!options) return { ok: false, message: "The connection is incomplete: choose a target and fill in its details.", causes: [] };
    // A fresh cache: the test must really call AssumeRole, not reuse grading's credentials.
    const conn = await connect({ ...options, cache: new CredentialCache(), requestTimeoutMs: 5_000 });
    const id = await conn.identity();
    // On the sandbox we can read the role: a trust policy without the ExternalId condition
    // works, but lets anyone who controls the grader reach this account, so it does not pass.
    if (target === "sandbox") {
      const principal = await expectedPrincipal(target, admin);
      const diagnosis = await diagnoseSandbox(row, principal, admin).catch(() => undefined);
      if (diagnosis?.kind === "external-id-missing") {
        await markVerified(userId, null);
        const expectedTrustPolicy = principal ? JSON.stringify(trustPolicy(principal, row.externalId), null, 2) : undefined;
        return { ok: false, message: "The grader could assume the role, but without checking your ExternalId.", ...(expectedTrustPolicy ? { expectedTrustPolicy } : {}), causes: [], diagnosis };
      }
    }
    await markVerified(userId, new Date());
    return { ok: true, message: `Connection works: the grader is ${id.arn}.`, arn: id.arn };
  } catch (err) {
    failure = err;
  }
  await markVerified(userId, null);
  const message = failure instanceof ConnectionError ? `${failure.message}` : `The test failed: ${failure instanceof Error ? failure.message : String(failure)}`;
  const principal = await expectedPrincipal(target, admin);
  const expectedTrustPolicy = principal ? JSON.stringify(trustPolicy(principal, row.externalId), null, 2) : undefined;
  const unreachable = ["unreachable", "timeout"].includes(classifyError(failure instanceof ConnectionError ? { code: failure.code } : failure).kind);

  if (target === "localstack") {
    const causes = [
      `LocalStack is not running, or the platform cannot reach ${row.endpoint ?? "the endpoint"} (it runs the checks from its own server, not from your machine).`,
      "LabGraderRole does not exist in LocalStack yet: run the commands below with --endpoint-url.",
      "The region is not the one your resources are in.",
    ];
    return { ok: false, message, ...(expectedTrustPolicy ? { expectedTrustPolicy } : {}), causes };
  }
  if (target === "aws") {
    const causes = unreachable ? ["AWS's STS endpoint could not be reached from the platform; try again shortly.", ...AWS_CAUSES] : AWS_CAUSES;
    return { ok: false, message, ...(expectedTrustPolicy ? { expectedTrustPolicy } : {}), causes };
  }
  const causes = unreachable ? ["The built-in sandbox is not answering: ask the operator whether it runs.", ...AWS_CAUSES.slice(0, 2)] : AWS_CAUSES.slice(0, 2);
  const diagnosis = unreachable ? undefined : await diagnoseSandbox(row, principal, admin).catch(() => undefined);
  return { ok: false, message, ...(expectedTrustPolicy ? { expectedTrustPolicy } : {}), causes, ...(diagnosis ? { diagnosis } : {}) };
}

async function expectedPrincipal(target: Target, admin: SandboxAdmin): Promise<string | undefined> {
  if (target === "localstack") return rootArn(LOCALSTACK_ACCOUNT);
  if (target === "aws") return awsGraderPrincipal();
  try {
    return rootArn((await cachedGraderKeys(admin)).accountId);
  } catch {
    return undefined;
  }
}

type Row = NonNullable<Awaited<ReturnType<typeof getConnection>>>;

interface TrustStatement {
  Effect?: string;
  Action?: string | string[];
  Principal?: string | { AWS?: string | string[] };
  Condition?: Record<string, Record<string, string | string[]> | undefined>;
}

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Reads the learner's role with their own keys and names what is wrong with its trust policy. */
export async function diagnoseSandbox(row: Row, principal: string | undefined, admin: SandboxAdmin): Promise<{ kind: Diagnosis; message: string }> {
  if (!row.sandboxAccountId || !row.sandboxAccessKeyId || !row.sandboxSecretEnc || !row.roleArn) {
    return { kind: "role-missing", message: "You have no sandbox account yet: create it above." };
  }
  const roleName = row.roleArn.split("/").pop() ?? "";
  const iam = sandboxIam(admin.baseUrl, row.region, { accountId: row.sandboxAccountId, accessKeyId: row.sandboxAccessKeyId, secretAccessKey: open(row.sandboxSecretEnc) });
  let document: string;
  try {
    const out = await iam.send(new GetRoleCommand({ RoleName: roleName }));
    document = out.Role?.AssumeRolePolicyDocument ?? "{}";
  } catch (err) {
    if (classifyError(err).kind === "not-found") {
      return { kind: "role-missing", message: `The role ${roleName} does not exist in your sandbox account ${row.sandboxAccountId} (it was deleted, or the account was reset). Press "Recreate the grader role" to make it again.` };
    }
    throw err;
  } finally {
    iam.destroy();
  }
  // IAM returns the document URL-encoded.
  const text = document.trim().startsWith("%") ? decodeURIComponent(document) : document;
  const parsed = JSON.parse(text) as { Statement?: TrustStatement | TrustStatement[] };
  const statements = parsed.Statement === undefined ? [] : Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  const assume = statements.filter((s) => s.Effect === "Allow" && list(s.Action).some((a) => a === "sts:AssumeRole" || a === "sts:*" || a === "*"));
  const graderAccount = principal ? /::(\d{12}):/.exec(principal)?.[1] : undefined;
  const trustsGrader = (s: TrustStatement) => {
    const ids = typeof s.Principal === "string" ? [s.Principal] : list(s.Principal?.AWS);
    return ids.some((id) => id === "*" || id === graderAccount || (graderAccount !== undefined && id.startsWith(`arn:aws:iam::${graderAccount}:`)));
  };
  const forGrader = assume.filter(trustsGrader);
  if (forGrader.length === 0) {
    const named = assume.flatMap((s) => (typeof s.Principal === "string" ? [s.Principal] : list(s.Principal?.AWS)));
    return { kind: "principal-wrong", message: `The role's trust policy does not name the grader's account (${principal ?? "unknown"}) as principal; it names ${named.length ? named.join(", ") : "no AWS principal"}.` };
  }
  const ids = forGrader.flatMap((s) => Object.entries(s.Condition ?? {}).flatMap(([op, conds]) => (/^String(Equals|Like)/.test(op) ? list(conds?.["sts:ExternalId"]) : [])));
  if (ids.length === 0) return { kind: "external-id-missing", message: "The role's trust policy has no sts:ExternalId condition: add the condition with your ExternalId." };
  if (!ids.includes(row.externalId)) return { kind: "external-id-wrong", message: "The ExternalId in the role's trust policy is not yours: it must be exactly the one shown on this page." };
  return { kind: "trust-ok", message: "The role's trust policy is right; the failure lies elsewhere (test again in a moment)." };
}
