import type { EvaluationResult, PolicyDecision, PolicyInput, PolicyRequest } from "./types";
import { checkRequest, evaluatePolicies } from "./evaluate";
import { accountOf } from "./principal";

/**
 * Identity and resource policies together, simplified from AWS's evaluation logic:
 * any explicit deny wins; within one account either kind of policy may allow; across
 * accounts both must. A service principal has no identity policy, so the resource policy
 * alone decides.
 */

export interface AccessInput {
  request: PolicyRequest;
  identityPolicies?: readonly PolicyInput[];
  resourcePolicies?: readonly PolicyInput[];
  /** Defaults to the account in the resource ARN. */
  resourceAccount?: string;
}

export type AccessResult =
  | ({ ok: true; crossAccount: boolean; identity?: PolicyDecision; resource?: PolicyDecision } & PolicyDecision)
  | { ok: false; error: string };

function strip(result: Extract<EvaluationResult, { ok: true }>): PolicyDecision {
  const { ok: _ok, ...decision } = result;
  return decision;
}

export function evaluateAccess(input: AccessInput): AccessResult {
  const bad = typeof input === "object" && input !== null ? checkRequest(input.request) : "The input must be an object.";
  if (bad) return { ok: false, error: bad };
  const { request } = input;
  const isService = request.principal?.type === "Service";
  const identityInputs = isService ? [] : (input.identityPolicies ?? []);
  const resourceInputs = input.resourcePolicies ?? [];

  let identity: PolicyDecision | undefined;
  if (identityInputs.length > 0) {
    const r = evaluatePolicies(identityInputs, request, { kind: "identity" });
    if (!r.ok) return { ok: false, error: `Identity policy: ${r.error}` };
    identity = strip(r);
  }
  let resource: PolicyDecision | undefined;
  if (resourceInputs.length > 0) {
    const r = evaluatePolicies(resourceInputs, request, { kind: "resource" });
    if (!r.ok) return { ok: false, error: `Resource policy: ${r.error}` };
    resource = strip(r);
  }

  const resourceAccount = input.resourceAccount ?? request.resource.split(":")[4];
  const principalAccount = accountOf(request.principal);
  const crossAccount = !isService && principalAccount !== undefined && !!resourceAccount && principalAccount !== resourceAccount;
  const parts = { crossAccount, ...(identity ? { identity } : {}), ...(resource ? { resource } : {}) };

  for (const [name, d] of [["identity", identity], ["resource", resource]] as const) {
    if (d?.decision === "ExplicitDeny") return { ok: true, ...parts, ...d, reason: `In the ${name} policy: ${d.reason}` };
  }
  const idAllows = identity?.decision === "Allow";
  const resAllows = resource?.decision === "Allow";
  if (crossAccount) {
    if (idAllows && resAllows) {
      return { ok: true, ...parts, decision: "Allow", reason: `Both the identity policy and the resource policy allow ${request.action} across accounts.` };
    }
    const missing = !idAllows && !resAllows ? "neither the identity policy nor the resource policy allows it" : !idAllows ? "the identity policy does not allow it" : "the resource policy does not allow it";
    const why = (!idAllows ? identity?.reason : resource?.reason) ?? "there is no such policy.";
    return {
      ok: true, ...parts, decision: "ImplicitDeny",
      reason: `Cross-account access needs both the identity policy and the resource policy to allow ${request.action}, but ${missing}: ${why}`,
    };
  }
  if (idAllows) return { ok: true, ...parts, ...identity!, reason: `In the identity policy: ${identity!.reason}` };
  if (resAllows) return { ok: true, ...parts, ...resource!, reason: `In the resource policy: ${resource!.reason}` };
  const why = [resource && `resource policy: ${resource.reason}`, identity && `identity policy: ${identity.reason}`].filter(Boolean).join(" ");
  return {
    ok: true, ...parts, decision: "ImplicitDeny",
    reason: why ? `Neither policy allows ${request.action} on ${request.resource}. In the ${why}` : `No policy allows ${request.action} on ${request.resource}.`,
  };
}
