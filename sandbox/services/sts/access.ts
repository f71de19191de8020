// The one place STS resolves the role AssumeRole names and decides, by AWS's rule, whether the
// caller may assume it: the role ARN must be well formed and name an existing role, and the
// role's trust policy must trust the caller (with the ExternalId and other conditions it sets).
// Across accounts the trust policy is the role's resource policy; the caller's identity policy
// is the core's check (assumed roles) before this runs. A service principal (a service assuming
// a resource's execution role, core/service-roles.ts) acts for one of its account's resources,
// so it may assume only that account's roles — the account that passed the role to it — with
// aws:SourceAccount and aws:SourceArn set.
import { parseRoleArn } from "@/sandbox/core/aws-names";
import type { Principal, RequestContext } from "@/sandbox/core/contracts";
import type { RoleDirectory, RoleInfo } from "@/sandbox/core/identity";
import { canAssumeRole } from "@/semantics/iam-policy";
import type { ContextValue, RequestPrincipal } from "@/semantics/iam-policy";
import { invalidRoleArn, notAuthorizedToAssume } from "./errors";

interface Caller {
  requestPrincipal: RequestPrincipal;
  /** Named in AccessDenied messages. */
  arn: string;
  /** aws:PrincipalArn: a session's role, otherwise the principal itself. */
  principalArn: string;
}

function callerOf(p: Principal): Caller {
  if (p.kind === "service") return { requestPrincipal: { type: "Service", id: p.service }, arn: p.service, principalArn: p.service };
  if (p.kind === "assumed-role") return { requestPrincipal: { type: "AWS", id: p.arn }, arn: p.arn, principalArn: p.roleArn };
  return { requestPrincipal: { type: "AWS", id: p.arn }, arn: p.arn, principalArn: p.arn };
}

export interface AssumeRequest {
  roleArn: string;
  sessionName: string;
  externalId?: string;
}

/** The role AssumeRole may hand credentials for; AWS's single AccessDenied otherwise, whatever the cause. */
export function roleToAssume(roles: RoleDirectory, req: AssumeRequest, ctx: RequestContext): RoleInfo {
  const named = parseRoleArn(req.roleArn);
  if (!named) throw invalidRoleArn();
  const caller = callerOf(ctx.principal);
  const denied = () => notAuthorizedToAssume(caller.arn, req.roleArn);
  if (ctx.principal.kind === "service" && named.accountId !== ctx.principal.accountId) throw denied();
  const role = roles.role(named.accountId, named.name);
  if (!role || role.arn !== req.roleArn) throw denied();
  const context: Record<string, ContextValue | undefined> = {
    "aws:PrincipalArn": caller.principalArn,
    "aws:PrincipalAccount": ctx.principal.accountId,
    "sts:RoleSessionName": req.sessionName,
    "aws:CurrentTime": new Date(ctx.now).toISOString(),
    "aws:EpochTime": Math.floor(ctx.now / 1000),
  };
  if (ctx.principal.kind === "service") {
    context["aws:SourceAccount"] = ctx.principal.accountId;
    if (ctx.principal.sourceArn) context["aws:SourceArn"] = ctx.principal.sourceArn;
  }
  const decision = canAssumeRole(role.trustPolicy, {
    principal: caller.requestPrincipal,
    roleArn: req.roleArn,
    ...(req.externalId !== undefined ? { externalId: req.externalId } : {}),
    context,
  });
  if (!decision.ok || decision.decision !== "Allow") throw denied();
  return role;
}
