// EventBridge (AWS JSON 1.1, X-Amz-Target "AWSEvents.<Operation>", signing name "events"): event
// buses, rules with event patterns (the shared semantics/event-pattern) or schedules, targets with
// Input/InputPath/InputTransformer, PutEvents with durable delivery to SQS, SNS, Lambda, Step
// Functions and other event buses through env.call, bus policies (PutPermission) for other
// accounts, TestEventPattern and tags. Every bus, rule and role reference goes through arns.ts.
import type { RequestContext, ServiceEnvironment, ServiceModule } from "@/sandbox/core/contracts";
import { operationTable, type OperationInput } from "@/sandbox/core/operation-table";
import { Deliverer, type DeliveryFailure, type RuleMetrics } from "./delivery";
import { handlers, type Events } from "./handlers";
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

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/**
 * The resource an operation acts on, for IAM evaluation of assumed-role callers: another
 * account's bus (or a rule on it) when the request names one by ARN. Never throws: malformed
 * input is reported by the handler, with AWS's message.
 */
function resourceOf(name: keyof typeof handlers, input: OperationInput, ctx: RequestContext): string {
  const bus = (member: string) => busArnOf(str(input[member]), ctx);
  const rule = (member: string) => ruleArnOf(str(input.EventBusName), str(input[member]) ?? "*", ctx);
  switch (name) {
    case "CreateEventBus":
    case "DescribeEventBus":
    case "DeleteEventBus":
      return bus("Name");
    case "PutRule":
    case "DescribeRule":
    case "DeleteRule":
    case "EnableRule":
    case "DisableRule":
      return rule("Name");
    case "PutTargets":
    case "ListTargetsByRule":
    case "RemoveTargets":
      return rule("Rule");
    case "ListRuleNamesByTarget":
      return ruleArnOf(str(input.EventBusName), "*", ctx);
    case "PutEvents": {
      const first: unknown = Array.isArray(input.Entries) ? input.Entries[0] : undefined;
      return busArnOf(first !== null && typeof first === "object" ? str((first as OperationInput).EventBusName) : undefined, ctx);
    }
    case "PutPermission":
    case "RemovePermission":
      return bus("EventBusName");
    case "TagResource":
    case "UntagResource":
    case "ListTagsForResource":
      return str(input.ResourceARN) ?? "*";
    case "ListEventBuses":
    case "ListRules":
    case "TestEventPattern":
      return "*";
  }
}

export function createEventsService(env: ServiceEnvironment): EventsServiceModule {
  const model = new EventsModel(env.store);
  const delivery = new Deliverer(env);
  const lookup = (arn: string): Rule | undefined => {
    for (const bus of model.allBuses()) for (const rule of bus.rules.values()) if (rule.arn === arn) return rule;
    return undefined;
  };
  const timers = new RuleTimers(env, delivery, lookup);
  const svc: Events = { env, model, delivery, timers };
  const operations = operationTable<Events, keyof typeof handlers>({ prefix: "events", service: svc, handlers, resource: resourceOf });

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
