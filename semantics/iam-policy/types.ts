/** Shared shapes for IAM policy parsing and evaluation. */

export type PrincipalType = "AWS" | "Service" | "Federated" | "CanonicalUser";

/** The principal making a request: an account id, a user/role/assumed-role ARN, or a service name. */
export interface RequestPrincipal {
  type: PrincipalType;
  id: string;
}

export type ContextValue = string | number | boolean | readonly (string | number | boolean)[];

export interface PolicyRequest {
  principal: RequestPrincipal;
  action: string;
  /** The resource ARN; trust policies are evaluated with the role ARN or "*". */
  resource: string;
  /** Condition keys (case-insensitive), e.g. `{ "aws:SourceArn": "arn:aws:sns:..." }`. */
  context?: Record<string, ContextValue | undefined>;
}

/** Which kind of policy a document is, because each kind allows different elements. */
export type PolicyKind = "identity" | "resource" | "trust";

/** A principal element normalised to lists; `"*"` becomes `{ wildcard: true }`. */
export interface PrincipalSpec {
  wildcard: boolean;
  byType: Partial<Record<PrincipalType, string[]>>;
}

export interface ConditionClause {
  /** The operator as written, e.g. "ForAnyValue:StringLikeIfExists". */
  raw: string;
  qualifier: "ForAnyValue" | "ForAllValues" | undefined;
  /** The base operator without qualifier and IfExists, e.g. "StringLike". */
  operator: string;
  ifExists: boolean;
  key: string;
  values: (string | number | boolean)[];
}

export interface Statement {
  index: number;
  sid?: string;
  effect: "Allow" | "Deny";
  principal?: PrincipalSpec;
  notPrincipal?: PrincipalSpec;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  conditions: ConditionClause[];
}

export interface ParsedPolicy {
  version?: string;
  id?: string;
  statements: Statement[];
}

export type ParseResult = { ok: true; policy: ParsedPolicy } | { ok: false; error: string };

export type Decision = "Allow" | "ExplicitDeny" | "ImplicitDeny";

export interface PolicyDecision {
  decision: Decision;
  matchedStatement?: { sid?: string; index: number };
  /** A full sentence a checker can show in a hint. */
  reason: string;
}

export type EvaluationResult = ({ ok: true } & PolicyDecision) | { ok: false; error: string };

/** What callers may pass as a policy: JSON text, a parsed object, or a ParsedPolicy. */
export type PolicyInput = string | Record<string, unknown> | ParsedPolicy;
