// EventBridge: buses are named by name (the caller's own) or ARN, rules by name on a bus, tagged
// resources by ARN. Another account's bus, rules and tags are AccessDenied unless the bus policy
// allows (the victim's has none). A rule of the attacker's may target the victim's queue — AWS
// accepts the target — but delivering to it acts as events.amazonaws.com for the attacker's
// rule, which the victim's queue policy does not let in: the victim's queue stays empty.
import * as eb from "@aws-sdk/client-eventbridge";
import * as sqs from "@aws-sdk/client-sqs";
import type { Attempt, Env, IsolationTable, Outcome } from "./support";
import { OTHER_REGION, REGION } from "./support";

interface Victim {
  busArn: string;
  ruleArn: string;
  queueArn: string;
  queueUrl: string;
  roleArn: string;
}

const DENIED = "AccessDeniedException";
const NOT_FOUND = "ResourceNotFoundException";

function onVictimRule(v: Victim, member: "Name" | "Rule", extra: Record<string, unknown> = {}): Attempt[] {
  return [
    { label: "by name on the victim's bus ARN", input: { [member]: "victim-rule", EventBusName: v.busArn, ...extra }, expect: DENIED },
    { label: "by name on a bus of the victim's name (the caller's own)", input: { [member]: "victim-rule", EventBusName: "victim-bus", ...extra }, expect: NOT_FOUND },
    { label: "on the victim's bus ARN, signed for another region", region: OTHER_REGION, input: { [member]: "victim-rule", EventBusName: v.busArn, ...extra }, expect: [DENIED, NOT_FOUND, "ValidationException"] },
  ];
}

function byResourceArn(v: Victim, extra: Record<string, unknown> = {}): Attempt[] {
  return [
    { label: "the victim's rule by ARN", input: { ResourceARN: v.ruleArn, ...extra }, expect: DENIED },
    { label: "the victim's bus by ARN", input: { ResourceARN: v.busArn, ...extra }, expect: DENIED },
    { label: "the victim's rule by ARN, signed for another region", region: OTHER_REGION, input: { ResourceARN: v.ruleArn, ...extra }, expect: [DENIED, NOT_FOUND, "ValidationException"] },
  ];
}

/** Refused, or answered with nothing of the victim's. */
const noVictimRules = (member: string) => (o: Outcome) => {
  if (!o.ok) return o.name === DENIED ? undefined : `answered ${o.name}: ${o.message}`;
  const items = JSON.stringify(o.output?.[member] ?? []);
  return items.includes("victim-rule") ? `listed the victim's rules: ${items}` : undefined;
};

/** PutEvents refuses the whole request, or every entry, with AccessDenied. */
const eventsRefused = (o: Outcome) => {
  if (!o.ok) return o.name === DENIED ? undefined : `answered ${o.name}: ${o.message}`;
  const entries = (o.output?.Entries ?? []) as Array<{ ErrorCode?: string }>;
  return entries.length > 0 && entries.every((e) => e.ErrorCode === DENIED || e.ErrorCode === "AccessDenied") ? undefined : `accepted ${JSON.stringify(entries)}`;
};

async function victimQueue(env: Env, ruleArn: string): Promise<{ url: string; arn: string }> {
  const q = new sqs.SQSClient(env.sb.clientConfig(env.victim));
  try {
    const url = (await q.send(new sqs.CreateQueueCommand({ QueueName: "victim-events" }))).QueueUrl!;
    const arn = (await q.send(new sqs.GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
    const policy = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sqs:SendMessage", Resource: arn, Condition: { ArnEquals: { "aws:SourceArn": ruleArn } } }],
    };
    await q.send(new sqs.SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: JSON.stringify(policy) } }));
    return { url, arn };
  } finally {
    q.destroy();
  }
}

export const eventsTable: IsolationTable<Victim> = {
  service: "events",
  newClient: (config) => new eb.EventBridgeClient(config),
  commands: eb,
  signatureError: "InvalidSignatureException",

  async setup(env) {
    const c = env.client(env.victim);
    const busArn = (await env.send(c, "CreateEventBus", { Name: "victim-bus" })).EventBusArn as string;
    const ruleArn = (await env.send(c, "PutRule", { Name: "victim-rule", EventBusName: "victim-bus", EventPattern: JSON.stringify({ source: ["victim.app"] }) }))
      .RuleArn as string;
    const queue = await victimQueue(env, ruleArn);
    await env.send(c, "PutTargets", { Rule: "victim-rule", EventBusName: "victim-bus", Targets: [{ Id: "victim-target", Arn: queue.arn }] });
    await env.send(c, "TagResource", { ResourceARN: ruleArn, Tags: [{ Key: "team", Value: "victim" }] });
    // A bus policy statement of the victim's, granting a third account, for RemovePermission to aim at.
    await env.send(c, "PutPermission", { EventBusName: "victim-bus", StatementId: "victim-grant", Action: "events:PutEvents", Principal: "111122223333" });
    const a = env.client(env.attacker);
    await env.send(a, "PutRule", { Name: "attacker-rule", EventPattern: JSON.stringify({ source: ["attacker.app"] }) });
    return { busArn, ruleArn, queueArn: queue.arn, queueUrl: queue.url, roleArn: `arn:aws:iam::${env.victim.accountId}:role/victim-events-role` };
  },

  async snapshot(env, v) {
    // Deliveries run after PutEvents answers: give one that got through the time to land.
    await new Promise((r) => setTimeout(r, 150));
    const c = env.client(env.victim);
    const bus = await env.send(c, "DescribeEventBus", { Name: "victim-bus" });
    const rule = await env.send(c, "DescribeRule", { Name: "victim-rule", EventBusName: "victim-bus" });
    const targets = await env.send(c, "ListTargetsByRule", { Rule: "victim-rule", EventBusName: "victim-bus" });
    const tags = await env.send(c, "ListTagsForResource", { ResourceARN: v.ruleArn });
    const q = new sqs.SQSClient(env.sb.clientConfig(env.victim));
    const queued = await q.send(new sqs.GetQueueAttributesCommand({ QueueUrl: v.queueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }));
    q.destroy();
    return {
      bus: [bus.Name, bus.Arn, bus.Policy],
      rule: [rule.Name, rule.EventPattern, rule.State, rule.ScheduleExpression],
      targets: targets.Targets,
      tags: tags.Tags,
      queued: queued.Attributes,
    };
  },

  rows: {
    DescribeEventBus: (v) => [
      { label: "by ARN", input: { Name: v.busArn }, expect: DENIED },
      { label: "by name (the caller's own)", input: { Name: "victim-bus" }, expect: NOT_FOUND },
    ],
    DeleteEventBus: (v) => [
      { label: "by ARN", input: { Name: v.busArn }, expect: [DENIED, "ValidationException"] },
      // Deleting a bus that does not exist succeeds on AWS; the snapshot shows the victim's is still there.
      { label: "by name (the caller's own)", input: { Name: "victim-bus" }, expect: (o) => (o.ok || o.name === NOT_FOUND ? undefined : `answered ${o.name}: ${o.message}`) },
    ],
    PutRule: (v) => [
      { label: "by name on the victim's bus ARN", input: { Name: "victim-rule", EventBusName: v.busArn, EventPattern: JSON.stringify({ source: ["attacker.app"] }) }, expect: DENIED },
    ],
    DescribeRule: (v) => onVictimRule(v, "Name"),
    // "If you call delete rule multiple times for the same rule, all calls will succeed": a missing rule is no error.
    DeleteRule: (v) => onVictimRule(v, "Name").map((a) => (a.expect === NOT_FOUND ? { ...a, expect: (o: Outcome) => (o.ok || o.name === NOT_FOUND ? undefined : `answered ${o.name}: ${o.message}`) } : a)),
    EnableRule: (v) => onVictimRule(v, "Name"),
    DisableRule: (v) => onVictimRule(v, "Name"),
    PutTargets: (v, env) => [
      ...onVictimRule(v, "Rule", { Targets: [{ Id: "steal", Arn: `arn:aws:sqs:${REGION}:${env.attacker.accountId}:loot` }] }),
      { label: "the caller's own rule, with the victim's role", input: { Rule: "attacker-rule", Targets: [{ Id: "sfn", Arn: `arn:aws:states:${REGION}:${env.attacker.accountId}:stateMachine:x`, RoleArn: v.roleArn }] }, expect: [DENIED, "ValidationException"] },
      // AWS accepts a target of another account's queue; delivering to it is what the queue policy refuses (PutEvents row).
      { label: "the caller's own rule, targeting the victim's queue", input: { Rule: "attacker-rule", Targets: [{ Id: "victim-queue", Arn: v.queueArn }] }, expect: (o) => (o.ok ? undefined : `answered ${o.name}: ${o.message}`) },
    ],
    ListTargetsByRule: (v) => onVictimRule(v, "Rule"),
    RemoveTargets: (v) => onVictimRule(v, "Rule", { Ids: ["victim-target"] }),
    ListRules: (v) => [{ label: "on the victim's bus ARN", input: { EventBusName: v.busArn }, expect: noVictimRules("Rules") }],
    ListRuleNamesByTarget: (v) => [
      { label: "the victim's queue as target", input: { TargetArn: v.queueArn }, expect: noVictimRules("RuleNames") },
      { label: "the victim's queue as target, on the victim's bus ARN", input: { TargetArn: v.queueArn, EventBusName: v.busArn }, expect: noVictimRules("RuleNames") },
    ],
    PutEvents: (v) => [
      { label: "onto the victim's bus ARN", input: { Entries: [{ EventBusName: v.busArn, Source: "victim.app", DetailType: "x", Detail: "{}" }] }, expect: eventsRefused },
      {
        label: "onto the caller's own bus, matching its rule that targets the victim's queue",
        input: { Entries: [{ Source: "attacker.app", DetailType: "x", Detail: "{}" }] },
        expect: (o) => (o.ok ? undefined : `answered ${o.name}: ${o.message}`),
      },
    ],
    // PutPermission/RemovePermission take a bus name (the caller's own); an ARN does not fit the name's pattern.
    PutPermission: (v, env) => [
      { label: "on the victim's bus ARN", input: { EventBusName: v.busArn, StatementId: "steal", Action: "events:PutEvents", Principal: env.attacker.accountId }, expect: ["ValidationException", DENIED] },
      { label: "on a bus of the victim's name (the caller's own)", input: { EventBusName: "victim-bus", StatementId: "steal", Action: "events:PutEvents", Principal: env.attacker.accountId }, expect: NOT_FOUND },
    ],
    RemovePermission: (v) => [
      { label: "on the victim's bus ARN", input: { EventBusName: v.busArn, StatementId: "victim-grant" }, expect: ["ValidationException", DENIED] },
      { label: "on a bus of the victim's name (the caller's own)", input: { EventBusName: "victim-bus", StatementId: "victim-grant" }, expect: NOT_FOUND },
    ],
    TagResource: (v) => byResourceArn(v, { Tags: [{ Key: "owner", Value: "attacker" }] }),
    UntagResource: (v) => byResourceArn(v, { TagKeys: ["team"] }),
    ListTagsForResource: (v) => byResourceArn(v),
  },

  exempt: {
    CreateEventBus: "creates a bus in the caller's own account from a name",
    ListEventBuses: "lists the caller's own buses",
    TestEventPattern: "names no resource: it matches a pattern against an event",
  },
};
