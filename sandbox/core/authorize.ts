// IAM enforcement for calls made with assumed-role credentials: the role's inline and attached
// policies must allow the operation's action on its resource (the shared evaluator decides).
// Account keys act as root and service principals check resource policies themselves.
import { decide } from "@/semantics/iam-policy";
import type { ContextValue } from "@/semantics/iam-policy";
import type { Operation, RequestContext } from "./contracts";
import type { RoleDirectory } from "./identity";
import { accessDenied } from "./auth-errors";

// Actions AWS allows every authenticated caller, whatever its policies say.
const ALWAYS_ALLOWED = new Set(["sts:GetCallerIdentity"]);

export function authorize(
  roles: RoleDirectory,
  service: string,
  op: Operation,
  input: Record<string, unknown>,
  ctx: RequestContext,
): void {
  const p = ctx.principal;
  if (p.kind !== "assumed-role") return;
  if (ALWAYS_ALLOWED.has(op.action)) return;
  let resource = "*";
  if (op.resource) {
    try {
      resource = op.resource(input, ctx) || "*";
    } catch {
      resource = "*"; // a malformed input fails in the handler with the service's own error
    }
  }
  const context: Record<string, ContextValue | undefined> = {
    "aws:PrincipalArn": p.roleArn,
    "aws:PrincipalAccount": p.accountId,
    "aws:PrincipalType": "AssumedRole",
    "aws:userid": `${roleIdOf(roles, p.accountId, p.roleName)}:${p.sessionName}`,
    "aws:RequestedRegion": ctx.region,
    "aws:CurrentTime": new Date(ctx.now).toISOString(),
    "aws:EpochTime": Math.floor(ctx.now / 1000),
    "aws:SecureTransport": false,
  };
  const decision = decide(roles.identityPolicies(p.accountId, p.roleName), {
    principal: { type: "AWS", id: p.arn },
    action: op.action,
    resource,
    context,
  });
  if (decision.decision === "Allow") return;
  const why =
    decision.decision === "ExplicitDeny"
      ? "with an explicit deny in an identity-based policy"
      : `because no identity-based policy allows the ${op.action} action`;
  throw accessDenied(service, `User: ${p.arn} is not authorized to perform: ${op.action} on resource: ${resource} ${why}`);
}

function roleIdOf(roles: RoleDirectory, accountId: string, roleName: string): string {
  return roles.role(accountId, roleName)?.roleId ?? roleName;
}
