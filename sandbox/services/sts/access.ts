// The one place STS resolves the role AssumeRole names and decides, by AWS's rule, whether the
// caller may assume it: the role ARN must be well formed and name an existing role, and the
// role's trust policy must trust the caller (with the ExternalId and other conditions it sets).
// Across accounts the trust policy is the role's resource policy; the caller's identity policy
// is the core's check (assumed roles) before this runs. An AWS service acting on its own (no
// role) acts for one of its account's resources, so it may assume only that account's roles —
// the account that passed the role to it — with aws:SourceAccount and aws:SourceArn set.
import type { Principal, RequestContext } from "@/sandbox/core/contracts";
import type { RoleDirectory, RoleInfo } from "@/sandbox/core/identity";
import { canAssumeRole } from "@/semantics/iam-policy";
import type { ContextValue, RequestPrincipal } from "@/semantics/iam-policy";
import { accessDenied, validationError } from "./errors";

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,64})$/;

interface Caller {
  requestPrincipal: RequestPrincipal;
  /** Named in AccessDenied messages. */
  arn: string;
  /** aws:PrincipalArn: a session's role, otherwise the principal itself. */
  principalArn: string;
  /** A service acting on its own, for its account's resource. */
  bareService: boolean;
}

function callerOf(p: Principal): Caller {
  if (p.kind === "service") {
    const role = /^arn:[^:]+:(iam|sts)::\d{12}:/.test(p.arn) ? p.arn : undefined;
    if (role !== undefined) return { requestPrincipal: { type: "AWS", id: role }, arn: role, principalArn: role, bareService: false };
    return { requestPrincipal: { type: "Service", id: p.service }, arn: p.service, principalArn: p.service, bareService: true };
  }
  if (p.kind === "assumed-role") return { requestPrincipal: { type: "AWS", id: p.arn }, arn: p.arn, principalArn: p.roleArn, bareService: false };
  return { requestPrincipal: { type: "AWS", id: p.arn }, arn: p.arn, principalArn: p.arn, bareService: false };
}

export interface AssumeRequest {
  roleArn: string;
  sessionName: string;
  externalId?: string;
}

/** The role AssumeRole may hand credentials for; AWS's single AccessDenied otherwise, whatever the cause. */
export function roleToAssume(roles: RoleDirectory, req: AssumeRequest, ctx: RequestContext): RoleInfo {
  const m = ROLE_ARN.exec(req.roleArn);
  if (!m) throw validationError("Request ARN is invalid");
  const caller = callerOf(ctx.principal);
  const denied = () => accessDenied(`User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${req.roleArn}`);
  const account = m[1] as string;
  if (caller.bareService && account !== ctx.principal.accountId) throw denied();
  const role = roles.role(account, m[2] as string);
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
