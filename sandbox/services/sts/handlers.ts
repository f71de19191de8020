// STS's operations, one top-level function each, named after it: who am I, and assuming a role
// (trust policy and ExternalId enforced with the shared evaluator; the refusal is AWS's single
// AccessDenied, whatever the cause).
import type { AssumeRoleCommandOutput, GetCallerIdentityCommandOutput } from "@aws-sdk/client-sts";
import type { SessionIssuer } from "@/sandbox/core/accounts";
import type { RequestContext } from "@/sandbox/core/contracts";
import type { RoleDirectory } from "@/sandbox/core/identity";
import type { WireOutput as Wire } from "@/sandbox/core/wire-output";
import { roleToAssume } from "./access";
import { memberConstraint, memberMustNotBeNull, ValidationError } from "./errors";

type Input = Record<string, unknown>;

/** What every STS operation works on: IAM's roles and the core's session issuer (STS keeps no state of its own). */
export interface Sts {
  /** Read on each call: IAM's directory is built after STS. */
  roles: () => RoleDirectory;
  sessions: SessionIssuer;
}

const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

function str(input: Input, member: string, required: true): string;
function str(input: Input, member: string, required: false): string | undefined;
function str(input: Input, member: string, required: boolean): string | undefined {
  const v = input[member];
  if (v === undefined || v === null || v === "") {
    if (!required) return undefined;
    throw memberMustNotBeNull(member.charAt(0).toLowerCase() + member.slice(1));
  }
  if (typeof v !== "string") throw ValidationError(`${member} must be a string.`);
  return v;
}

export function GetCallerIdentity(sts: Sts, _input: Input, ctx: RequestContext): Wire<GetCallerIdentityCommandOutput> {
  const p = ctx.principal;
  if (p.kind === "assumed-role") {
    const roleId = sts.roles().role(p.accountId, p.roleName)?.roleId ?? p.roleName;
    return { UserId: `${roleId}:${p.sessionName}`, Account: p.accountId, Arn: p.arn };
  }
  if (p.kind === "service") return { UserId: p.service, Account: p.accountId, Arn: p.arn };
  return { UserId: p.accountId, Account: p.accountId, Arn: p.arn };
}

export function AssumeRole(sts: Sts, input: Input, ctx: RequestContext): Wire<AssumeRoleCommandOutput> {
  const roleArn = str(input, "RoleArn", true);
  const sessionName = str(input, "RoleSessionName", true);
  const externalId = str(input, "ExternalId", false);
  if (roleArn.length < 20 || roleArn.length > 2048) {
    throw memberConstraint(roleArn.slice(0, 200), "roleArn", "Member must have length greater than or equal to 20");
  }
  if (!SESSION_NAME.test(sessionName)) {
    throw memberConstraint(sessionName.slice(0, 100), "roleSessionName", "Member must satisfy regular expression pattern: [\\w+=,.@-]*");
  }
  if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) {
    throw memberConstraint(externalId.slice(0, 100), "externalId", "Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*");
  }
  const rawDuration = input.DurationSeconds;
  const duration = rawDuration === undefined || rawDuration === "" ? 3600 : Number(rawDuration);
  if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
    throw memberConstraint(String(rawDuration), "durationSeconds", `Member must have value ${duration < 900 ? "greater than or equal to 900" : "less than or equal to 43200"}`);
  }
  const role = roleToAssume(sts.roles(), { roleArn, sessionName, ...(externalId !== undefined ? { externalId } : {}) }, ctx);
  if (duration > role.maxSessionDuration) {
    throw ValidationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  }
  const session = sts.sessions.issueSession({
    accountId: role.accountId,
    roleArn: role.arn,
    roleName: role.roleName,
    roleId: role.roleId,
    sessionName,
    durationSeconds: duration,
    now: ctx.now,
  });
  return {
    Credentials: {
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secretAccessKey,
      SessionToken: session.sessionToken,
      Expiration: new Date(session.expiration).toISOString().replace(/\.\d{3}Z$/, "Z"),
    },
    AssumedRoleUser: {
      AssumedRoleId: `${role.roleId}:${sessionName}`,
      Arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/${sessionName}`,
    },
  };
}

/** Every STS operation the sandbox provides, by its AWS name (index.ts builds the table from it). */
export const handlers = {
  GetCallerIdentity,
  AssumeRole,
} satisfies Record<string, (sts: Sts, input: Input, ctx: RequestContext) => unknown>;
