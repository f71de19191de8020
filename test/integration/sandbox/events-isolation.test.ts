// Tenant isolation, EventBridge: one issued account (the attacker) against another's (the
// victim's) buses, rules, targets and state machine, through the real SDK against a running
// sandbox. Another account's bus answers to its resource policy (PutPermission) and nothing else;
// tags are the owner's; a role passed to PutTargets must be the caller's; targets are called as
// their RoleArn (which EventBridge must be trusted to assume) or, in the rule's own account, as
// events.amazonaws.com for that rule; another account's state machine is never started. The
// table of attacks is checked against the service's operation table: a new operation without a
// row fails this suite.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateEventBusCommand, DeleteEventBusCommand, DeleteRuleCommand, DescribeEventBusCommand, DescribeRuleCommand, DisableRuleCommand,
  EnableRuleCommand, EventBridgeClient, ListEventBusesCommand, ListRuleNamesByTargetCommand, ListRulesCommand, ListTagsForResourceCommand,
  ListTargetsByRuleCommand, PutEventsCommand, PutPermissionCommand, PutRuleCommand, PutTargetsCommand, RemovePermissionCommand,
  RemoveTargetsCommand, TagResourceCommand, TestEventPatternCommand, UntagResourceCommand,
} from "@aws-sdk/client-eventbridge";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateStateMachineCommand, ListExecutionsCommand, SFNClient } from "@aws-sdk/client-sfn";
import { CreateQueueCommand, ReceiveMessageCommand, SetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { memoryEnvironment } from "@/sandbox/core/memory-environment";
import { createEventsService } from "@/sandbox/services/events";
import { startTestSandbox } from "@/test/support/sandbox";
import type { AccountKeys, TestSandbox } from "@/test/support/sandbox";

const REGION = "us-east-1";
const PATTERN = JSON.stringify({ source: ["com.myapp.orders"] });
const ENTRY = { Source: "com.myapp.orders", DetailType: "OrderCreated", Detail: JSON.stringify({ orderId: "o-1", amount: 1500 }) };
const trustedByEvents = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sts:AssumeRole" }] });

let sb: TestSandbox;
let victim: AccountKeys;
let attacker: AccountKeys;
let asVictim: EventBridgeClient;
let asAttacker: EventBridgeClient;
let attackerElsewhere: EventBridgeClient;
let victimSqs: SQSClient;
let victimQueue = "";
let victimBus = "";
let victimDefaultBus = "";
let victimRule = "";
let victimMachine = "";
let victimSfnRole = "";
let attackerRole = "";

async function role(keys: AccountKeys, name: string, trust: string, statement: Record<string, unknown>): Promise<string> {
  const iam = new IAMClient(sb.clientConfig(keys));
  try {
    const arn = (await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust }))).Role?.Arn ?? "";
    await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: "p", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [statement] }) }));
    return arn;
  } finally {
    iam.destroy();
  }
}

/** What reached the victim's queue within a second or two. */
async function inbox(): Promise<Record<string, unknown>[]> {
  const out = await victimSqs.send(new ReceiveMessageCommand({ QueueUrl: victimQueue, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }));
  return (out.Messages ?? []).map((m) => JSON.parse(m.Body ?? "{}") as Record<string, unknown>);
}

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  const e = await p.then(() => undefined, (err: unknown) => err as { name: string; message: string });
  if (!e) throw new Error("the call succeeded");
  return { name: e.name, message: e.message };
}

beforeAll(async () => {
  sb = await startTestSandbox();
  [victim, attacker] = await Promise.all([sb.createAccount(), sb.createAccount()]);
  asVictim = new EventBridgeClient(sb.clientConfig(victim));
  asAttacker = new EventBridgeClient(sb.clientConfig(attacker));
  attackerElsewhere = new EventBridgeClient(sb.clientConfig(attacker, "eu-west-1"));
  victimSqs = new SQSClient(sb.clientConfig(victim));
  victimBus = (await asVictim.send(new CreateEventBusCommand({ Name: "orders" }))).EventBusArn ?? "";
  victimDefaultBus = `arn:aws:events:${REGION}:${victim.accountId}:event-bus/default`;
  victimRule = (await asVictim.send(new PutRuleCommand({ Name: "victim-rule", EventBusName: "orders", EventPattern: PATTERN }))).RuleArn ?? "";
  victimQueue = (await victimSqs.send(new CreateQueueCommand({ QueueName: "victim-inbox" }))).QueueUrl ?? "";
  const queueArn = `arn:aws:sqs:${REGION}:${victim.accountId}:victim-inbox`;
  const queuePolicy = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sqs:SendMessage", Resource: queueArn, Condition: { ArnEquals: { "aws:SourceArn": victimRule } } }],
  };
  await victimSqs.send(new SetQueueAttributesCommand({ QueueUrl: victimQueue, Attributes: { Policy: JSON.stringify(queuePolicy) } }));
  await asVictim.send(new PutTargetsCommand({ Rule: "victim-rule", EventBusName: "orders", Targets: [{ Id: "inbox", Arn: queueArn }] }));
  await asVictim.send(new TagResourceCommand({ ResourceARN: victimRule, Tags: [{ Key: "team", Value: "victim" }] }));
  // The victim's state machine (a Wait), and the role its own rules may start it with.
  const sfn = new SFNClient(sb.clientConfig(victim));
  const statesRole = await role(victim, "machine-role", JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "states.amazonaws.com" }, Action: "sts:AssumeRole" }] }), { Effect: "Allow", Action: "sqs:SendMessage", Resource: "*" });
  const wait = JSON.stringify({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 600, End: true } } });
  victimMachine = (await sfn.send(new CreateStateMachineCommand({ name: "victim-machine", definition: wait, roleArn: statesRole }))).stateMachineArn ?? "";
  sfn.destroy();
  victimSfnRole = await role(victim, "events-start-machine", trustedByEvents, { Effect: "Allow", Action: "states:StartExecution", Resource: victimMachine });
  // The attacker's role for its targets: trusted by EventBridge, allowed everything it might try.
  attackerRole = await role(attacker, "attacker-events-role", trustedByEvents, { Effect: "Allow", Action: ["events:PutEvents", "states:StartExecution", "sqs:SendMessage"], Resource: "*" });
}, 60_000);

afterAll(async () => {
  for (const c of [asVictim, asAttacker, attackerElsewhere, victimSqs]) c?.destroy();
  await sb?.close();
});

type Attack = { call: (eb: EventBridgeClient) => Promise<unknown>; code: string };
const denied = (call: Attack["call"]): Attack => ({ call, code: "AccessDeniedException" });
// Operations that take only a name of the caller's own (never an ARN): another account's ARN is not even well formed.
const malformed = (call: Attack["call"]): Attack => ({ call, code: "ValidationException" });

/** One row per operation that names a bus, rule or tagged resource: the attacker names the victim's. */
const attacks: Record<string, Attack> = {
  CreateEventBus: malformed((eb) => eb.send(new CreateEventBusCommand({ Name: victimBus }))),
  DeleteEventBus: malformed((eb) => eb.send(new DeleteEventBusCommand({ Name: victimBus }))),
  PutPermission: malformed((eb) => eb.send(new PutPermissionCommand({ EventBusName: victimBus, Action: "events:PutEvents", Principal: attacker.accountId, StatementId: "mine" }))),
  RemovePermission: malformed((eb) => eb.send(new RemovePermissionCommand({ EventBusName: victimBus, RemoveAllPermissions: true }))),
  DescribeEventBus: denied((eb) => eb.send(new DescribeEventBusCommand({ Name: victimBus }))),
  PutRule: denied((eb) => eb.send(new PutRuleCommand({ Name: "every-minute", EventBusName: victimDefaultBus, ScheduleExpression: "rate(1 minute)" }))),
  DescribeRule: denied((eb) => eb.send(new DescribeRuleCommand({ Name: "victim-rule", EventBusName: victimBus }))),
  ListRules: denied((eb) => eb.send(new ListRulesCommand({ EventBusName: victimBus }))),
  DeleteRule: denied((eb) => eb.send(new DeleteRuleCommand({ Name: "victim-rule", EventBusName: victimBus, Force: true }))),
  EnableRule: denied((eb) => eb.send(new EnableRuleCommand({ Name: "victim-rule", EventBusName: victimBus }))),
  DisableRule: denied((eb) => eb.send(new DisableRuleCommand({ Name: "victim-rule", EventBusName: victimBus }))),
  PutTargets: denied((eb) => eb.send(new PutTargetsCommand({ Rule: "victim-rule", EventBusName: victimBus, Targets: [{ Id: "spy", Arn: `arn:aws:sqs:${REGION}:${attacker.accountId}:spy` }] }))),
  ListTargetsByRule: denied((eb) => eb.send(new ListTargetsByRuleCommand({ Rule: "victim-rule", EventBusName: victimBus }))),
  RemoveTargets: denied((eb) => eb.send(new RemoveTargetsCommand({ Rule: "victim-rule", EventBusName: victimBus, Ids: ["inbox"] }))),
  ListRuleNamesByTarget: denied((eb) => eb.send(new ListRuleNamesByTargetCommand({ TargetArn: `arn:aws:sqs:${REGION}:${victim.accountId}:victim-inbox`, EventBusName: victimBus }))),
  TagResource: denied((eb) => eb.send(new TagResourceCommand({ ResourceARN: victimRule, Tags: [{ Key: "team", Value: "attacker" }] }))),
  UntagResource: denied((eb) => eb.send(new UntagResourceCommand({ ResourceARN: victimRule, TagKeys: ["team"] }))),
  ListTagsForResource: denied((eb) => eb.send(new ListTagsForResourceCommand({ ResourceARN: victimRule }))),
};
/** PutEvents answers per entry (below); these take no resource reference at all. */
const unreferenced = new Set(["PutEvents", "ListEventBuses", "TestEventPattern"]);

describe("EventBridge across accounts", () => {
  it("has an attack for every operation the service serves", () => {
    const service = createEventsService(memoryEnvironment());
    try {
      expect([...Object.keys(attacks), ...unreferenced].sort()).toEqual(Object.keys(service.definition.operations).sort());
    } finally {
      service.close?.();
    }
  });

  it.each(Object.keys(attacks))("%s naming the victim's bus or rule is refused", async (operation) => {
    const attack = attacks[operation] as Attack;
    const err = await failure(attack.call(asAttacker));
    expect(err.name).toBe(attack.code);
    if (attack.code === "AccessDeniedException") {
      expect(err.message).toMatch(new RegExp(`^User: arn:aws:iam::${attacker.accountId}:root is not authorized to perform: events:${operation} on resource: arn:aws:events:${REGION}:${victim.accountId}:`));
    }
  });

  it("refuses PutEvents to the victim's bus per entry, and another region's endpoint does not hold it", async () => {
    const out = await asAttacker.send(new PutEventsCommand({ Entries: [{ ...ENTRY, EventBusName: victimBus }] }));
    expect(out.FailedEntryCount).toBe(1);
    expect(out.Entries?.[0]).toMatchObject({ ErrorCode: "AccessDeniedException" });
    expect(out.Entries?.[0]?.ErrorMessage).toContain(`events:PutEvents on resource: ${victimBus}`);
    expect((await failure(attackerElsewhere.send(new PutEventsCommand({ Entries: [{ ...ENTRY, EventBusName: victimBus }] })))).name).toBe("ResourceNotFoundException");
    expect(await inbox()).toEqual([]);
    expect((await asAttacker.send(new ListEventBusesCommand({}))).EventBuses?.map((b) => b.Name)).toEqual(["default"]);
    expect((await asAttacker.send(new TestEventPatternCommand({ EventPattern: PATTERN, Event: JSON.stringify({ id: "1", account: victim.accountId, source: "com.myapp.orders", time: "2026-01-01T00:00:00Z", region: REGION, resources: [], "detail-type": "x", detail: {} }) }))).Result).toBe(true);
  });

  it("leaves the victim's bus, rule, targets and tags as they were", async () => {
    expect(await asVictim.send(new DescribeRuleCommand({ Name: "victim-rule", EventBusName: "orders" }))).toMatchObject({ EventPattern: PATTERN, State: "ENABLED" });
    expect((await asVictim.send(new ListTargetsByRuleCommand({ Rule: "victim-rule", EventBusName: "orders" }))).Targets?.map((t) => t.Id)).toEqual(["inbox"]);
    expect((await asVictim.send(new ListTagsForResourceCommand({ ResourceARN: victimRule }))).Tags).toEqual([{ Key: "team", Value: "victim" }]);
    expect((await asVictim.send(new DescribeEventBusCommand({ Name: "orders" }))).Policy).toBeUndefined();
  });
});

describe("what the victim allows", () => {
  it("takes the attacker's events on its bus once its policy allows that account, and no longer once removed", async () => {
    await asVictim.send(new PutPermissionCommand({ EventBusName: "orders", Action: "events:PutEvents", Principal: attacker.accountId, StatementId: "partner" }));
    const policy = JSON.parse((await asVictim.send(new DescribeEventBusCommand({ Name: "orders" }))).Policy ?? "{}") as { Statement: unknown[] };
    expect(policy.Statement).toEqual([{ Sid: "partner", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${attacker.accountId}:root` }, Action: "events:PutEvents", Resource: victimBus }]);
    const out = await asAttacker.send(new PutEventsCommand({ Entries: [{ ...ENTRY, EventBusName: victimBus }] }));
    expect(out.FailedEntryCount).toBe(0);
    const got = await inbox();
    expect(got).toHaveLength(1);
    // The event is the sender's: its account is the attacker's, its rule the victim's.
    expect(got[0]).toMatchObject({ source: "com.myapp.orders", account: attacker.accountId, detail: { orderId: "o-1" } });
    // The policy gives PutEvents, not rules: the attacker still cannot read or add rules there.
    expect((await failure(asAttacker.send(new DescribeRuleCommand({ Name: "victim-rule", EventBusName: victimBus })))).name).toBe("AccessDeniedException");
    await asVictim.send(new RemovePermissionCommand({ EventBusName: "orders", StatementId: "partner" }));
    expect((await asAttacker.send(new PutEventsCommand({ Entries: [{ ...ENTRY, EventBusName: victimBus }] }))).FailedEntryCount).toBe(1);
  });

  it("delivers from the attacker's rule to the victim's bus with a role, when the victim's bus policy allows it", async () => {
    await asAttacker.send(new PutRuleCommand({ Name: "forward", EventPattern: JSON.stringify({ source: ["com.partner"] }) }));
    await asAttacker.send(new PutTargetsCommand({ Rule: "forward", Targets: [{ Id: "victim-bus", Arn: victimBus, RoleArn: attackerRole }] }));
    const send = () => asAttacker.send(new PutEventsCommand({ Entries: [{ ...ENTRY, Source: "com.partner" }] }));
    await asVictim.send(new PutRuleCommand({ Name: "from-partner", EventBusName: "orders", EventPattern: JSON.stringify({ source: ["com.partner"] }) }));
    const queueArn = `arn:aws:sqs:${REGION}:${victim.accountId}:victim-inbox`;
    const fromPartner = `arn:aws:events:${REGION}:${victim.accountId}:rule/orders/from-partner`;
    const queuePolicy = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sqs:SendMessage", Resource: queueArn, Condition: { ArnEquals: { "aws:SourceArn": [victimRule, fromPartner] } } }],
    };
    await victimSqs.send(new SetQueueAttributesCommand({ QueueUrl: victimQueue, Attributes: { Policy: JSON.stringify(queuePolicy) } }));
    await asVictim.send(new PutTargetsCommand({ Rule: "from-partner", EventBusName: "orders", Targets: [{ Id: "inbox", Arn: queueArn }] }));
    // Without the victim's permission the forwarded event is refused.
    await send();
    expect(await inbox()).toEqual([]);
    await asVictim.send(new PutPermissionCommand({ EventBusName: "orders", Action: "events:PutEvents", Principal: attacker.accountId, StatementId: "partner" }));
    await send();
    const got = await inbox();
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ source: "com.partner", account: attacker.accountId });
    await asVictim.send(new RemovePermissionCommand({ EventBusName: "orders", RemoveAllPermissions: true }));
  });
});

describe("targets and their roles", () => {
  it("refuses a role of another account, and a state machine target without a role", async () => {
    await asAttacker.send(new PutRuleCommand({ Name: "grab", EventPattern: PATTERN }));
    const stolen = await failure(asAttacker.send(new PutTargetsCommand({ Rule: "grab", Targets: [{ Id: "m", Arn: victimMachine, RoleArn: victimSfnRole }] })));
    expect(stolen).toEqual({ name: "AccessDeniedException", message: "Cross-account pass role is not allowed." });
    const stolenRule = await failure(asAttacker.send(new PutRuleCommand({ Name: "grab", EventPattern: PATTERN, RoleArn: victimSfnRole })));
    expect(stolenRule.name).toBe("AccessDeniedException");
    const roleless = await failure(asAttacker.send(new PutTargetsCommand({ Rule: "grab", Targets: [{ Id: "m", Arn: victimMachine }] })));
    expect(roleless).toEqual({ name: "ValidationException", message: `RoleArn is required for target ${victimMachine}.` });
  });

  it("never starts another account's state machine, even with the attacker's own role", async () => {
    await asAttacker.send(new PutTargetsCommand({ Rule: "grab", Targets: [{ Id: "m", Arn: victimMachine, RoleArn: attackerRole }] }));
    expect((await asAttacker.send(new PutEventsCommand({ Entries: [ENTRY] }))).FailedEntryCount).toBe(0);
    await new Promise((r) => setTimeout(r, 1500));
    const sfn = new SFNClient(sb.clientConfig(victim));
    try {
      expect((await sfn.send(new ListExecutionsCommand({ stateMachineArn: victimMachine }))).executions).toEqual([]);
    } finally {
      sfn.destroy();
    }
  });

  it("starts the rule's own account's state machine as the target's role, and only with a role EventBridge may assume", async () => {
    const sfn = new SFNClient(sb.clientConfig(victim));
    const untrusting = await role(victim, "not-for-events", JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] }), { Effect: "Allow", Action: "states:StartExecution", Resource: victimMachine });
    try {
      await asVictim.send(new PutRuleCommand({ Name: "start", EventPattern: JSON.stringify({ source: ["com.start"] }) }));
      await asVictim.send(new PutTargetsCommand({ Rule: "start", Targets: [{ Id: "m", Arn: victimMachine, RoleArn: untrusting }] }));
      await asVictim.send(new PutEventsCommand({ Entries: [{ ...ENTRY, Source: "com.start" }] }));
      await new Promise((r) => setTimeout(r, 1000));
      expect((await sfn.send(new ListExecutionsCommand({ stateMachineArn: victimMachine }))).executions).toEqual([]);
      await asVictim.send(new PutTargetsCommand({ Rule: "start", Targets: [{ Id: "m", Arn: victimMachine, RoleArn: victimSfnRole }] }));
      await asVictim.send(new PutEventsCommand({ Entries: [{ ...ENTRY, Source: "com.start" }] }));
      let executions: unknown[] = [];
      for (let i = 0; i < 40 && executions.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        executions = (await sfn.send(new ListExecutionsCommand({ stateMachineArn: victimMachine }))).executions ?? [];
      }
      expect(executions).toHaveLength(1);
    } finally {
      sfn.destroy();
    }
  });
});
