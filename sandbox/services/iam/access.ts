// The one place IAM turns a reference (a role name, a policy ARN) into its record. IAM is
// account-scoped: a role is named by its name alone, which always means the caller's account;
// a policy ARN of another account names nothing the caller may read or change (IAM has no
// resource policies), so AWS answers AccessDenied, or NoSuchEntity where the ARN is only a
// parameter (attaching a policy). AWS's managed policies (account "aws") may be read and
// attached, never changed.
import type { RequestContext } from "@/sandbox/core/contracts";
import { awsManagedPolicy } from "./managed-policies";
import type { IamModel, PolicyState, RoleState } from "./models";
import { InvalidInput, policyAccessDenied, policyNotAttachable, policyNotFound, roleNotFound } from "./errors";
import { checkName, requireString } from "./validate";

type Input = Record<string, unknown>;

const POLICY_ARN = /^arn:aws:iam::(\d{12}|aws):policy\/(?:[\x21-\x7e]*\/)?[\w+=,.@-]{1,128}$/;

/** The caller's role named by `RoleName` (a name, never an ARN: IAM's pattern refuses one). */
export function roleByName(model: IamModel, input: Input, ctx: RequestContext): RoleState {
  const name = checkName(requireString(input, "RoleName"), "RoleName", 64);
  const role = model.getRole(ctx.accountId, name);
  if (!role) throw roleNotFound(name);
  return role;
}

/** What a policy ARN names: one of the caller's customer managed policies, or one of AWS's. */
export type PolicyRef = { kind: "customer"; arn: string; policy: PolicyState } | { kind: "aws"; arn: string; managed: ManagedPolicy };

type ManagedPolicy = NonNullable<ReturnType<typeof awsManagedPolicy>>;

function parse(arn: string): { account: string } {
  const m = POLICY_ARN.exec(arn);
  if (!m) throw InvalidInput(`ARN ${arn} is not valid.`);
  return { account: m[1] as string };
}

/**
 * A policy an operation acts on (GetPolicy, DeletePolicy, CreatePolicyVersion…): the caller's
 * customer managed policy, or, where `managed` says the operation reads, an AWS managed one.
 */
export function policyByArn(model: IamModel, input: Input, ctx: RequestContext, action: string, managed: "read" | "none"): PolicyRef {
  const arn = requireString(input, "PolicyArn");
  const { account } = parse(arn);
  if (account === "aws") {
    const m = managed === "read" ? awsManagedPolicy(arn) : undefined;
    if (!m) throw policyNotFound(arn);
    return { kind: "aws", arn, managed: m };
  }
  if (account !== ctx.accountId) throw policyAccessDenied(ctx.principal.arn, action, arn);
  const policy = model.getPolicyByArn(arn);
  if (!policy) throw policyNotFound(arn);
  return { kind: "customer", arn, policy };
}

/** A policy a role is to be given (AttachRolePolicy): the caller's own, or AWS's; anything else is not attachable. */
export function attachablePolicy(model: IamModel, arn: string, ctx: RequestContext): PolicyRef {
  const { account } = parse(arn);
  if (account === "aws") {
    const m = awsManagedPolicy(arn);
    if (!m) throw policyNotAttachable(arn);
    return { kind: "aws", arn, managed: m };
  }
  const policy = account === ctx.accountId ? model.getPolicyByArn(arn) : undefined;
  if (!policy) throw policyNotAttachable(arn);
  return { kind: "customer", arn, policy };
}

/** A policy ARN given as a parameter only (DetachRolePolicy): well formed, whatever it names. */
export function policyArnParameter(input: Input): string {
  const arn = requireString(input, "PolicyArn");
  parse(arn);
  return arn;
}
