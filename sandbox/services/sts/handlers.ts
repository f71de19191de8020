// STS's operations: who am I, and assuming a role (trust policy and ExternalId enforced with
// the shared evaluator; the refusal is AWS's single AccessDenied, whatever the cause).
import type { RequestContext } from "@/sandbox/core/contracts";
import type { SessionIssuer } from "@/sandbox/core/accounts";
import type { RoleDirectory } from "@/sandbox/core/identity";
import { roleToAssume } from "./access";
import { validationError } from "./errors";

type Input = Record<string, unknown>;

export interface StsDeps {
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
    const camel = member.charAt(0).toLowerCase() + member.slice(1);
    throw validationError(`1 validation error detected: Value null at '${camel}' failed to satisfy constraint: Member must not be null`);
  }
  if (typeof v !== "string") throw validationError(`${member} must be a string.`);
  return v;
}

export function createHandlers(deps: StsDeps) {
  return {
    GetCallerIdentity(_input: Input, ctx: RequestContext) {
      const p = ctx.principal;
      if (p.kind === "assumed-role") {
        const roleId = deps.roles().role(p.accountId, p.roleName)?.roleId ?? p.roleName;
        return { UserId: `${roleId}:${p.sessionName}`, Account: p.accountId, Arn: p.arn };
      }
      if (p.kind === "service") return { UserId: p.service, Account: p.accountId, Arn: p.arn };
      return { UserId: p.accountId, Account: p.accountId, Arn: p.arn };
    },

    AssumeRole(input: Input, ctx: RequestContext) {
      const roleArn = str(input, "RoleArn", true);
      const sessionName = str(input, "RoleSessionName", true);
      const externalId = str(input, "ExternalId", false);
      if (roleArn.length < 20 || roleArn.length > 2048) {
        throw validationError(`1 validation error detected: Value '${roleArn.slice(0, 200)}' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20`);
      }
      if (!SESSION_NAME.test(sessionName)) {
        throw validationError(`1 validation error detected: Value '${sessionName.slice(0, 100)}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
      }
      if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) {
        throw validationError(`1 validation error detected: Value '${externalId.slice(0, 100)}' at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*`);
      }
      const rawDuration = input.DurationSeconds;
      const duration = rawDuration === undefined || rawDuration === "" ? 3600 : Number(rawDuration);
      if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
        throw validationError(`1 validation error detected: Value '${String(rawDuration)}' at 'durationSeconds' failed to satisfy constraint: Member must have value ${duration < 900 ? "greater than or equal to 900" : "less than or equal to 43200"}`);
      }
      const role = roleToAssume(deps.roles(), { roleArn, sessionName, ...(externalId !== undefined ? { externalId } : {}) }, ctx);
      if (duration > role.maxSessionDuration) {
        throw validationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
      }
      const session = deps.sessions.issueSession({
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
    },
  };
}
