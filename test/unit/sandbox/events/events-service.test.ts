// The EventBridge service through its handlers on the in-memory environment: fake SQS, SNS,
// Lambda and Step Functions modules record what EventBridge sends them.
import { describe, expect, it } from "vitest";
import { compileEventPattern } from "@/semantics/event-pattern";
import { AwsError, type RequestContext, type ServiceModule } from "@/sandbox/core/contracts";
import { memoryEnvironment, rootContext } from "@/sandbox/core/memory-environment";
import { createEventsService, type EventsServiceModule } from "@/sandbox/services/events";
import { registerIdentity, trustedBy } from "../states/helpers";

const ACCOUNT = "000000000000";
const OTHER = "111111111111";
const REGION = "us-east-1";
const FN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:premium-order-processor`;
const QUEUE = `arn:aws:sqs:${REGION}:${ACCOUNT}:orders`;
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:order-events`;
const MACHINE = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:order-processing`;
const LAB_PATTERN = JSON.stringify({
  source: ["com.myapp.orders"],
  "detail-type": ["OrderCreated"],
  detail: { amount: [{ numeric: [">=", 1000] }] },
});

type Call = { service: string; operation: string; input: Record<string, unknown>; ctx: RequestContext };

function fakeService(signingName: string, operations: string[], calls: Call[], behave?: (input: Record<string, unknown>) => void): ServiceModule {
  return {
    definition: {
      signingName,
      operations: Object.fromEntries(
        operations.map((operation) => [
          operation,
          {
            action: `${signingName}:${operation}`,
            handler: (input: Record<string, unknown>, ctx: RequestContext) => {
              behave?.(input);
              calls.push({ service: signingName, operation, input, ctx });
              return {};
            },
          },
        ]),
      ) as unknown as ServiceModule["definition"]["operations"],
    },
    resetAccount() {},
  };
}

interface Harness {
  env: ReturnType<typeof memoryEnvironment>;
  events: EventsServiceModule;
  calls: Call[];
  /** Function ARNs whose resource policy does not let EventBridge invoke them. */
  denied: Set<string>;
  /** How many SendMessage calls fail with a plain (transient) error before succeeding. */
  sqsFailures: { remaining: number };
  call(operation: string, input: Record<string, unknown>, ctx?: RequestContext): Promise<Record<string, unknown>>;
  /** Lets the next-tick deliveries run and settle. */
  settle(ms?: number): Promise<void>;
}

function harness(existing?: Harness): Harness {
  const env = memoryEnvironment();
  if (existing) env.store = existing.env.store; // the same durable data, as after a restart
  const calls: Call[] = [];
  const denied = new Set<string>();
  const sqsFailures = { remaining: 0 };
  env.register(
    fakeService("sqs", ["SendMessage"], calls, () => {
      if (sqsFailures.remaining > 0) {
        sqsFailures.remaining--;
        throw new Error("connection reset");
      }
    }),
  );
  env.register(fakeService("sns", ["Publish"], calls));
  env.register(fakeService("states", ["StartExecution"], calls));
  env.register(
    fakeService("lambda", ["Invoke"], calls, (input) => {
      if (denied.has(input.FunctionName as string)) {
        throw new AwsError("AccessDeniedException", `events.amazonaws.com is not authorized to perform: lambda:InvokeFunction on resource: ${String(input.FunctionName)}`, 403);
      }
    }),
  );
  const events = createEventsService(env);
  env.register(events);
  const h: Harness = {
    env,
    events,
    calls,
    denied,
    sqsFailures,
    call: (operation, input, ctx = rootContext(ACCOUNT, REGION)) => env.call("events", operation, input, ctx),
    async settle(ms = 0) {
      await env.scheduler.advance(ms);
      await events.idle();
    },
  };
  return h;
}

async function rejects(p: Promise<unknown>): Promise<AwsError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AwsError) return e;
    throw e;
  }
  throw new Error("expected an AwsError");
}

const order = (amount: number, source = "com.myapp.orders", detailType = "OrderCreated") => ({
  Source: source,
  DetailType: detailType,
  Detail: JSON.stringify({ orderId: `o-${amount}`, amount, status: "confirmed" }),
});

async function labRule(h: Harness, targets: Record<string, unknown>[] = [{ Id: "premium-order-processor", Arn: FN }]) {
  const { RuleArn } = await h.call("PutRule", { Name: "high-value-orders", EventBusName: "default", EventPattern: LAB_PATTERN, State: "ENABLED" });
  expect(await h.call("PutTargets", { Rule: "high-value-orders", EventBusName: "default", Targets: targets })).toEqual({ FailedEntryCount: 0, FailedEntries: [] });
  return RuleArn as string;
}

describe("the lab's high-value-orders rule", () => {
  it("sends 1000 and 1500 to the Lambda target, not 999 nor another source", async () => {
    const h = harness();
    const ruleArn = await labRule(h);
    expect(ruleArn).toBe(`arn:aws:events:${REGION}:${ACCOUNT}:rule/high-value-orders`);
    const out = await h.call("PutEvents", { Entries: [order(1000), order(1500), order(999), order(5000, "com.other.app"), order(5000, "com.myapp.orders", "OrderCancelled")] });
    expect(out.FailedEntryCount).toBe(0);
    const entries = out.Entries as Array<{ EventId: string }>;
    expect(entries).toHaveLength(5);
    for (const e of entries) expect(e.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.calls).toHaveLength(0); // delivery happens after PutEvents returns
    await h.settle();
    expect(h.calls.map((c) => `${c.service}:${c.operation}`)).toEqual(["lambda:Invoke", "lambda:Invoke"]);
    const payloads = h.calls.map((c) => JSON.parse(c.input.Payload as string) as Record<string, unknown>);
    expect(payloads.map((p) => (p.detail as { amount: number }).amount)).toEqual([1000, 1500]);
    const first = h.calls[0] as Call;
    expect(first.input).toMatchObject({ FunctionName: FN, InvocationType: "Event" });
    expect(payloads[0]).toMatchObject({ version: "0", id: entries[0]?.EventId, "detail-type": "OrderCreated", source: "com.myapp.orders", account: ACCOUNT, region: REGION, resources: [] });
    expect(Object.keys(payloads[0] as object)).toEqual(["version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"]);
    expect((payloads[0] as { time: string }).time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(first.ctx).toMatchObject({
      accountId: ACCOUNT,
      region: REGION,
      principal: { kind: "service", accountId: ACCOUNT, service: "events.amazonaws.com", arn: "events.amazonaws.com", sourceArn: ruleArn },
    });
    expect(h.events.metrics(ruleArn)).toEqual({ matchedEvents: 2, invocations: 2, failedInvocations: 0 });
  });

  it("delivers nothing while the function's policy does not allow EventBridge", async () => {
    const h = harness();
    const ruleArn = await labRule(h);
    h.denied.add(FN);
    await h.call("PutEvents", { Entries: [order(2000)] });
    await h.settle(60_000);
    expect(h.calls).toHaveLength(0);
    expect(h.events.metrics(ruleArn)).toMatchObject({ matchedEvents: 1, invocations: 0, failedInvocations: 1 });
    expect(h.events.recentFailures()).toEqual([expect.objectContaining({ ruleArn, targetId: "premium-order-processor", code: "AccessDeniedException" })]);
    h.denied.clear();
    await h.call("PutEvents", { Entries: [order(2000)] });
    await h.settle();
    expect(h.calls).toHaveLength(1);
  });

  it("a disabled rule delivers nothing until enabled again", async () => {
    const h = harness();
    await labRule(h);
    await h.call("DisableRule", { Name: "high-value-orders" });
    expect((await h.call("DescribeRule", { Name: "high-value-orders" })).State).toBe("DISABLED");
    await h.call("PutEvents", { Entries: [order(1200)] });
    await h.settle();
    expect(h.calls).toHaveLength(0);
    await h.call("EnableRule", { Name: "high-value-orders" });
    await h.call("PutEvents", { Entries: [order(1200)] });
    await h.settle();
    expect(h.calls).toHaveLength(1);
  });

  it("DescribeRule and ListTargetsByRule show what the checker reads", async () => {
    const h = harness();
    const ruleArn = await labRule(h);
    expect(await h.call("DescribeRule", { Name: "high-value-orders", EventBusName: "default" })).toEqual({
      Name: "high-value-orders",
      Arn: ruleArn,
      EventPattern: LAB_PATTERN,
      State: "ENABLED",
      EventBusName: "default",
      CreatedBy: ACCOUNT,
    });
    expect(await h.call("ListTargetsByRule", { Rule: "high-value-orders" })).toEqual({ Targets: [{ Id: "premium-order-processor", Arn: FN }] });
    expect(await h.call("ListRuleNamesByTarget", { TargetArn: FN })).toEqual({ RuleNames: ["high-value-orders"] });
  });
});

describe("target input", () => {
  it("InputTransformer fills the template, JSON-aware, with predefined variables", async () => {
    const h = harness();
    const ruleArn = await labRule(h, [
      {
        Id: "q",
        Arn: QUEUE,
        InputTransformer: {
          InputPathsMap: { id: "$.detail.orderId", amount: "$.detail.amount", status: "$.detail.status" },
          InputTemplate: '{"order": <id>, "amount": <amount>, "text": "Order <id> of <amount> is <status>", "rule": <aws.events.rule-name>, "arn": "<aws.events.rule-arn>"}',
        },
      },
      { Id: "s", Arn: QUEUE.replace("orders", "texts"), InputTransformer: { InputPathsMap: { id: "$.detail.orderId" }, InputTemplate: '"Big order <id>"' } },
    ]);
    await h.call("PutEvents", { Entries: [order(1500)] });
    await h.settle();
    const bodies = Object.fromEntries(h.calls.map((c) => [String(c.input.QueueUrl), c.input.MessageBody as string]));
    expect(JSON.parse(bodies[`http://sqs.internal/${ACCOUNT}/orders`] as string)).toEqual({
      order: "o-1500",
      amount: 1500,
      text: "Order o-1500 of 1500 is confirmed",
      rule: "high-value-orders",
      arn: ruleArn,
    });
    expect(bodies[`http://sqs.internal/${ACCOUNT}/texts`]).toBe('"Big order o-1500"');
  });

  it("InputPath sends the selected part; Input sends the constant", async () => {
    const h = harness();
    // A state machine is started with the target's role, which EventBridge assumes.
    await registerIdentity(h.env).role("events-sfn", rootContext(ACCOUNT, REGION), trustedBy("events.amazonaws.com"));
    await labRule(h, [
      { Id: "detail", Arn: QUEUE, InputPath: "$.detail" },
      { Id: "const", Arn: TOPIC, Input: '{"alert":"big order"}' },
      { Id: "sfn", Arn: MACHINE, RoleArn: `arn:aws:iam::${ACCOUNT}:role/events-sfn` },
    ]);
    await h.call("PutEvents", { Entries: [order(1000)] });
    await h.settle();
    const by = (service: string) => h.calls.find((c) => c.service === service) as Call;
    expect(JSON.parse(by("sqs").input.MessageBody as string)).toEqual({ orderId: "o-1000", amount: 1000, status: "confirmed" });
    expect(by("sns").input).toEqual({ TopicArn: TOPIC, Message: '{"alert":"big order"}' });
    expect(by("states").operation).toBe("StartExecution");
    expect(by("states").input.stateMachineArn).toBe(MACHINE);
    expect(by("states").ctx.principal).toMatchObject({ kind: "assumed-role", accountId: ACCOUNT, roleArn: `arn:aws:iam::${ACCOUNT}:role/events-sfn` });
    expect(JSON.parse(by("states").input.input as string)).toMatchObject({ source: "com.myapp.orders", detail: { amount: 1000 } });
  });

  it("FIFO queues get the MessageGroupId and the event id as deduplication id; another account's queue only with a role", async () => {
    const h = harness();
    await registerIdentity(h.env).role("to-audit", rootContext(ACCOUNT, REGION), trustedBy("events.amazonaws.com"));
    const fifo = `arn:aws:sqs:${REGION}:${ACCOUNT}:orders.fifo`;
    const remote = `arn:aws:sqs:${REGION}:${OTHER}:audit`;
    const role = `arn:aws:iam::${ACCOUNT}:role/to-audit`;
    await labRule(h, [
      { Id: "fifo", Arn: fifo, SqsParameters: { MessageGroupId: "orders" } },
      { Id: "remote", Arn: remote, RoleArn: role },
      { Id: "no-role", Arn: remote.replace("audit", "open") },
      { Id: "elsewhere", Arn: `arn:aws:sqs:eu-west-1:${ACCOUNT}:audit`, RoleArn: role },
    ]);
    const out = await h.call("PutEvents", { Entries: [order(1000)] });
    await h.settle();
    const eventId = (out.Entries as Array<{ EventId: string }>)[0]?.EventId;
    const fifoCall = h.calls.find((c) => String(c.input.QueueUrl).endsWith("orders.fifo")) as Call;
    expect(fifoCall.input).toMatchObject({ QueueUrl: `http://sqs.internal/${ACCOUNT}/orders.fifo`, MessageGroupId: "orders", MessageDeduplicationId: eventId });
    expect(fifoCall.ctx.principal).toMatchObject({ kind: "service", service: "events.amazonaws.com", accountId: ACCOUNT, sourceArn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/high-value-orders` });
    // The rule's account calls the other account's queue as the target's role.
    const remoteCall = h.calls.find((c) => String(c.input.QueueUrl).endsWith("audit")) as Call;
    expect(remoteCall.input.QueueUrl).toBe(`http://sqs.internal/${OTHER}/audit`);
    expect(remoteCall.ctx).toMatchObject({ accountId: ACCOUNT, region: REGION, principal: { kind: "assumed-role", accountId: ACCOUNT, roleArn: role } });
    // Without a role another account's queue is not reached, nor is a queue in another region.
    expect(h.calls).toHaveLength(2);
    expect(h.events.recentFailures().map((f) => [f.targetId, f.code]).sort()).toEqual([["elsewhere", "ValidationException"], ["no-role", "AccessDeniedException"]]);
  });


  it("targets are stored with the members EventBridge knows, echoed by ListTargetsByRule", async () => {
    const h = harness();
    const target = {
      Id: "q",
      Arn: QUEUE,
      InputTransformer: { InputPathsMap: { id: "$.detail.orderId" }, InputTemplate: '{"id": <id>}' },
      RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
      DeadLetterConfig: { Arn: `${QUEUE}-dlq` },
      Junk: { deeply: { nested: true } },
    };
    await labRule(h, [target]);
    const { Junk: _junk, ...known } = target;
    expect(await h.call("ListTargetsByRule", { Rule: "high-value-orders" })).toEqual({ Targets: [known] });
  });

  it("a transient failure is retried with backoff", async () => {
    const h = harness();
    await labRule(h, [{ Id: "q", Arn: QUEUE }]);
    h.sqsFailures.remaining = 2;
    await h.call("PutEvents", { Entries: [order(1000)] });
    await h.settle();
    expect(h.calls).toHaveLength(0);
    await h.settle(1_000);
    expect(h.calls).toHaveLength(0);
    await h.settle(2_000);
    expect(h.calls).toHaveLength(1);
  });
});

describe("custom buses", () => {
  it("create, describe, list, rules with bus-qualified ARNs, delete; default cannot be deleted", async () => {
    const h = harness();
    const created = await h.call("CreateEventBus", { Name: "orders-bus", Description: "orders" });
    expect(created).toEqual({ EventBusArn: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/orders-bus`, Description: "orders" });
    expect(await h.call("DescribeEventBus", { Name: "orders-bus" })).toMatchObject({ Name: "orders-bus", Arn: created.EventBusArn, Description: "orders" });
    expect(await h.call("DescribeEventBus", {})).toMatchObject({ Name: "default", Arn: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default` });
    const list = (await h.call("ListEventBuses", {})).EventBuses as Array<{ Name: string }>;
    expect(list.map((b) => b.Name)).toEqual(["default", "orders-bus"]);

    const { RuleArn } = await h.call("PutRule", { Name: "r1", EventBusName: "orders-bus", EventPattern: '{"source":["a"]}' });
    expect(RuleArn).toBe(`arn:aws:events:${REGION}:${ACCOUNT}:rule/orders-bus/r1`);
    await h.call("PutTargets", { Rule: "r1", EventBusName: created.EventBusArn as string, Targets: [{ Id: "q", Arn: QUEUE }] });
    // An event on the default bus does not reach the custom bus's rule, and vice versa.
    await h.call("PutEvents", { Entries: [{ Source: "a", DetailType: "x", Detail: "{}" }] });
    await h.call("PutEvents", { Entries: [{ Source: "a", DetailType: "x", Detail: "{}", EventBusName: "orders-bus" }] });
    await h.settle();
    expect(h.calls).toHaveLength(1);

    const dup = await rejects(h.call("CreateEventBus", { Name: "orders-bus" }));
    expect([dup.code, dup.message]).toEqual(["ResourceAlreadyExistsException", "Event bus orders-bus already exists."]);
    const dflt = await rejects(h.call("DeleteEventBus", { Name: "default" }));
    expect([dflt.code, dflt.message]).toEqual(["ValidationException", "Cannot delete event bus default."]);
    await h.call("DeleteEventBus", { Name: "orders-bus" });
    const gone = await rejects(h.call("DescribeEventBus", { Name: "orders-bus" }));
    expect([gone.code, gone.message]).toEqual(["ResourceNotFoundException", "Event bus orders-bus does not exist."]);
    const noBus = await rejects(h.call("PutRule", { Name: "r1", EventBusName: "orders-bus", EventPattern: '{"source":["a"]}' }));
    expect(noBus.code).toBe("ResourceNotFoundException");
  });

  it("PutEvents to a missing bus fails the whole request, accepting nothing", async () => {
    const h = harness();
    await labRule(h, [{ Id: "q", Arn: QUEUE }]);
    const e = await rejects(h.call("PutEvents", { Entries: [order(1000), { ...order(2000), EventBusName: "nope" }] }));
    expect([e.code, e.message]).toEqual(["ResourceNotFoundException", "Event bus nope does not exist."]);
    await h.settle();
    expect(h.calls).toHaveLength(0);
  });
});

describe("validation with AWS's messages", () => {
  it("an invalid pattern is InvalidEventPatternException with the shared semantics' text", async () => {
    const h = harness();
    const bad = '{"detail":{"amount":[{"numeric":[">=","x"]}]}}';
    const expected = compileEventPattern(bad);
    if (expected.ok) throw new Error("pattern should be invalid");
    const e = await rejects(h.call("PutRule", { Name: "r", EventPattern: bad }));
    expect([e.code, e.message, e.status]).toEqual(["InvalidEventPatternException", expected.error.message, 400]);
    const notJson = await rejects(h.call("PutRule", { Name: "r", EventPattern: "{source" }));
    expect(notJson.message).toMatch(/^Event pattern is not valid\. Reason: /);
  });

  it("schedule expressions", async () => {
    const h = harness();
    for (const s of ["rate(5 minute)", "cron(0 12 * * *)", "cron(0 12 * * * *)", "every 5 minutes"]) {
      const e = await rejects(h.call("PutRule", { Name: "s", ScheduleExpression: s }));
      expect([e.code, e.message]).toEqual(["ValidationException", "Parameter ScheduleExpression is not valid."]);
    }
    await h.call("CreateEventBus", { Name: "b" });
    const onBus = await rejects(h.call("PutRule", { Name: "s", EventBusName: "b", ScheduleExpression: "rate(5 minutes)" }));
    expect(onBus.message).toBe("ScheduleExpression is supported only on the default event bus.");
    const neither = await rejects(h.call("PutRule", { Name: "s" }));
    expect(neither.message).toBe("Parameter(s) EventPattern or ScheduleExpression must be specified.");
  });

  it("member constraints, reported together", async () => {
    const h = harness();
    const e = await rejects(h.call("PutRule", { Name: "bad name", EventPattern: "{}", State: "ON" }));
    expect(e.code).toBe("ValidationException");
    expect(e.message).toBe(
      "2 validation errors detected: Value 'bad name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+; " +
        "Value 'ON' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]",
    );
    const missing = await rejects(h.call("DescribeRule", {}));
    expect(missing.message).toBe("1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null");
    const wrongType = await rejects(h.call("DescribeRule", { Name: 5 }));
    expect(wrongType.code).toBe("SerializationException");
  });

  it("missing rules, deleting a rule with targets, more than five targets", async () => {
    const h = harness();
    const nf = await rejects(h.call("DescribeRule", { Name: "nope" }));
    expect([nf.code, nf.message]).toEqual(["ResourceNotFoundException", "Rule nope does not exist on EventBus default."]);
    expect((await rejects(h.call("PutTargets", { Rule: "nope", Targets: [{ Id: "a", Arn: QUEUE }] }))).message).toBe("Rule nope does not exist on EventBus default.");
    expect((await rejects(h.call("EnableRule", { Name: "nope" }))).code).toBe("ResourceNotFoundException");

    await labRule(h);
    const del = await rejects(h.call("DeleteRule", { Name: "high-value-orders" }));
    expect([del.code, del.message]).toEqual(["ValidationException", "Rule can't be deleted since it has targets."]);

    const five = [1, 2, 3, 4].map((i) => ({ Id: `q${i}`, Arn: `${QUEUE}${i}` }));
    await h.call("PutTargets", { Rule: "high-value-orders", Targets: five });
    const sixth = await rejects(h.call("PutTargets", { Rule: "high-value-orders", Targets: [{ Id: "q5", Arn: `${QUEUE}5` }] }));
    expect(sixth.code).toBe("LimitExceededException");
    // Replacing an existing target is not a sixth one.
    await h.call("PutTargets", { Rule: "high-value-orders", Targets: [{ Id: "q1", Arn: `${QUEUE}9` }] });

    const ids = ((await h.call("ListTargetsByRule", { Rule: "high-value-orders" })).Targets as Array<{ Id: string }>).map((t) => t.Id);
    await h.call("RemoveTargets", { Rule: "high-value-orders", Ids: ids });
    expect(await h.call("ListTargetsByRule", { Rule: "high-value-orders" })).toEqual({ Targets: [] });
    await h.call("DeleteRule", { Name: "high-value-orders" });
    expect((await rejects(h.call("DescribeRule", { Name: "high-value-orders" }))).code).toBe("ResourceNotFoundException");
    await h.call("DeleteRule", { Name: "high-value-orders" }); // deleting what is gone succeeds
  });

  it("target problems: bad ARN, two inputs, bad Input JSON, undefined placeholder, FIFO without group, unsupported service", async () => {
    const h = harness();
    await h.call("PutRule", { Name: "r", EventPattern: '{"source":["a"]}' });
    const put = (t: Record<string, unknown>) => h.call("PutTargets", { Rule: "r", Targets: [{ Id: "t", ...t }] });
    expect((await rejects(put({ Arn: "not-an-arn" }))).message).toBe("Parameter not-an-arn is not valid. Reason: Provided Arn is not in correct format.");
    expect((await rejects(put({ Arn: QUEUE, Input: "{}", InputPath: "$.detail" }))).message).toBe(
      "Only one of Input, InputPath, or InputTransformer must be provided for target t.",
    );
    expect((await rejects(put({ Arn: QUEUE, Input: "{nope" }))).code).toBe("ValidationException");
    expect((await rejects(put({ Arn: QUEUE, InputTransformer: { InputTemplate: '"<who>"' } }))).message).toBe(
      "InputTemplate for target t contains invalid placeholder who.",
    );
    expect((await rejects(put({ Arn: `${QUEUE}.fifo` }))).message).toBe("Parameter(s) SqsParameters must be specified for target: t.");
    const partial = await h.call("PutTargets", {
      Rule: "r",
      Targets: [
        { Id: "logs", Arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/events/x` },
        { Id: "q", Arn: QUEUE },
      ],
    });
    expect(partial.FailedEntryCount).toBe(1);
    expect((partial.FailedEntries as Array<{ TargetId: string }>)[0]?.TargetId).toBe("logs");
    expect(((await h.call("ListTargetsByRule", { Rule: "r" })).Targets as unknown[]).length).toBe(1);
  });

  it("PutEvents: at most 10 entries; per-entry errors", async () => {
    const h = harness();
    const many = await rejects(h.call("PutEvents", { Entries: Array.from({ length: 11 }, () => order(1)) }));
    expect(many.code).toBe("ValidationException");
    const entry =
      "PutEventsRequestEntry(time=null, source=com.myapp.orders, resources=null, detailType=OrderCreated, " +
      'detail={"orderId":"o-1","amount":1,"status":"confirmed"}, eventBusName=null, traceHeader=null, kmsKeyIdentifier=null, internalMetadata=null)';
    expect(many.message).toBe(
      `1 validation error detected: Value '[${Array.from({ length: 11 }, () => entry).join(", ")}]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10`,
    );
    const out = await h.call("PutEvents", {
      Entries: [
        { DetailType: "x", Detail: "{}" },
        { Source: "a", Detail: "{}" },
        { Source: "a", DetailType: "x" },
        { Source: "a", DetailType: "x", Detail: "{not json" },
        { Source: "a", DetailType: "x", Detail: "[1]" },
        { Source: "a", DetailType: "x", Detail: `${'{"a":'.repeat(20_000)}1${"}".repeat(20_000)}` },
        { Source: "aws.ec2", DetailType: "x", Detail: "{}" },
        { Source: "a", DetailType: "x", Detail: "{}" },
      ],
    });
    expect(out.FailedEntryCount).toBe(7);
    expect((out.Entries as Array<Record<string, string>>).map((e) => e.ErrorCode ?? "ok")).toEqual([
      "InvalidArgument",
      "InvalidArgument",
      "InvalidArgument",
      "MalformedDetail",
      "MalformedDetail",
      "MalformedDetail",
      "NotAuthorizedForSourceException",
      "ok",
    ]);
    expect((out.Entries as Array<Record<string, string>>)[0]?.ErrorMessage).toBe("Parameter Source is not valid. Reason: Source is a required argument.");
  });

  it("PutEvents uses the entry's Time (epoch seconds) in the envelope", async () => {
    const h = harness();
    await labRule(h, [{ Id: "q", Arn: QUEUE }]);
    await h.call("PutEvents", { Entries: [{ ...order(1000), Time: Date.UTC(2026, 10, 26, 12, 30, 15) / 1000, Resources: ["arn:aws:x:::y"] }] });
    await h.settle();
    const body = JSON.parse((h.calls[0] as Call).input.MessageBody as string) as Record<string, unknown>;
    expect(body.time).toBe("2026-11-26T12:30:15Z");
    expect(body.resources).toEqual(["arn:aws:x:::y"]);
  });
});

describe("TestEventPattern", () => {
  const event = (amount: number, source = "com.myapp.orders") =>
    JSON.stringify({ id: "1", account: ACCOUNT, source, time: "2026-11-26T12:00:00Z", region: REGION, resources: [], "detail-type": "OrderCreated", detail: { amount } });

  it("answers like AWS", async () => {
    const h = harness();
    expect(await h.call("TestEventPattern", { EventPattern: LAB_PATTERN, Event: event(1000) })).toEqual({ Result: true });
    expect(await h.call("TestEventPattern", { EventPattern: LAB_PATTERN, Event: event(999) })).toEqual({ Result: false });
    expect(await h.call("TestEventPattern", { EventPattern: LAB_PATTERN, Event: event(5000, "other") })).toEqual({ Result: false });
    const badPattern = await rejects(h.call("TestEventPattern", { EventPattern: '{"source":"x"}', Event: event(1) }));
    expect(badPattern.code).toBe("InvalidEventPatternException");
    expect(badPattern.message).toMatch(/^Event pattern is not valid\. Reason: /);
    const badEvent = await rejects(h.call("TestEventPattern", { EventPattern: LAB_PATTERN, Event: '{"source":"x"}' }));
    expect([badEvent.code, badEvent.message]).toEqual(["ValidationException", "Parameter Event is not valid."]);
  });
});

describe("scheduled rules", () => {
  it("rate(5 minutes) fires on the clock with AWS's Scheduled Event, until disabled", async () => {
    const h = harness();
    const start = h.env.scheduler.now();
    const { RuleArn } = await h.call("PutRule", { Name: "every-5", ScheduleExpression: "rate(5 minutes)" });
    await h.call("PutTargets", { Rule: "every-5", Targets: [{ Id: "q", Arn: QUEUE }] });
    await h.settle(4 * 60_000);
    expect(h.calls).toHaveLength(0);
    await h.settle(60_000);
    expect(h.calls).toHaveLength(1);
    const body = JSON.parse((h.calls[0] as Call).input.MessageBody as string) as Record<string, unknown>;
    expect(body).toMatchObject({
      version: "0",
      "detail-type": "Scheduled Event",
      source: "aws.events",
      account: ACCOUNT,
      region: REGION,
      resources: [RuleArn],
      detail: {},
      time: new Date(start + 5 * 60_000).toISOString().replace(".000Z", "Z"),
    });
    await h.settle(10 * 60_000);
    expect(h.calls).toHaveLength(3);
    await h.call("DisableRule", { Name: "every-5" });
    await h.settle(30 * 60_000);
    expect(h.calls).toHaveLength(3);
    expect((await h.call("DescribeRule", { Name: "every-5" })).ScheduleExpression).toBe("rate(5 minutes)");
  });

  it("cron(0/15 * * * ? *) fires at each quarter hour (UTC)", async () => {
    const h = harness();
    await h.call("PutRule", { Name: "quarterly", ScheduleExpression: "cron(0/15 * * * ? *)" });
    await h.call("PutTargets", { Rule: "quarterly", Targets: [{ Id: "f", Arn: FN }] });
    await h.settle(60 * 60_000); // the manual clock starts at 2026-01-01T00:00Z
    const times = h.calls.map((c) => (JSON.parse(c.input.Payload as string) as { time: string }).time);
    expect(times).toEqual(["2026-01-01T00:15:00Z", "2026-01-01T00:30:00Z", "2026-01-01T00:45:00Z", "2026-01-01T01:00:00Z"]);
  });

  it("a schedule survives a restart and stops when the rule is deleted", async () => {
    const h = harness();
    await h.call("PutRule", { Name: "hourly", ScheduleExpression: "cron(0 * * * ? *)" });
    await h.call("PutTargets", { Rule: "hourly", Targets: [{ Id: "q", Arn: QUEUE }] });
    h.events.close?.();
    const h2 = harness(h);
    await h2.settle(60 * 60_000);
    expect(h2.calls).toHaveLength(1);
    await h2.call("RemoveTargets", { Rule: "hourly", Ids: ["q"] });
    await h2.call("DeleteRule", { Name: "hourly" });
    await h2.settle(3 * 60 * 60_000);
    expect(h2.calls).toHaveLength(1);
  });
});

describe("durability", () => {
  it("rules, targets and an accepted event survive a restart; the event is delivered once", async () => {
    const h = harness();
    await labRule(h, [{ Id: "q", Arn: QUEUE }]);
    await h.call("PutEvents", { Entries: [order(1000)] });
    // Killed before the next tick: nothing delivered yet.
    h.events.close?.();
    expect(h.calls).toHaveLength(0);

    const h2 = harness(h);
    expect((await h2.call("DescribeRule", { Name: "high-value-orders" })).EventPattern).toBe(LAB_PATTERN);
    await h2.settle();
    expect(h2.calls).toHaveLength(1);
    expect(JSON.parse((h2.calls[0] as Call).input.MessageBody as string)).toMatchObject({ detail: { amount: 1000 } });

    // The restored rule's compiled pattern still selects.
    await h2.call("PutEvents", { Entries: [order(10), order(10_000)] });
    await h2.settle();
    expect(h2.calls).toHaveLength(2);

    const h3 = harness(h2);
    await h3.settle();
    expect(h3.calls).toHaveLength(0);
  });

  it("resetAccount removes the account's buses, rules and pending deliveries only", async () => {
    const h = harness();
    await labRule(h, [{ Id: "q", Arn: QUEUE }]);
    await h.call("CreateEventBus", { Name: "b" });
    await h.call("PutRule", { Name: "mine", EventPattern: '{"source":["a"]}' }, rootContext(OTHER, REGION));
    await h.call("PutEvents", { Entries: [order(1000)] });
    h.events.resetAccount(ACCOUNT);
    await h.settle();
    expect(h.calls).toHaveLength(0);
    expect(await h.call("ListRules", {})).toEqual({ Rules: [] });
    expect(((await h.call("ListEventBuses", {})).EventBuses as Array<{ Name: string }>).map((b) => b.Name)).toEqual(["default"]);
    expect(((await h.call("ListRules", {}, rootContext(OTHER, REGION))).Rules as unknown[]).length).toBe(1);
    const h2 = harness(h);
    expect(await h2.call("ListRules", {})).toEqual({ Rules: [] });
  });
});

describe("listing and tags", () => {
  it("ListRules filters by prefix and pages with NextToken", async () => {
    const h = harness();
    for (const n of ["a1", "a2", "a3", "b1"]) await h.call("PutRule", { Name: n, EventPattern: '{"source":["x"]}' });
    expect(((await h.call("ListRules", { NamePrefix: "a" })).Rules as Array<{ Name: string }>).map((r) => r.Name)).toEqual(["a1", "a2", "a3"]);
    const p1 = await h.call("ListRules", { Limit: 3 });
    expect((p1.Rules as Array<{ Name: string }>).map((r) => r.Name)).toEqual(["a1", "a2", "a3"]);
    expect(typeof p1.NextToken).toBe("string");
    const p2 = await h.call("ListRules", { Limit: 3, NextToken: p1.NextToken });
    expect((p2.Rules as Array<{ Name: string }>).map((r) => r.Name)).toEqual(["b1"]);
    expect(p2.NextToken).toBeUndefined();
    expect((await rejects(h.call("ListRules", { NextToken: "garbage" }))).code).toBe("ValidationException");
  });

  it("tags rules and buses", async () => {
    const h = harness();
    const { RuleArn } = await h.call("PutRule", { Name: "r", EventPattern: '{"source":["x"]}', Tags: [{ Key: "team", Value: "orders" }] });
    await h.call("TagResource", { ResourceARN: RuleArn, Tags: [{ Key: "env", Value: "lab" }, { Key: "team", Value: "shop" }] });
    expect(await h.call("ListTagsForResource", { ResourceARN: RuleArn })).toEqual({
      Tags: [
        { Key: "team", Value: "shop" },
        { Key: "env", Value: "lab" },
      ],
    });
    await h.call("UntagResource", { ResourceARN: RuleArn, TagKeys: ["team"] });
    expect(await h.call("ListTagsForResource", { ResourceARN: RuleArn })).toEqual({ Tags: [{ Key: "env", Value: "lab" }] });
    const busArn = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`;
    await h.call("TagResource", { ResourceARN: busArn, Tags: [{ Key: "k", Value: "v" }] });
    expect(await harness(h).call("ListTagsForResource", { ResourceARN: busArn })).toEqual({ Tags: [{ Key: "k", Value: "v" }] });
    const missing = await rejects(h.call("ListTagsForResource", { ResourceARN: `arn:aws:events:${REGION}:${ACCOUNT}:rule/nope` }));
    expect([missing.code, missing.message]).toEqual(["ResourceNotFoundException", "Rule nope does not exist on EventBus default."]);
  });
});
