// SNS in the sandbox: topics, subscriptions, Publish with filter-policy routing and delivery to
// SQS, Lambda and http/https. Speaks only the query protocol (XML responses).
import type { RequestContext, ServiceEnvironment, ServiceModule } from "@/sandbox/core/contracts";
import { operationTable } from "@/sandbox/core/operation-table";
import { DeliveryQueue } from "./delivery";
import { handlers } from "./handlers";
import type { Sns } from "./handlers";
import { SnsState } from "./models";
import { snsQueryCodec } from "./protocol";
import type { Input } from "./validate";

export interface SnsServiceModule extends ServiceModule {
  /** For tests: resolves once no delivery attempt is running; `pending` counts undelivered records. */
  deliveries: { idle(): Promise<void>; pending(): number };
}

/** The sandbox's address for SubscribeURL/UnsubscribeURL, when the core provides one. */
function publicUrl(env: ServiceEnvironment): string {
  const url = (env.options as { publicUrl?: unknown }).publicUrl;
  return typeof url === "string" && url !== "" ? url.replace(/\/+$/, "") : "http://localhost:4566";
}

/** The ARN IAM authorizes an SNS operation against: the topic, for subscriptions too. */
function resourceOf(name: keyof typeof handlers, input: Input, ctx: RequestContext): string {
  const member = (key: string) => (typeof input[key] === "string" ? (input[key] as string) : undefined);
  switch (name) {
    case "CreateTopic":
      return `arn:aws:sns:${ctx.region}:${ctx.accountId}:${String(input.Name ?? "")}`;
    case "ListTopics":
    case "ListSubscriptions":
      return "*";
    case "Unsubscribe":
    case "GetSubscriptionAttributes":
    case "SetSubscriptionAttributes": {
      const arn = member("SubscriptionArn");
      return arn !== undefined && arn.split(":").length === 7 ? arn.slice(0, arn.lastIndexOf(":")) : "*";
    }
    case "Publish":
      return member("TopicArn") ?? member("TargetArn") ?? "*";
    case "TagResource":
    case "UntagResource":
    case "ListTagsForResource":
      return member("ResourceArn") ?? "*";
    default:
      return member("TopicArn") ?? "*";
  }
}

export function createSnsService(env: ServiceEnvironment): SnsServiceModule {
  const state = new SnsState(env.store);
  // Read on each use: the core learns its own address (port 0) only after services are built.
  const urls = {
    get base() {
      return publicUrl(env);
    },
  };
  const deliveries = new DeliveryQueue(env, state, urls);
  const sns: Sns = { env, state, deliveries, urls };
  // FIFO deduplication ids expire after five minutes; forget them now and then.
  const pruning = env.scheduler.setInterval(() => state.pruneDedup(env.scheduler.now()), 60_000);

  return {
    definition: {
      signingName: "sns",
      query: snsQueryCodec,
      operations: operationTable<Sns, keyof typeof handlers>({
        prefix: "sns",
        service: sns,
        handlers,
        resource: resourceOf,
        actions: { PublishBatch: "sns:Publish" },
      }),
    },
    resetAccount(accountId) {
      deliveries.resetAccount(accountId);
      state.resetAccount(accountId);
    },
    close() {
      pruning.cancel();
      deliveries.close();
    },
    deliveries: { idle: () => deliveries.idle(), pending: () => deliveries.size() },
  };
}
