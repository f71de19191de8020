// The one place SNS turns a reference (a topic ARN, a subscription ARN, a role ARN handed to a
// topic or subscription) into its record and decides whether the caller may use it, by AWS's
// rules:
// - an ARN must be well formed (AWS's region grammar, a 12-digit account) and of the request's
//   region: SNS is regional, and a topic of another region is not a parameter this endpoint takes;
// - the topic's own account reaches its topics (assumed roles were checked against their
//   identity policies by the core; a service acting with a role, such as a Step Functions task,
//   calls as that role's session); another account, and a service principal (EventBridge, S3,
//   CloudWatch acting on their own), only as the topic policy allows — the default policy lets
//   in only the owner — and never for the actions a topic policy cannot grant (tagging);
// - a subscription belongs to the account that made it and to its topic's account;
// - a role handed to SNS (delivery-status feedback, a firehose subscription) must be of the
//   caller's account (iam:PassRole) and of the topic's.
import { parseRoleArn } from "@/sandbox/core/aws-names";
import type { Principal, RequestContext } from "@/sandbox/core/contracts";
import { evaluatePolicy, type RequestPrincipal } from "@/semantics/iam-policy";
import { InvalidParameter, notAuthorized, resourceNotFound, topicNotFound, unsubscribeRequiresAuthentication } from "./errors";
import type { SnsState, SubscriptionRecord, TopicRecord } from "./models";
import { parseSnsArn } from "./models";

/** The actions a topic policy can grant another account ("Amazon SNS API permissions" reference). */
const GRANTABLE = new Set([
  "SNS:AddPermission",
  "SNS:DeleteTopic",
  "SNS:GetDataProtectionPolicy",
  "SNS:GetTopicAttributes",
  "SNS:ListSubscriptionsByTopic",
  "SNS:ListTagsForResource",
  "SNS:Publish",
  "SNS:PutDataProtectionPolicy",
  "SNS:RemovePermission",
  "SNS:SetTopicAttributes",
  "SNS:Subscribe",
]);

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
  return p.kind === "service" ? { type: "Service", id: p.service } : { type: "AWS", id: p.arn };
}

/**
 * The topic's own account: its root or one of its roles. A service principal never is, even
 * acting for one of the account's resources: only the topic policy lets it in.
 */
function isOwner(p: Principal, accountId: string): boolean {
  return p.kind !== "service" && p.accountId === accountId;
}

function who(p: Principal): string {
  return p.kind === "service" ? p.service : p.arn;
}

/** Throws AuthorizationError unless `ctx`'s principal may perform `action` ("SNS:Publish") on the topic. */
function authorizeTopic(topic: TopicRecord, action: string, ctx: RequestContext): void {
  const p = ctx.principal;
  if (isOwner(p, topic.accountId)) return;
  const denied = () =>
    notAuthorized(who(p), action, topic.arn, `because no resource-based policy allows the ${action} action`);
  if (!GRANTABLE.has(action)) throw denied();
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
  throw denied();
}

/** Does the ARN name something of the request's region? Services deliver for a resource wherever it is. */
function sameRegion(region: string, ctx: RequestContext): boolean {
  return ctx.principal.kind === "service" || region === ctx.region;
}

/** The topic an ARN names, once the caller may perform `action` on it (undefined: no check, for ConfirmSubscription's token). */
export function topicByArn(state: SnsState, arn: string, ctx: RequestContext, action: string | undefined, member = "TopicArn"): TopicRecord {
  const parsed = parseSnsArn(arn);
  if (!parsed || parsed.subscriptionId !== undefined || !sameRegion(parsed.region, ctx)) throw InvalidParameter(`Invalid parameter: ${member}`);
  const topic = state.topics.get(arn);
  if (!topic) throw topicNotFound();
  if (action !== undefined) authorizeTopic(topic, action, ctx);
  return topic;
}

/** The tagging APIs name a topic as ResourceArn and a missing one ResourceNotFound. */
export function taggedTopicByArn(state: SnsState, arn: string, ctx: RequestContext, action: string): TopicRecord {
  const parsed = parseSnsArn(arn);
  if (!parsed || parsed.subscriptionId !== undefined || !sameRegion(parsed.region, ctx)) throw InvalidParameter("Invalid parameter: ResourceArn");
  const topic = state.topics.get(arn);
  if (!topic) throw resourceNotFound();
  authorizeTopic(topic, action, ctx);
  return topic;
}

/**
 * The subscription an ARN names; undefined when it is well formed but gone (Unsubscribe is
 * idempotent). Only the subscriber's account and the topic's may act on it.
 */
export function subscriptionByArn(state: SnsState, arn: string, ctx: RequestContext, action: string): SubscriptionRecord | undefined {
  const parsed = parseSnsArn(arn);
  if (!parsed || parsed.subscriptionId === undefined || !sameRegion(parsed.region, ctx)) throw InvalidParameter("Invalid parameter: SubscriptionArn");
  const sub = state.subscriptions.get(arn);
  if (!sub) return undefined;
  // The unsubscribe link carries no credentials; a subscription confirmed with
  // AuthenticateOnUnsubscribe asked for a signature, so the link no longer removes it.
  if (ctx.unsigned === true && sub.authenticateOnUnsubscribe === true) throw unsubscribeRequiresAuthentication();
  const p = ctx.principal;
  if (p.kind === "service" || isOwner(p, sub.owner) || isOwner(p, sub.accountId)) return sub;
  throw notAuthorized(who(p), action, sub.arn);
}

/** Role ARNs a topic or subscription is given (…FeedbackRoleArn, SubscriptionRoleArn). */
export function isRoleAttribute(name: string): boolean {
  return name.endsWith("RoleArn");
}

/**
 * A role handed to SNS must be a role ARN, and passing it takes iam:PassRole, which reaches
 * only the caller's own roles; SNS then acts with it for the topic, so it must be the topic's
 * account's too.
 */
export function checkPassedRole(name: string, value: string, topic: Pick<TopicRecord, "accountId">, ctx: RequestContext, creating: boolean): void {
  if (value === "") return;
  const role = parseRoleArn(value);
  if (!role) throw InvalidParameter(`${creating ? "Invalid parameter: Attributes Reason: " : "Invalid parameter: "}${name}: ${value} is not a valid role ARN`);
  const account = role.accountId;
  if (account !== ctx.principal.accountId || account !== topic.accountId) {
    throw notAuthorized(who(ctx.principal), "iam:PassRole", value);
  }
}
