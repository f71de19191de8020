// An SQS event source as Lambda reaches it: the queue an ARN names, and Lambda acting on it as
// the function's execution role. Lambda assumes that role through STS as lambda.amazonaws.com,
// with the function as aws:SourceArn and its account as aws:SourceAccount, so the role's trust
// policy decides whether Lambda may use it; the queue then sees that role's session, so the
// role's own policies (the core's IAM check) and the queue's policy decide what it may do —
// never a free-floating service, and never a role of another account (STS refuses those).
import type { RequestContext } from "@/sandbox/core/contracts";
import type { FunctionRecord, Lambda } from "./models";

const SERVICE = "lambda.amazonaws.com";
const SQS_ARN = /^arn:aws[a-zA-Z-]*:sqs:([a-z0-9-]+):(\d{12}):([a-zA-Z0-9_-]{1,80}(\.fifo)?)$/;

export interface QueueRef {
  arn: string;
  region: string;
  accountId: string;
  name: string;
  /** The URL the SQS service reads (its account and name; the host is not looked at). */
  url: string;
}

/** The queue an SQS ARN names, or undefined for anything else. */
export function queueOf(arn: unknown): QueueRef | undefined {
  const m = typeof arn === "string" ? SQS_ARN.exec(arn) : null;
  if (!m) return undefined;
  const [source = "", region = "", accountId = "", name = ""] = m;
  return { arn: source, region, accountId, name, url: `http://sqs.internal/${accountId}/${name}` };
}

/** A request context acting as the function's execution role; rejects with STS's error when Lambda may not assume it. */
export async function asExecutionRole(s: Lambda, fn: FunctionRecord): Promise<RequestContext> {
  const principal = await s.roles.principal({
    service: SERVICE,
    sourceArn: fn.arn,
    sourceAccount: fn.accountId,
    region: fn.region,
    roleArn: fn.role,
    // Lambda names a function's sessions after the function.
    sessionName: fn.name,
  });
  return { accountId: principal.accountId, region: fn.region, requestId: s.env.newRequestId(), now: s.env.scheduler.now(), principal };
}
