// The one place SQS turns a reference to a queue (a queue URL, a name with an owner account, a
// queue ARN) into a queue, and decides whether the caller may act on it, by AWS's rules:
// - a queue URL names its queue by the account and name in its path; its host is not looked at,
//   and the region is the request's (the endpoint's), so a URL of another region's queue names
//   no queue here — as AWS's JSON protocol answers QueueDoesNotExist for it;
// - the caller's own account reaches its queues (assumed roles were checked against their
//   identity policies by the core; a service acting with a role — a Step Functions task, a
//   Lambda event source mapping — calls as that role's session); another account, and a service
//   principal (SNS, EventBridge delivering on their own), only as the queue policy allows — and
//   never for the operations AWS keeps to the owner (AddPermission, DeleteQueue,
//   SetQueueAttributes, tags, message move tasks…);
// - an explicit Deny in the queue policy stops everyone.
// Kept free of per-request closures: SendMessage/ReceiveMessage/DeleteMessage run through here.
import { PARTITION_PATTERN, REGION_PATTERN, isAccountId } from "@/sandbox/core/aws-names";
import type { Principal, RequestContext } from "@/sandbox/core/contracts";
import { decide } from "@/semantics/iam-policy";
import type { RequestPrincipal } from "@/semantics/iam-policy";
import { AccessDenied, invalidAddress, queueDoesNotExist, ResourceNotFoundException, invalidParameter } from "./errors";
import type { Input } from "./input";
import { requiredString } from "./input";
import type { Queue, SqsModel } from "./models";

const DEFAULT_ENDPOINT = "http://localhost:4566";
const QUEUE_ARN = new RegExp(`^arn:${PARTITION_PATTERN}:sqs:(${REGION_PATTERN}):(\\d{12}):([A-Za-z0-9_-]{1,80}(?:\\.fifo)?)$`);

/**
 * "Cross-account permissions don't apply to the following actions" (Amazon SQS Developer Guide,
 * limitations of custom policies): only the queue's own account may perform them, whatever the
 * queue policy says.
 */
export const OWNER_ONLY = new Set([
  "AddPermission",
  "CancelMessageMoveTask",
  "CreateQueue",
  "DeleteQueue",
  "ListMessageMoveTasks",
  "ListQueues",
  "ListQueueTags",
  "RemovePermission",
  "SetQueueAttributes",
  "StartMessageMoveTask",
  "TagQueue",
  "UntagQueue",
]);

export function queueUrl(ctx: RequestContext, q: Queue): string {
  const endpoint = (ctx.endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, "");
  return `${endpoint}/${q.rec.accountId}/${q.rec.name}`;
}

// The last URL parsed that named its account (then the answer depends on the URL alone): a
// client sends the same queue URL on every call.
let lastQueueUrl = "";
let lastQueueRef: { accountId: string; name: string } | undefined;

/** The account and name a queue URL names, whatever its host (…/ACCOUNT/NAME); a bare name is the caller's. */
export function parseQueueUrl(url: string, ctx: RequestContext): { accountId: string; name: string } {
  if (lastQueueRef !== undefined && url === lastQueueUrl) return { ...lastQueueRef };
  const ref = parseQueueUrlFully(url, ctx);
  if (ref.named) {
    lastQueueUrl = url;
    lastQueueRef = { accountId: ref.accountId, name: ref.name };
  }
  return { accountId: ref.accountId, name: ref.name };
}

function parseQueueUrlFully(url: string, ctx: RequestContext): { accountId: string; name: string; named: boolean } {
  // Every request names its queue this way, so plain string scans instead of regexes and URL.
  const scheme = url.indexOf("://");
  const pathStart = scheme < 0 ? 0 : url.indexOf("/", scheme + 3);
  const path = pathStart < 0 ? "" : url.slice(pathStart);
  const end = path.search(/[?#]/);
  const parts = (end < 0 ? path : path.slice(0, end)).split("/").filter((p) => p !== "");
  const name = parts[parts.length - 1];
  const account = parts[parts.length - 2];
  if (name === undefined || (account !== undefined && !isAccountId(account)) || parts.length > 2) throw invalidAddress(url);
  return { accountId: account ?? ctx.accountId, name, named: account !== undefined };
}

/** The queue ARN a request acts on, for the core's IAM check of assumed-role callers. */
export function resourceOf(input: Input, ctx: RequestContext): string {
  try {
    if (typeof input.QueueUrl === "string") {
      const { accountId, name } = parseQueueUrl(input.QueueUrl, ctx);
      return `arn:aws:sqs:${ctx.region}:${accountId}:${name}`;
    }
    if (typeof input.QueueName === "string") {
      const owner = typeof input.QueueOwnerAWSAccountId === "string" ? input.QueueOwnerAWSAccountId : ctx.accountId;
      return `arn:aws:sqs:${ctx.region}:${owner}:${input.QueueName}`;
    }
    if (typeof input.SourceArn === "string") return input.SourceArn;
  } catch {
    // an unparsable URL is reported by the handler; IAM sees the account's queues
  }
  return "*";
}

function requestPrincipal(p: Principal): RequestPrincipal {
  return p.kind === "service" ? { type: "Service", id: p.service } : { type: "AWS", id: p.arn };
}

/**
 * Is the caller the queue's own account (its root or one of its roles)? A service principal
 * never is, even acting for one of the account's resources: only the queue policy lets it in.
 */
function isOwner(p: Principal, accountId: string): boolean {
  return p.kind !== "service" && p.accountId === accountId;
}

/** Applies AWS's rule (see the top of this file) to one operation on one queue; throws AccessDenied. */
function authorize(q: Queue, operation: string, ctx: RequestContext, now: number): void {
  const p = ctx.principal;
  const owner = isOwner(p, q.rec.accountId);
  if (owner && !q.policy) return;
  const action = `sqs:${operation}`;
  let decision = "ImplicitDeny";
  if (q.policy) {
    decision = decide([q.policy], {
      principal: requestPrincipal(p),
      action,
      resource: q.arn,
      context: {
        "aws:SourceArn": p.kind === "service" ? p.sourceArn : undefined,
        "aws:SourceAccount": p.kind === "service" ? p.accountId : undefined,
        "aws:PrincipalAccount": p.kind === "service" ? undefined : p.accountId,
        "aws:SecureTransport": false,
        "aws:CurrentTime": new Date(now).toISOString(),
      },
    }).decision;
  }
  if (decision === "ExplicitDeny") throw denied(p, action, q.arn, "with an explicit deny in a resource-based policy");
  if (owner) return;
  if (OWNER_ONLY.has(operation)) throw denied(p, action, q.arn, "because cross-account access does not apply to this action");
  if (decision !== "Allow") throw denied(p, action, q.arn, `because no resource-based policy allows the ${action} action`);
}

function denied(p: Principal, action: string, arn: string, why: string) {
  const who = p.kind === "service" ? p.service : p.arn;
  return AccessDenied(`User: ${who} is not authorized to perform: ${action} on resource: ${arn} ${why}`);
}

/** The queue a request's QueueUrl names, once the caller may perform `operation` on it. */
export function queueByUrl(model: SqsModel, input: Input, ctx: RequestContext, operation: string, now: number): Queue {
  const url = requiredString(input, "QueueUrl");
  const { accountId, name } = parseQueueUrl(url, ctx);
  const q = model.get(accountId, ctx.region, name);
  if (!q) throw queueDoesNotExist();
  authorize(q, operation, ctx, now);
  return q;
}

/** GetQueueUrl's reference: a name, in the caller's account or in QueueOwnerAWSAccountId's. */
export function queueByName(model: SqsModel, name: string, owner: string | undefined, ctx: RequestContext, now: number): Queue {
  if (owner !== undefined && !isAccountId(owner)) {
    throw invalidParameter("QueueOwnerAWSAccountId", owner, "Must be a 12-digit AWS account id.");
  }
  const q = model.get(owner ?? ctx.accountId, ctx.region, name);
  if (!q) throw queueDoesNotExist();
  authorize(q, "GetQueueUrl", ctx, now);
  return q;
}

/** A queue named by its ARN (message move tasks): it must be of the request's region, and exist. */
export function queueByArn(model: SqsModel, arn: string, parameter: string, ctx: RequestContext, operation: string, now: number): Queue {
  const m = QUEUE_ARN.exec(arn);
  const q = m && m[1] === ctx.region ? model.get(m[2] as string, m[1] as string, m[3] as string) : undefined;
  if (!q) throw ResourceNotFoundException(`The resource that you specified for the ${parameter} parameter doesn't exist.`);
  authorize(q, operation, ctx, now);
  return q;
}
