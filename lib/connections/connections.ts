// A learner's Connection: which target their lab lives in and how the grader reaches it.
// One row per user (userId is unique); the ExternalId is made once and kept across targets, and
// a sandbox account, once made, is kept when the learner switches away and back.
import type { Connection } from "@prisma/client";
import { db } from "@/lib/db/client";
import { checkEndpoint } from "./endpoint-check";
import { ConnectionSetupError } from "./errors";
import { newExternalId } from "./external-id";
import { LOCALSTACK_ACCOUNT, rootArn, type Target } from "./grader-principal";
import { ensureSandboxGraderRole } from "./role-setup";
import { cachedGraderKeys, SandboxAdmin, SandboxAdminError, sandboxEndpoint, type SandboxKeys } from "./sandbox-admin";
import { open, seal } from "./secret-box";
import { isRoleArn, ROLE_NAME } from "./templates";

export const DEFAULT_REGION = "us-east-1";
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export function isRegion(value: string): boolean {
  return REGION.test(value);
}

export function getConnection(userId: string): Promise<Connection | null> {
  return db.connection.findUnique({ where: { userId } });
}

/** What pages may show: never the encrypted secret. */
export interface ConnectionView {
  target: Target;
  region: string;
  endpoint: string | null;
  roleArn: string | null;
  externalId: string;
  sandboxAccountId: string | null;
  sandboxAccessKeyId: string | null;
  verifiedAt: Date | null;
}

export function asTarget(value: string): Target {
  return value === "sandbox" || value === "localstack" ? value : "aws";
}

export async function connectionView(userId: string): Promise<ConnectionView | null> {
  const c = await getConnection(userId);
  if (!c) return null;
  return {
    target: asTarget(c.target),
    region: c.region,
    endpoint: c.endpoint,
    roleArn: c.roleArn,
    externalId: c.externalId,
    sandboxAccountId: c.sandboxAccountId,
    sandboxAccessKeyId: c.sandboxAccessKeyId,
    verifiedAt: c.verifiedAt,
  };
}

async function externalIdOf(userId: string): Promise<string> {
  return (await getConnection(userId))?.externalId ?? newExternalId();
}

function adminFailure(err: unknown): never {
  if (err instanceof SandboxAdminError) throw new ConnectionSetupError(err.message, 502);
  if (err instanceof ConnectionSetupError) throw err;
  // An IAM call to the sandbox failed (the sandbox lost its data, or is down): say so plainly.
  const message = err instanceof Error ? err.message : String(err);
  throw new ConnectionSetupError(`The grader role could not be made in your sandbox account: ${message}. Reset the sandbox account, or ask the operator whether the sandbox is running.`, 502);
}

/**
 * The learner's sandbox account (made on first use through the admin API) with LabGraderRole
 * in it. Idempotent: a second call reuses the account and repairs the role.
 */
export async function connectSandbox(userId: string, admin: SandboxAdmin = new SandboxAdmin()): Promise<ConnectionView> {
  const existing = await getConnection(userId);
  const externalId = existing?.externalId ?? newExternalId();
  const region = existing?.region && isRegion(existing.region) ? existing.region : DEFAULT_REGION;
  let keys: SandboxKeys;
  try {
    if (existing?.sandboxAccountId && existing.sandboxAccessKeyId && existing.sandboxSecretEnc) {
      keys = { accountId: existing.sandboxAccountId, accessKeyId: existing.sandboxAccessKeyId, secretAccessKey: open(existing.sandboxSecretEnc) };
    } else {
      keys = await admin.createAccount();
      // Stored before the role is made, so a failure below never orphans the account.
      const sandbox = { sandboxAccountId: keys.accountId, sandboxAccessKeyId: keys.accessKeyId, sandboxSecretEnc: seal(keys.secretAccessKey) };
      await db.connection.upsert({
        where: { userId },
        create: { userId, target: "sandbox", region, externalId, ...sandbox },
        update: { target: "sandbox", ...sandbox, verifiedAt: null },
      });
    }
    const grader = await cachedGraderKeys(admin);
    const roleArn = await ensureSandboxGraderRole({ endpoint: sandboxEndpointForServer(admin), region, learner: keys, graderPrincipal: rootArn(grader.accountId), externalId });
    await db.connection.upsert({
      where: { userId },
      create: { userId, target: "sandbox", region, externalId, roleArn, endpoint: null, sandboxAccountId: keys.accountId, sandboxAccessKeyId: keys.accessKeyId, sandboxSecretEnc: seal(keys.secretAccessKey) },
      update: { target: "sandbox", region, roleArn, endpoint: null },
    });
  } catch (err) {
    adminFailure(err);
  }
  return (await connectionView(userId)) as ConnectionView;
}

/** The platform itself talks to the sandbox where it listens, not through the public URL. */
function sandboxEndpointForServer(admin: SandboxAdmin): string {
  return admin.baseUrl.replace(/\/+$/, "");
}

/** The learner's sandbox keys, decrypted only when they ask to see them. */
export async function revealSandboxKeys(userId: string): Promise<SandboxKeys | null> {
  const c = await getConnection(userId);
  if (!c?.sandboxAccountId || !c.sandboxAccessKeyId || !c.sandboxSecretEnc) return null;
  return { accountId: c.sandboxAccountId, accessKeyId: c.sandboxAccessKeyId, secretAccessKey: open(c.sandboxSecretEnc) };
}

/** Empties the learner's sandbox account, then makes LabGraderRole again so checks keep working. */
export async function resetSandbox(userId: string, admin: SandboxAdmin = new SandboxAdmin()): Promise<void> {
  const c = await getConnection(userId);
  if (!c?.sandboxAccountId) throw new ConnectionSetupError("You have no sandbox account to reset.", 404);
  try {
    await admin.resetAccount(c.sandboxAccountId);
  } catch (err) {
    adminFailure(err);
  }
  await db.connection.update({ where: { userId }, data: { verifiedAt: null } });
  if (c.target === "sandbox") await connectSandbox(userId, admin);
}

/** LocalStack: an endpoint URL the outbound policy allows; the learner creates the role there. */
export async function connectLocalStack(userId: string, input: { endpoint: string; region: string; roleArn?: string | undefined }): Promise<ConnectionView> {
  const verdict = await checkEndpoint(input.endpoint);
  if (!verdict.ok) throw new ConnectionSetupError(`That endpoint is not allowed: ${verdict.reason}`);
  if (!isRegion(input.region)) throw new ConnectionSetupError(`"${input.region}" is not an AWS region name such as us-east-1.`);
  const roleArn = input.roleArn || `arn:aws:iam::${LOCALSTACK_ACCOUNT}:role/${ROLE_NAME}`;
  if (!isRoleArn(roleArn)) throw new ConnectionSetupError("The role ARN must look like arn:aws:iam::000000000000:role/LabGraderRole.");
  const endpoint = new URL(input.endpoint).origin;
  const externalId = await externalIdOf(userId);
  await db.connection.upsert({
    where: { userId },
    create: { userId, target: "localstack", region: input.region, endpoint, roleArn, externalId },
    update: { target: "localstack", region: input.region, endpoint, roleArn, verifiedAt: null },
  });
  return (await connectionView(userId)) as ConnectionView;
}

/** AWS: the ExternalId is made on the first visit; the role ARN comes once the learner made the role. */
export async function connectAws(userId: string, input: { region: string; roleArn?: string | undefined }): Promise<ConnectionView> {
  if (!isRegion(input.region)) throw new ConnectionSetupError(`"${input.region}" is not an AWS region name such as us-east-1.`);
  const roleArn = input.roleArn?.trim() || null;
  if (roleArn !== null && !isRoleArn(roleArn)) {
    throw new ConnectionSetupError("That is not a role ARN. It looks like arn:aws:iam::123456789012:role/LabGraderRole (the stack's RoleArn output).");
  }
  const externalId = await externalIdOf(userId);
  await db.connection.upsert({
    where: { userId },
    create: { userId, target: "aws", region: input.region, endpoint: null, roleArn, externalId },
    update: { target: "aws", region: input.region, endpoint: null, roleArn, verifiedAt: null },
  });
  return (await connectionView(userId)) as ConnectionView;
}

export async function markVerified(userId: string, at: Date | null): Promise<void> {
  await db.connection.update({ where: { userId }, data: { verifiedAt: at } });
}

export { sandboxEndpoint };
