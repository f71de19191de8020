// The one way Lambda resolves a function reference (name, partial ARN, full ARN, qualifier) and
// decides whether the caller may act on it. Every operation that names a function goes through
// resolveFunction (or, for CreateFunction, targetFunction) with its operation's IAM action
// (actionOf), so the rule lives here once:
//  - an ARN in another region than the request's is not reachable (ResourceNotFoundException, as
//    AWS answers "Functions from 'X' are not reachable in this region ('Y')");
//  - a bare name means the caller's own account;
//  - a function in another account is reachable only for the actions AWS lets a function's
//    resource-based policy grant across accounts, and only when that policy allows this caller
//    (otherwise AccessDeniedException, whether or not the function exists — no existence oracle);
//  - an AWS service acting on its own behalf (EventBridge, SNS) always needs the policy, evaluated
//    with aws:SourceArn/aws:SourceAccount of the resource it acts for, and reaches another
//    account's function only with a source ARN of its own account. A service acting with a role
//    (a Step Functions task, an EventBridge target with a RoleArn) calls as that role's session,
//    an assumed-role principal like any other.
// Identity policies of assumed-role callers are the core's part (authorize.ts, before the handler).
import type { Principal, RequestContext } from "@/sandbox/core/contracts";
import { evaluatePolicies } from "@/semantics/iam-policy";
import type { ContextValue, RequestPrincipal } from "@/semantics/iam-policy";
import { REGION_PATTERN } from "@/sandbox/core/aws-names";
import { AccessDeniedException, crossAccountPassRole, functionNotFound, InvalidParameterValueException, notAuthorized, notReachable, ValidationException } from "./errors";
import { functionArn, policyDocument, type FunctionRecord, type LambdaModel } from "./models";

/** A function as a request names it. */
export interface FunctionRef {
  accountId: string;
  region: string;
  name: string;
  qualifier?: string;
}

/** Operations IAM knows under another action's name; every other one is `lambda:<Operation>`. */
export const RENAMED_ACTIONS = { Invoke: "lambda:InvokeFunction" } as const;

/** An operation's IAM action: what the core checks for assumed-role callers and a function's policy must grant. */
export const actionOf = (operation: string): string =>
  operation === "Invoke" ? RENAMED_ACTIONS.Invoke : `lambda:${operation}`;

/**
 * The actions a function's resource-based policy can grant another account, as the Lambda
 * Developer Guide lists them ("Using resource-based policies for AWS Lambda", Cross-account APIs).
 * The others (UpdateFunctionConfiguration, AddPermission, RemovePermission, event source
 * mappings…) work only inside the function's own account.
 */
export const CROSS_ACCOUNT_ACTIONS: ReadonlySet<string> = new Set([
  "lambda:InvokeFunction", "lambda:GetFunction", "lambda:GetFunctionConfiguration", "lambda:UpdateFunctionCode",
  "lambda:DeleteFunction", "lambda:PublishVersion", "lambda:ListVersionsByFunction", "lambda:CreateAlias", "lambda:GetAlias",
  "lambda:ListAliases", "lambda:UpdateAlias", "lambda:DeleteAlias", "lambda:GetPolicy", "lambda:PutFunctionConcurrency",
  "lambda:DeleteFunctionConcurrency", "lambda:ListTags", "lambda:TagResource", "lambda:UntagResource",
]);

// Lambda's FunctionName pattern, with the region part held to the region grammar.
const REFERENCE = new RegExp(
  `^(arn:(?:aws[a-zA-Z-]*)?:lambda:)?(?:(${REGION_PATTERN}):)?(?:(\\d{12}):)?(?:function:)?([a-zA-Z0-9_-]{1,64})(?::(\\$LATEST|[a-zA-Z0-9_-]{1,128}))?$`,
);

const PATTERN_MESSAGE =
  "Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?";

/** Who is calling, as far as a function's resource policy is concerned. */
interface Caller {
  /** The account the caller acts for; undefined when the principal contradicts itself (refused). */
  account: string | undefined;
  requester: RequestPrincipal;
  who: string;
  context: Record<string, ContextValue | undefined>;
  /** A service acting on its own behalf: only the resource policy can let it in. */
  onItsOwnBehalf: boolean;
}

const accountInArn = (arn: string): string | undefined => {
  const account = arn.split(":")[4];
  return account ? account : undefined;
};

function callerOf(p: Principal): Caller {
  if (p.kind !== "service") {
    // A role's session acts only for the role's own account.
    const account = p.kind === "assumed-role" && accountInArn(p.roleArn) !== p.accountId ? undefined : p.accountId;
    return { account, requester: { type: "AWS", id: p.arn }, who: p.arn, context: { "aws:PrincipalAccount": account }, onItsOwnBehalf: false };
  }
  // A service on its own behalf acts for the account of the resource it delivers from; a source
  // ARN naming another account is a forgery and matches no account.
  const sourceAccount = p.sourceArn !== undefined && accountInArn(p.sourceArn) !== undefined && accountInArn(p.sourceArn) !== p.accountId ? undefined : p.accountId;
  return {
    account: sourceAccount,
    requester: { type: "Service", id: p.service },
    who: p.service,
    context: { "aws:SourceAccount": sourceAccount, "aws:SourceArn": p.sourceArn },
    onItsOwnBehalf: true,
  };
}

/** The account a request acts in: its own functions, mappings and roles. */
export function ownAccount(ctx: RequestContext): string {
  const caller = callerOf(ctx.principal);
  if (caller.account === undefined) throw AccessDeniedException(`User: ${caller.who} is not authorized to perform this operation.`);
  return caller.account;
}

/** Parses a FunctionName (and Qualifier); a bare name or partial ARN is in the caller's account and the request's region. */
export function parseFunctionRef(raw: unknown, ctx: RequestContext, qualifier?: unknown): FunctionRef {
  let value = typeof raw === "string" ? raw : undefined;
  if (value === undefined || value === "") {
    throw ValidationException("1 validation error detected: Value null at 'functionName' failed to satisfy constraint: Member must not be null");
  }
  if (value.includes("%")) {
    try {
      value = decodeURIComponent(value);
    } catch {
      // keep it as sent; the pattern below rejects it
    }
  }
  const m = REFERENCE.exec(value);
  // A full ARN names its region and account; "arn:aws:lambda:NAME" is not one.
  if (!m || !m[4] || (m[1] !== undefined && (m[2] === undefined || m[3] === undefined))) {
    throw ValidationException(`1 validation error detected: Value '${value}' at 'functionName' failed to satisfy constraint: ${PATTERN_MESSAGE}`);
  }
  const ref: FunctionRef = { accountId: m[3] ?? ownAccount(ctx), region: m[2] ?? ctx.region, name: m[4] };
  const q = m[5] ?? (typeof qualifier === "string" && qualifier !== "" ? qualifier : undefined);
  if (q !== undefined) ref.qualifier = q;
  return ref;
}

const refArn = (ref: FunctionRef) => functionArn(ref.accountId, ref.region, ref.name) + (ref.qualifier ? `:${ref.qualifier}` : "");

/** Does the function's resource policy allow this caller the action? */
function policyAllows(fn: FunctionRecord | undefined, caller: Caller, action: string, resource: string): boolean {
  if (!fn?.policy || fn.policy.statements.length === 0) return false;
  // The policy half only: across accounts IAM also needs the caller's identity policies, which
  // the core checked before the handler ran (and an account's root needs none).
  const result = evaluatePolicies([policyDocument(fn)], { principal: caller.requester, action, resource, context: caller.context }, { kind: "resource" });
  return result.ok && result.decision === "Allow";
}

/** Throws AWS's error unless the caller may perform `action` on the function `ref` names (which may not exist). */
function authorize(ref: FunctionRef, fn: FunctionRecord | undefined, ctx: RequestContext, action: string): void {
  if (ref.region !== ctx.region) throw notReachable(ref.region, ctx.region);
  const caller = callerOf(ctx.principal);
  const sameAccount = caller.account !== undefined && caller.account === ref.accountId;
  if (sameAccount && !caller.onItsOwnBehalf) return;
  const denied = () => notAuthorized(caller.who, action, refArn(ref));
  if (caller.account === undefined) throw denied();
  if (!sameAccount && !CROSS_ACCOUNT_ACTIONS.has(action)) throw denied();
  // A service reaches another account's function only for a resource of its own account.
  if (!sameAccount && caller.onItsOwnBehalf && caller.context["aws:SourceArn"] === undefined) throw denied();
  // $LATEST is the unqualified function; other qualifiers (none exist here) have no policy.
  const resource = ref.qualifier === undefined || ref.qualifier === "$LATEST" ? functionArn(ref.accountId, ref.region, ref.name) : refArn(ref);
  if (!policyAllows(fn, caller, action, resource)) throw denied();
}

/**
 * The function a request names, if the caller may perform `action` on it. Only $LATEST exists:
 * the sandbox publishes no versions or aliases.
 */
export function resolveReference(model: LambdaModel, raw: unknown, ctx: RequestContext, action: string, qualifier?: unknown): { fn: FunctionRecord; ref: FunctionRef } {
  const ref = parseFunctionRef(raw, ctx, qualifier);
  const fn = model.get(ref.accountId, ref.region, ref.name);
  authorize(ref, fn, ctx, action);
  if (!fn || (ref.qualifier !== undefined && ref.qualifier !== "$LATEST")) throw functionNotFound(refArn(ref));
  return { fn, ref };
}

export function resolveFunction(model: LambdaModel, raw: unknown, ctx: RequestContext, action: string, qualifier?: unknown): FunctionRecord {
  return resolveReference(model, raw, ctx, action, qualifier).fn;
}

/** The name CreateFunction creates: a bare name, or an ARN of the caller's own account and region. */
export function targetFunction(raw: unknown, ctx: RequestContext): FunctionRef {
  const ref = parseFunctionRef(raw, ctx);
  authorize(ref, undefined, ctx, actionOf("CreateFunction"));
  if (ref.qualifier !== undefined) throw InvalidParameterValueException("The function name of CreateFunction cannot carry a version or alias qualifier.");
  return ref;
}

/** iam:PassRole: the role a function runs as must be in the caller's own account. */
export function checkPassRole(roleArn: string, ctx: RequestContext): void {
  if (accountInArn(roleArn) !== ownAccount(ctx)) throw crossAccountPassRole();
}
