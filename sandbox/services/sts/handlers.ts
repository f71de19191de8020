// STS's operations: who am I, and assuming a role (trust policy and ExternalId enforced with
// the shared evaluator; the refusal is AWS's single AccessDenied, whatever the cause).
import type { Principal, RequestContext } from "@/sandbox/core/contracts";
import type { SessionIssuer } from "@/sandbox/core/accounts";
import type { RoleDirectory } from "@/sandbox/core/identity";
import { canAssumeRole } from "@/semantics/iam-policy";
import type { RequestPrincipal } from "@/semantics/iam-policy";
import { accessDenied, validationError } from "./errors";

type Input = Record<string, unknown>;

export interface StsDeps {
  roles: () => RoleDirectory;
  sessions: SessionIssuer;
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,64})$/;
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

function callerOf(principal: Principal): { requestPrincipal: RequestPrincipal; arn: string; principalArn: string } {
  if (principal.kind === "service") return { requestPrincipal: { type: "Service", id: principal.service }, arn: principal.service, principalArn: principal.service };
  if (principal.kind === "assumed-role") return { requestPrincipal: { type: "AWS", id: principal.arn }, arn: principal.arn, principalArn: principal.roleArn };
  return { requestPrincipal: { type: "AWS", id: principal.arn }, arn: principal.arn, principalArn: principal.arn };
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
      const caller = callerOf(ctx.principal);
      const denied = () => accessDenied(`User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);

      const m = ROLE_ARN.exec(roleArn);
      if (!m) throw denied();
      const role = deps.roles().role(m[1] as string, m[2] as string);
      if (!role || role.arn !== roleArn) throw denied();
      const decision = canAssumeRole(role.trustPolicy, {
        principal: caller.requestPrincipal,
        roleArn,
        ...(externalId !== undefined ? { externalId } : {}),
        context: {
          "aws:PrincipalArn": caller.principalArn,
          "aws:PrincipalAccount": ctx.principal.accountId,
          "sts:RoleSessionName": sessionName,
          "aws:CurrentTime": new Date(ctx.now).toISOString(),
          "aws:EpochTime": Math.floor(ctx.now / 1000),
          ...(ctx.principal.kind === "service" && ctx.principal.sourceArn ? { "aws:SourceArn": ctx.principal.sourceArn } : {}),
        },
      });
      if (!decision.ok || decision.decision !== "Allow") throw denied();
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
