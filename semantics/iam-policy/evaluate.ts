import type {
  EvaluationResult,
  ParsedPolicy,
  PolicyDecision,
  PolicyInput,
  PolicyKind,
  PolicyRequest,
  PrincipalSpec,
  Statement,
} from "./types";
import { parsePolicy } from "./parse";
import { contextLookup, evaluateClause } from "./conditions";
import type { ContextLookup } from "./conditions";
import { describePrincipal, principalMatches } from "./principal";
import { wildcardMatch } from "./wildcard";
import { stripEscapes, substituteVariables } from "./variables";

/**
 * One policy (or several evaluated together) against one request: an explicit Deny wins,
 * then any Allow, else the implicit deny. When nothing allows, the reason explains the
 * closest statement so a checker's hint can say what to change.
 */

export interface EvaluateOptions {
  /** Checks the elements this kind of policy must or must not have while parsing. */
  kind?: PolicyKind;
}

type Stage = "principal" | "action" | "resource" | "condition" | "match";

interface StatementOutcome {
  statement: Statement;
  policyIndex: number;
  stage: Stage;
  explanation?: string;
}

function actionMatches(patterns: readonly string[], action: string): boolean {
  return patterns.some((p) => wildcardMatch(p, action, true));
}

function resourceMatches(patterns: readonly string[], resource: string, lookup: ContextLookup): boolean {
  return patterns.some((raw) => {
    const p = substituteVariables(raw, lookup);
    if (p === undefined) return false;
    if (p.includes("\u0000")) return stripEscapes(p) === resource;
    return wildcardMatch(p, resource, false);
  });
}

function principalApplies(statement: Statement, request: PolicyRequest): boolean {
  if (statement.principal) return principalMatches(statement.principal, request.principal);
  if (statement.notPrincipal) return !principalMatches(statement.notPrincipal, request.principal);
  return true; // identity policies: the statement applies to whoever holds the policy
}

function evaluateStatement(statement: Statement, policyIndex: number, request: PolicyRequest, lookup: ContextLookup): StatementOutcome {
  const at = (stage: Stage, explanation?: string): StatementOutcome =>
    explanation === undefined ? { statement, policyIndex, stage } : { statement, policyIndex, stage, explanation };
  const actionOk = statement.action
    ? actionMatches(statement.action, request.action)
    : !actionMatches(statement.notAction ?? [], request.action);
  if (!actionOk) return at("action");
  if (!principalApplies(statement, request)) return at("principal");
  const resourceOk = statement.resource
    ? resourceMatches(statement.resource, request.resource, lookup)
    : statement.notResource
      ? !resourceMatches(statement.notResource, request.resource, lookup)
      : true; // trust policies have no Resource element
  if (!resourceOk) return at("resource");
  for (const clause of statement.conditions) {
    const outcome = evaluateClause(clause, lookup);
    if (!outcome.holds) return at("condition", outcome.explanation);
  }
  return at("match");
}

function label(statement: Statement): string {
  return statement.sid !== undefined ? `the statement "${statement.sid}"` : `statement #${statement.index}`;
}

function describeSpec(spec: PrincipalSpec): string {
  if (spec.wildcard) return "everyone";
  return Object.values(spec.byType).flat().join(", ");
}

function nearMiss(outcome: StatementOutcome, request: PolicyRequest): string | undefined {
  const s = outcome.statement;
  switch (outcome.stage) {
    case "condition":
      return `${label(s)} ${outcome.explanation ?? "has a condition the request does not meet"}`;
    case "resource":
      return s.resource
        ? `${label(s)} allows ${request.action} only on ${s.resource.join(", ")}`
        : `${label(s)} excludes this resource with NotResource`;
    case "principal":
      return s.principal
        ? `${label(s)} applies only to ${describeSpec(s.principal)}`
        : `${label(s)} excludes this principal with NotPrincipal`;
    default:
      return undefined;
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function matched(outcome: StatementOutcome, multiple: boolean): PolicyDecision["matchedStatement"] {
  const m: NonNullable<PolicyDecision["matchedStatement"]> & { policy?: number } = { index: outcome.statement.index };
  if (outcome.statement.sid !== undefined) m.sid = outcome.statement.sid;
  if (multiple) m.policy = outcome.policyIndex;
  return m;
}

/** Evaluates already-parsed policies together, as IAM does for all policies of one kind. */
export function decide(policies: readonly ParsedPolicy[], request: PolicyRequest): PolicyDecision {
  const lookup = contextLookup(request.context);
  const outcomes = policies.flatMap((policy, policyIndex) =>
    policy.statements.map((s) => evaluateStatement(s, policyIndex, request, lookup)),
  );
  const what = `${request.action} on ${request.resource} for principal ${describePrincipal(request.principal)}`;
  const multiple = policies.length > 1;

  const deny = outcomes.find((o) => o.stage === "match" && o.statement.effect === "Deny");
  if (deny) {
    return { decision: "ExplicitDeny", matchedStatement: matched(deny, multiple), reason: `${capitalise(label(deny.statement))} explicitly denies ${what}.` };
  }
  const allow = outcomes.find((o) => o.stage === "match" && o.statement.effect === "Allow");
  if (allow) {
    return { decision: "Allow", matchedStatement: matched(allow, multiple), reason: `${capitalise(label(allow.statement))} allows ${what}.` };
  }
  // Closest misses first: a failed condition says more than a wrong resource or principal.
  const order: Stage[] = ["condition", "resource", "principal"];
  const misses = outcomes
    .filter((o) => o.statement.effect === "Allow" && order.includes(o.stage))
    .sort((a, b) => order.indexOf(a.stage) - order.indexOf(b.stage))
    .slice(0, 3)
    .map((o) => nearMiss(o, request))
    .filter((t): t is string => t !== undefined);
  const detail = misses.length > 0 ? misses.join("; ") : `no statement's Action includes ${request.action}`;
  return { decision: "ImplicitDeny", reason: `No statement allows ${what}; ${detail}.` };
}

export function evaluatePolicies(inputs: readonly PolicyInput[], request: PolicyRequest, options: EvaluateOptions = {}): EvaluationResult {
  const parsed: ParsedPolicy[] = [];
  for (const [i, input] of inputs.entries()) {
    const result = parsePolicy(input, options);
    if (!result.ok) return { ok: false, error: inputs.length > 1 ? `Policy ${i}: ${result.error}` : result.error };
    parsed.push(result.policy);
  }
  const bad = checkRequest(request);
  if (bad) return { ok: false, error: bad };
  return { ok: true, ...decide(parsed, request) };
}

export function evaluatePolicy(input: PolicyInput, request: PolicyRequest, options: EvaluateOptions = {}): EvaluationResult {
  return evaluatePolicies([input], request, options);
}

/** Why a request cannot be evaluated, or undefined when it is well formed. */
export function checkRequest(request: PolicyRequest): string | undefined {
  if (typeof request !== "object" || request === null) return "The request must be an object.";
  if (typeof request.action !== "string" || !request.action.includes(":")) return "The request's action must look like service:Action.";
  if (typeof request.resource !== "string" || request.resource === "") return "The request's resource must be an ARN or \"*\".";
  const p = request.principal as unknown as Record<string, unknown> | undefined;
  if (!p || typeof p.id !== "string" || typeof p.type !== "string") return "The request's principal needs a type and an id.";
  if (request.context !== undefined && (typeof request.context !== "object" || request.context === null)) return "The request's context must be an object.";
  return undefined;
}
