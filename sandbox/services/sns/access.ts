// Who may act on a topic besides its own account: SNS's topic policy (a resource policy).
//
// Calls from the topic's own account are the core's business (account keys act as root;
// assumed roles are checked against their identity policies before the handler runs). Calls
// from another account, and calls by AWS services such as EventBridge, need the topic policy
// to allow them, as on AWS. Step Functions and other services that act with a role's identity
// on AWS are not held to the topic policy within their own account.
import type { Principal, RequestContext } from "@/sandbox/core/contracts";
import { evaluatePolicy, type RequestPrincipal } from "@/semantics/iam-policy";
import { AuthorizationError } from "./errors";
import type { TopicRecord } from "./models";

/** Services whose deliveries AWS authorizes by the topic policy alone. */
const POLICY_ONLY_SERVICES = new Set(["events.amazonaws.com", "s3.amazonaws.com", "cloudwatch.amazonaws.com"]);

export function defaultTopicPolicy(topic: Pick<TopicRecord, "arn" | "accountId">): string {
  return JSON.stringify({
    Version: "2008-10-17",
    Id: "__default_policy_ID",
    Statement: [
      {
        Sid: "__default_statement_ID",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: [
          "SNS:GetTopicAttributes",
          "SNS:SetTopicAttributes",
          "SNS:AddPermission",
          "SNS:RemovePermission",
          "SNS:DeleteTopic",
          "SNS:Subscribe",
          "SNS:ListSubscriptionsByTopic",
          "SNS:Publish",
        ],
        Resource: topic.arn,
        Condition: { StringEquals: { "AWS:SourceOwner": topic.accountId } },
      },
    ],
  });
}

function requestPrincipal(p: Principal): RequestPrincipal {
  if (p.kind === "service") return { type: "Service", id: p.service };
  return { type: "AWS", id: p.arn };
}

/** Throws AuthorizationError unless `ctx`'s principal may perform `action` ("SNS:Publish") on the topic. */
export function authorizeTopic(topic: TopicRecord, action: string, ctx: RequestContext) {
  const p = ctx.principal;
  const sameAccount = p.accountId === topic.accountId;
  if (p.kind !== "service" && sameAccount) return;
  if (p.kind === "service" && sameAccount && !POLICY_ONLY_SERVICES.has(p.service)) return;
  const policy = topic.attributes.Policy ?? defaultTopicPolicy(topic);
  const context: Record<string, string> = { "aws:PrincipalAccount": p.accountId };
  if (p.kind === "service") {
    context["aws:SourceAccount"] = p.accountId;
    // CloudWatch and S3 pass the default policy's AWS:SourceOwner test; EventBridge does not
    // carry that key, which is why AWS asks for a statement naming events.amazonaws.com.
    if (p.service !== "events.amazonaws.com") context["aws:SourceOwner"] = p.accountId;
    if (p.sourceArn) context["aws:SourceArn"] = p.sourceArn;
  }
  const r = evaluatePolicy(policy, { principal: requestPrincipal(p), action, resource: topic.arn, context }, { kind: "resource" });
  if (r.ok && r.decision === "Allow") return;
  const who = p.kind === "service" ? p.service : p.arn;
  throw new AuthorizationError(
    `User: ${who} is not authorized to perform: ${action} on resource: ${topic.arn} because no resource-based policy allows the ${action} action`,
  );
}
