// The one way EventBridge turns a reference from a request into a resource: an event bus by name
// or ARN, a rule on such a bus, a tagged rule or bus ARN, and a role handed to it. Every
// operation goes through here.
//
// AWS's rules ("Permissions for event buses in Amazon EventBridge"): a bus of another account is
// reachable only as that bus's resource-based policy allows the action (events:PutEvents,
// events:PutRule, events:PutTargets…), with events:creatorAccount naming the account that made
// the rule; without a policy statement for the caller, AccessDeniedException. Tags are the owner's
// alone. A role passed to PutRule or PutTargets must be in the caller's account (iam:PassRole:
// "Cross-account pass role is not allowed"). Region and account parts of an ARN follow AWS's grammar.
import type { Principal, RequestContext } from "@/sandbox/core/contracts";
import { decide, parsePolicy } from "@/semantics/iam-policy";
import type { ContextValue, RequestPrincipal } from "@/semantics/iam-policy";
import { isAccountId, isRegion, parseRoleArn } from "@/sandbox/core/aws-names";
import { AccessDeniedException, busNotFound, crossAccountPassRole, invalidArn, ruleNotFound } from "./errors";
import { busArn, ruleArn, type Bus, type EventsModel, type Rule } from "./models";

const BUS_ARN = /^arn:aws[\w-]*:events:([^:]*):([^:]*):event-bus\/(.+)$/;

export interface BusRef {
  accountId: string;
  region: string;
  name: string;
  arn: string;
}

/** The bus a name or an event-bus ARN names; a name (or nothing: default) is the caller's. */
export function busRef(value: string | undefined, ctx: RequestContext): BusRef {
  if (value === undefined || !value.startsWith("arn:")) {
    const name = value ?? "default";
    return { accountId: ctx.accountId, region: ctx.region, name, arn: busArn(ctx.accountId, ctx.region, name) };
  }
  const m = BUS_ARN.exec(value);
  if (!m || !isRegion(m[1]) || !isAccountId(m[2])) throw invalidArn(value);
  return { region: m[1] as string, accountId: m[2] as string, name: m[3] as string, arn: value };
}

/** The caller as a bus policy's Principal element sees it. */
function policyPrincipal(p: Principal): RequestPrincipal {
  // EventBridge forwarding on an account's behalf (a bus target without a role) is that account.
  if (p.kind === "service") return { type: "AWS", id: `arn:aws:iam::${p.accountId}:root` };
  return { type: "AWS", id: p.arn };
}

function callerArn(p: Principal): string {
  return p.kind === "service" ? `arn:aws:iam::${p.accountId}:root` : p.arn;
}

const denied = (ctx: RequestContext, action: string, resource: string) =>
  AccessDeniedException(`User: ${callerArn(ctx.principal)} is not authorized to perform: ${action} on resource: ${resource} because no resource-based policy allows the ${action} action`);

/** Does the bus's resource policy allow this caller the action on the resource? An explicit Deny never does. */
export function policyAllows(bus: Bus, action: string, resource: string, ctx: RequestContext, extra: Record<string, ContextValue> = {}): boolean {
  if (!bus.record.policy) return false;
  const parsed = parsePolicy(bus.record.policy, { kind: "resource" });
  if (!parsed.ok) return false;
  const decision = decide([parsed.policy], {
    principal: policyPrincipal(ctx.principal),
    action,
    resource,
    context: {
      "aws:PrincipalAccount": ctx.principal.accountId,
      "aws:PrincipalArn": ctx.principal.kind === "assumed-role" ? ctx.principal.roleArn : callerArn(ctx.principal),
      "aws:CurrentTime": new Date(ctx.now).toISOString(),
      "aws:SecureTransport": false,
      ...extra,
    },
  });
  return decision.decision === "Allow";
}

/** A bus of the caller's account (and region) by reference, or ResourceNotFoundException. */
export function ownBus(model: EventsModel, ref: BusRef): Bus {
  const bus = model.bus(ref.accountId, ref.region, ref.name);
  if (!bus) throw busNotFound(ref.name);
  return bus;
}

/**
 * The bus a request names, if the caller may perform `action` on it: its own, or another
 * account's whose policy allows the action on `resource` (the bus, or a rule on it).
 */
export function resolveBus(
  model: EventsModel,
  value: string | undefined,
  action: string,
  ctx: RequestContext,
  resource?: (bus: BusRef) => string,
  extra: Record<string, ContextValue> = {},
): Bus {
  const ref = busRef(value, ctx);
  // The regional endpoint holds its own region's buses only.
  if (ref.region !== ctx.region) throw busNotFound(ref.name);
  if (ref.accountId === ctx.accountId) return ownBus(model, ref);
  const on = resource ? resource(ref) : ref.arn;
  // Another account's bus that does not exist is refused alike: its existence is not revealed.
  const bus = model.peekBus(ref.accountId, ref.region, ref.name);
  if (!bus || !policyAllows(bus, action, on, ctx, extra)) throw denied(ctx, action, on);
  return bus;
}

/** A rule by name on the bus a request names, if the caller may perform `action` on it. */
export function resolveRule(model: EventsModel, busValue: string | undefined, name: string, action: string, ctx: RequestContext): { bus: Bus; rule: Rule } {
  const ref = busRef(busValue, ctx);
  const existing = ref.region === ctx.region ? model.peekBus(ref.accountId, ref.region, ref.name)?.rules.get(name) : undefined;
  // events:creatorAccount lets a bus policy give an account the rules it made, and no others.
  const extra: Record<string, ContextValue> = existing ? { "events:creatorAccount": existing.record.createdBy } : {};
  const bus = resolveBus(model, busValue, action, ctx, (b) => ruleArn(b.accountId, b.region, b.name, name), extra);
  const rule = bus.rules.get(name);
  if (!rule) throw ruleNotFound(name, bus.record.name);
  return { bus, rule };
}

/** A rule or bus ARN of the caller's own account, for the tag operations (owner only). */
export function ownTagged(model: EventsModel, arn: string, action: string, ctx: RequestContext): { kind: "rule"; bus: Bus; rule: Rule } | { kind: "bus"; bus: Bus } {
  const m = /^arn:aws[\w-]*:events:([^:]*):([^:]*):(rule|event-bus)\/(.+)$/.exec(arn);
  if (!m || !isRegion(m[1]) || !isAccountId(m[2])) throw invalidArn("ResourceARN");
  const [, region = "", account = "", kind = "", rest = ""] = m;
  if (account !== ctx.accountId) throw denied(ctx, action, arn);
  if (kind === "event-bus") {
    const bus = region === ctx.region ? model.bus(account, region, rest) : undefined;
    if (!bus) throw busNotFound(rest);
    return { kind: "bus", bus };
  }
  const slash = rest.lastIndexOf("/");
  const busName = slash < 0 ? "default" : rest.slice(0, slash);
  const ruleName = rest.slice(slash + 1);
  const bus = region === ctx.region ? model.bus(account, region, busName) : undefined;
  const rule = bus?.rules.get(ruleName);
  if (!bus || !rule) throw ruleNotFound(ruleName, busName);
  return { kind: "rule", bus, rule };
}

/** A role handed to EventBridge to act with: a role ARN of the caller's own account. */
export function passedRole(roleArn: string, ctx: RequestContext): string {
  const role = parseRoleArn(roleArn);
  if (!role) throw invalidArn(roleArn);
  if (role.accountId !== ctx.accountId) throw crossAccountPassRole();
  return roleArn;
}

/** The bus ARN a request names, for the core's IAM check of assumed-role callers; never throws. */
export function busArnOf(value: string | undefined, ctx: RequestContext): string {
  try {
    return busRef(value, ctx).arn;
  } catch {
    return "*";
  }
}

/** The rule ARN a request names (on its EventBusName), for the core's IAM check; never throws. */
export function ruleArnOf(busValue: string | undefined, name: string, ctx: RequestContext): string {
  try {
    const ref = busRef(busValue, ctx);
    return ruleArn(ref.accountId, ref.region, ref.name, name);
  } catch {
    return "*";
  }
}
