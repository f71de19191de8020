// EventBridge (AWS JSON 1.1, X-Amz-Target "AWSEvents.<Operation>", signing name "events"): event
// buses, rules with event patterns (the shared semantics/event-pattern) or schedules, targets with
// Input/InputPath/InputTransformer, PutEvents with durable delivery to SQS, SNS, Lambda, Step
// Functions and other event buses through env.call, bus policies (PutPermission) for other
// accounts, TestEventPattern and tags. Every bus, rule and role reference goes through arns.ts.
import type { Operation, RequestContext, ServiceEnvironment, ServiceModule } from "@/sandbox/core/contracts";
import { Deliverer, type DeliveryFailure, type RuleMetrics } from "./delivery";
import * as handlers from "./handlers";
import type { EventsContext } from "./handlers";
import { busArnOf, ruleArnOf } from "./arns";
import { EventsModel, type Rule } from "./models";
import { RuleTimers } from "./timers";

export interface EventsServiceModule extends ServiceModule {
  /** Resolves once no delivery is in progress (tests; the manual clock still has to reach retries). */
  idle(): Promise<void>;
  /** Counters of a rule since start (CloudWatch's MatchedEvents, Invocations, FailedInvocations). */
  metrics(ruleArn: string): RuleMetrics;
  /** The latest deliveries a target refused for good (AccessDenied, missing queue…), newest last. */
  recentFailures(): readonly DeliveryFailure[];
}

type Input = Record<string, unknown>;
type Handler = (svc: EventsContext, input: Input, ctx: RequestContext) => unknown;

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

// The resource an operation acts on, for IAM evaluation of assumed-role callers: another
// account's bus (or a rule on it) when the request names one by ARN. Never throws: malformed
// input is reported by the handler, with AWS's message.
function busResource(input: Input, ctx: RequestContext, member = "EventBusName"): string {
  return busArnOf(str(input[member]), ctx);
}

function ruleResource(input: Input, ctx: RequestContext, member = "Name"): string {
  return ruleArnOf(str(input.EventBusName), str(input[member]) ?? "*", ctx);
}

const fromArn = (input: Input) => str(input.ResourceARN) ?? "*";

export function createEventsService(env: ServiceEnvironment): EventsServiceModule {
  const model = new EventsModel(env.store);
  const delivery = new Deliverer(env);
  const lookup = (arn: string): Rule | undefined => {
    for (const bus of model.allBuses()) for (const rule of bus.rules.values()) if (rule.arn === arn) return rule;
    return undefined;
  };
  const timers = new RuleTimers(env, delivery, lookup);
  const svc: EventsContext = { env, model, delivery, timers };

  const op = (
    name: keyof typeof handlers & string,
    resource: (input: Input, ctx: RequestContext) => string = () => "*",
  ): Operation<never, never> => {
    const handler = handlers[name] as Handler;
    const operation: Operation<Input, Record<string, unknown>> = {
      action: `events:${name}`,
      resource: (input, ctx) => resource(input !== null && typeof input === "object" ? input : {}, ctx),
      handler: (input, ctx) => handler(svc, input ?? {}, ctx) as Record<string, unknown>,
    };
    return operation as unknown as Operation<never, never>;
  };

  const operations: Record<string, Operation<never, never>> = {
    CreateEventBus: op("CreateEventBus", (i, c) => busResource(i, c, "Name")),
    DescribeEventBus: op("DescribeEventBus", (i, c) => busResource(i, c, "Name")),
    ListEventBuses: op("ListEventBuses"),
    DeleteEventBus: op("DeleteEventBus", (i, c) => busResource(i, c, "Name")),
    PutRule: op("PutRule", (i, c) => ruleResource(i, c)),
    DescribeRule: op("DescribeRule", (i, c) => ruleResource(i, c)),
    ListRules: op("ListRules"),
    DeleteRule: op("DeleteRule", (i, c) => ruleResource(i, c)),
    EnableRule: op("EnableRule", (i, c) => ruleResource(i, c)),
    DisableRule: op("DisableRule", (i, c) => ruleResource(i, c)),
    PutTargets: op("PutTargets", (i, c) => ruleResource(i, c, "Rule")),
    ListTargetsByRule: op("ListTargetsByRule", (i, c) => ruleResource(i, c, "Rule")),
    RemoveTargets: op("RemoveTargets", (i, c) => ruleResource(i, c, "Rule")),
    ListRuleNamesByTarget: op("ListRuleNamesByTarget", (i, c) => ruleResource({ ...i, Name: "*" }, c)),
    PutEvents: op("PutEvents", (i, c) => {
      const first = Array.isArray(i.Entries) ? (i.Entries[0] as Input | undefined) : undefined;
      return busResource(first && typeof first === "object" ? first : {}, c);
    }),
    TestEventPattern: op("TestEventPattern"),
    PutPermission: op("PutPermission", (i, c) => busResource(i, c)),
    RemovePermission: op("RemovePermission", (i, c) => busResource(i, c)),
    TagResource: op("TagResource", fromArn),
    UntagResource: op("UntagResource", fromArn),
    ListTagsForResource: op("ListTagsForResource", fromArn),
  };

  // Arm the schedules of stored rules, and finish deliveries a killed process left pending.
  for (const bus of model.allBuses()) for (const rule of bus.rules.values()) timers.sync(rule);
  delivery.recover();

  return {
    definition: { signingName: "events", targetPrefix: "AWSEvents", jsonVersion: "1.1", operations },
    resetAccount(accountId: string) {
      for (const bus of model.allBuses()) {
        if (bus.record.accountId !== accountId) continue;
        for (const rule of bus.rules.values()) timers.disarm(rule.arn);
      }
      model.resetAccount(accountId);
      delivery.resetAccount(accountId);
    },
    close() {
      timers.close();
      delivery.close();
    },
    idle: () => delivery.idle(),
    metrics: (arn) => ({ ...delivery.metricsFor(arn) }),
    recentFailures: () => [...delivery.failures],
  };
}
