import type {
  ConditionClause,
  ParsedPolicy,
  ParseResult,
  PolicyInput,
  PolicyKind,
  PrincipalSpec,
  PrincipalType,
  Statement,
} from "./types";
import { isConditionOperator } from "./conditions";

/**
 * Parses and validates a policy document the way IAM's MalformedPolicyDocument checks do,
 * for the elements the lab uses. Never throws: every problem is `{ ok: false, error }` with
 * IAM's wording where we know it, plus the statement it is in.
 */

// AWS's largest policy (a resource policy on SQS/SNS) is far below this; anything bigger is
// refused before JSON.parse so a hostile input cannot cost much.
const MAX_POLICY_CHARS = 131_072;
const STATEMENT_KEYS = new Set([
  "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition",
]);
const PRINCIPAL_TYPES: readonly PrincipalType[] = ["AWS", "Service", "Federated", "CanonicalUser"];

export interface ParseOptions {
  /** When given, elements the kind forbids or requires are checked (Principal, Resource). */
  kind?: PolicyKind;
}

function malformed(message: string, index?: number): { ok: false; error: string } {
  const where = index === undefined ? "" : ` (Statement[${index}])`;
  return { ok: false, error: `MalformedPolicyDocument: ${message}${where}` };
}

function isParsedPolicy(input: unknown): input is ParsedPolicy {
  return typeof input === "object" && input !== null && Array.isArray((input as ParsedPolicy).statements);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringList(value: unknown): string[] | undefined {
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string")) return value as string[];
  return undefined;
}

function parsePrincipal(value: unknown): PrincipalSpec | string {
  if (value === "*") return { wildcard: true, byType: {} };
  if (!isRecord(value)) return "Invalid principal in policy";
  const spec: PrincipalSpec = { wildcard: false, byType: {} };
  for (const [type, ids] of Object.entries(value)) {
    if (!PRINCIPAL_TYPES.includes(type as PrincipalType)) return `Invalid principal in policy: "${type}"`;
    const list = stringList(ids);
    if (!list) return `Invalid principal in policy: "${type}" must be a string or a list of strings`;
    if (type === "AWS") {
      for (const id of list) {
        const ok = id === "*" || /^\d{12}$/.test(id) || /^arn:aws[a-z-]*:(iam|sts)::\d{12}:.+$/.test(id);
        if (!ok) return `Invalid principal in policy: "AWS":"${id}"`;
      }
    }
    spec.byType[type as PrincipalType] = list;
  }
  return spec;
}

function parseCondition(value: unknown, index: number): ConditionClause[] | { ok: false; error: string } {
  if (!isRecord(value)) return malformed("Syntax errors in policy. Condition must be an object", index);
  const clauses: ConditionClause[] = [];
  for (const [raw, block] of Object.entries(value)) {
    const op = splitOperator(raw);
    if (!op || !isConditionOperator(op.operator) || (op.operator === "Null" && op.ifExists)) {
      return malformed(`Invalid Condition type : ${raw}`, index);
    }
    if (!isRecord(block)) return malformed(`Syntax errors in policy. Condition ${raw} must map keys to values`, index);
    for (const [key, v] of Object.entries(block)) {
      const values = Array.isArray(v) ? v : [v];
      if (values.length === 0 || !values.every((x) => ["string", "number", "boolean"].includes(typeof x))) {
        return malformed(`Syntax errors in policy. Condition ${raw} ${key} must be a string, number, boolean or a list of them`, index);
      }
      clauses.push({ raw, ...op, key, values: values as (string | number | boolean)[] });
    }
  }
  return clauses;
}

export function splitOperator(raw: string): Omit<ConditionClause, "raw" | "key" | "values"> | undefined {
  let rest = raw;
  let qualifier: ConditionClause["qualifier"];
  const colon = rest.indexOf(":");
  if (colon >= 0) {
    const prefix = rest.slice(0, colon);
    if (prefix !== "ForAnyValue" && prefix !== "ForAllValues") return undefined;
    qualifier = prefix;
    rest = rest.slice(colon + 1);
  }
  const ifExists = rest.endsWith("IfExists");
  if (ifExists) rest = rest.slice(0, -"IfExists".length);
  return { qualifier, operator: rest, ifExists };
}

function parseStatement(raw: unknown, index: number, kind: PolicyKind | undefined): Statement | { ok: false; error: string } {
  if (!isRecord(raw)) return malformed("Syntax errors in policy. A statement must be an object", index);
  for (const key of Object.keys(raw)) {
    if (!STATEMENT_KEYS.has(key)) return malformed(`Syntax errors in policy. Unknown field ${key}`, index);
  }
  const { Sid, Effect } = raw;
  if (Effect === undefined) return malformed("Missing required field Effect", index);
  if (Effect !== "Allow" && Effect !== "Deny") return malformed(`Invalid effect: ${String(Effect)}`, index);
  if (Sid !== undefined && typeof Sid !== "string") return malformed("Statement IDs (SID) must be strings", index);
  const statement: Statement = { index, effect: Effect, conditions: [] };
  if (typeof Sid === "string" && Sid !== "") statement.sid = Sid;

  if ("Principal" in raw && "NotPrincipal" in raw) return malformed("Statement cannot have both Principal and NotPrincipal", index);
  for (const field of ["Principal", "NotPrincipal"] as const) {
    if (!(field in raw)) continue;
    if (kind === "identity") return malformed("Policy document should not specify a principal.", index);
    const spec = parsePrincipal(raw[field]);
    if (typeof spec === "string") return malformed(spec, index);
    if (field === "Principal") statement.principal = spec;
    else statement.notPrincipal = spec;
  }
  if ((kind === "resource" || kind === "trust") && !statement.principal && !statement.notPrincipal) {
    return malformed("Missing required field Principal", index);
  }

  if ("Action" in raw && "NotAction" in raw) return malformed("Statement cannot have both Action and NotAction", index);
  if (!("Action" in raw) && !("NotAction" in raw)) return malformed("Policy statement must contain actions.", index);
  for (const field of ["Action", "NotAction"] as const) {
    if (!(field in raw)) continue;
    const list = stringList(raw[field]);
    if (!list) return malformed(`Syntax errors in policy. ${field} must be a string or a non-empty list of strings`, index);
    for (const action of list) {
      if (action !== "*" && !/^[a-zA-Z0-9-]+:[a-zA-Z0-9*?]*$/.test(action)) {
        return malformed(`Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc. (found "${action}")`, index);
      }
    }
    if (field === "Action") statement.action = list;
    else statement.notAction = list;
  }

  if ("Resource" in raw && "NotResource" in raw) return malformed("Statement cannot have both Resource and NotResource", index);
  if (kind === "trust" && ("Resource" in raw || "NotResource" in raw)) return malformed("Has prohibited field Resource", index);
  if (kind === "identity" && !("Resource" in raw) && !("NotResource" in raw)) {
    return malformed("Policy statement must contain resources.", index);
  }
  for (const field of ["Resource", "NotResource"] as const) {
    if (!(field in raw)) continue;
    const list = stringList(raw[field]);
    if (!list) return malformed(`Syntax errors in policy. ${field} must be a string or a non-empty list of strings`, index);
    for (const resource of list) {
      if (resource !== "*" && !resource.startsWith("arn:")) {
        return malformed(`Resource ${resource} must be in ARN format or "*".`, index);
      }
    }
    if (field === "Resource") statement.resource = list;
    else statement.notResource = list;
  }

  if (raw.Condition !== undefined) {
    const clauses = parseCondition(raw.Condition, index);
    if (!Array.isArray(clauses)) return clauses;
    statement.conditions = clauses;
  }
  return statement;
}

export function parsePolicy(input: PolicyInput | unknown, options: ParseOptions = {}): ParseResult {
  if (isParsedPolicy(input)) return { ok: true, policy: input };
  let doc: unknown = input;
  if (typeof input === "string") {
    if (input.length > MAX_POLICY_CHARS) return malformed(`Policy document exceeds ${MAX_POLICY_CHARS} characters.`);
    try {
      doc = JSON.parse(input);
    } catch (err) {
      return malformed(`Syntax errors in policy. ${(err as Error).message}`);
    }
  }
  if (!isRecord(doc)) return malformed("Syntax errors in policy. The policy must be a JSON object");
  for (const key of Object.keys(doc)) {
    if (!["Version", "Id", "Statement"].includes(key)) return malformed(`Syntax errors in policy. Unknown field ${key}`);
  }
  const { Version, Id, Statement: rawStatements } = doc;
  if (Version !== undefined && Version !== "2012-10-17" && Version !== "2008-10-17") {
    return malformed("The policy failed legacy parsing");
  }
  if (rawStatements === undefined) return malformed("Missing required field Statement");
  const list = Array.isArray(rawStatements) ? rawStatements : [rawStatements];
  if (list.length === 0) return malformed("Missing required field Statement");
  const statements: Statement[] = [];
  const sids = new Set<string>();
  for (const [index, raw] of list.entries()) {
    const parsed = parseStatement(raw, index, options.kind);
    if ("ok" in parsed) return parsed;
    if (parsed.sid !== undefined) {
      if (sids.has(parsed.sid)) return malformed(`Statement IDs (SID) in a single policy must be unique (duplicate "${parsed.sid}")`, index);
      sids.add(parsed.sid);
    }
    statements.push(parsed);
  }
  const policy: ParsedPolicy = { statements };
  if (typeof Version === "string") policy.version = Version;
  if (typeof Id === "string") policy.id = Id;
  return { ok: true, policy };
}
