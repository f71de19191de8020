import type { ContextValue, EvaluationResult, PolicyInput, RequestPrincipal } from "./types";
import { evaluatePolicy } from "./evaluate";

/**
 * Whether a role's trust policy lets a principal call sts:AssumeRole, with the ExternalId
 * the caller passes (absent when it passes none, so a policy requiring one refuses it).
 */
export interface AssumeRoleInput {
  principal: RequestPrincipal;
  externalId?: string;
  /** The role being assumed; only shown in reasons since trust policies have no Resource. */
  roleArn?: string;
  context?: Record<string, ContextValue | undefined>;
}

export function canAssumeRole(trustPolicy: PolicyInput, input: AssumeRoleInput): EvaluationResult {
  if (typeof input !== "object" || input === null) return { ok: false, error: "The AssumeRole input must be an object." };
  const context: Record<string, ContextValue | undefined> = { ...(input.context ?? {}) };
  if (input.externalId !== undefined) context["sts:ExternalId"] = input.externalId;
  return evaluatePolicy(
    trustPolicy,
    { principal: input.principal, action: "sts:AssumeRole", resource: input.roleArn ?? "*", context },
    { kind: "trust" },
  );
}
