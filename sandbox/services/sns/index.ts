// SNS in the sandbox: topics, subscriptions, Publish with filter-policy routing and delivery to
// SQS, Lambda and http/https. Speaks only the query protocol (XML responses).
import type { Operation, RequestContext, ServiceEnvironment, ServiceModule } from "@/sandbox/core/contracts";
import { DeliveryQueue } from "./delivery";
import * as handlers from "./handlers";
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

const topicResource = (member: string) => (input: Input) => (typeof input[member] === "string" ? (input[member] as string) : "*");
/** IAM authorizes subscription operations on the subscription's topic. */
const subscriptionResource = (input: Input) => {
  const arn = input.SubscriptionArn;
  return typeof arn === "string" && arn.split(":").length === 7 ? arn.slice(0, arn.lastIndexOf(":")) : "*";
};

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

  const op = (
    name: keyof typeof handlers & string,
    resource: (input: Input, ctx: RequestContext) => string,
    action = `sns:${name}`,
  ): Operation<never, never> => {
    const handler = handlers[name] as (sns: Sns, input: Input, ctx: RequestContext) => Record<string, unknown>;
    const operation: Operation<Input, Record<string, unknown>> = { action, resource, handler: (input, ctx) => handler(sns, input ?? {}, ctx) };
    return operation as unknown as Operation<never, never>;
  };
  const any = () => "*";

  return {
    definition: {
      signingName: "sns",
      query: snsQueryCodec,
      operations: {
        CreateTopic: op("CreateTopic", (input, ctx) => `arn:aws:sns:${ctx.region}:${ctx.accountId}:${String(input.Name ?? "")}`),
        DeleteTopic: op("DeleteTopic", topicResource("TopicArn")),
        ListTopics: op("ListTopics", any),
        GetTopicAttributes: op("GetTopicAttributes", topicResource("TopicArn")),
        SetTopicAttributes: op("SetTopicAttributes", topicResource("TopicArn")),
        Subscribe: op("Subscribe", topicResource("TopicArn")),
        ConfirmSubscription: op("ConfirmSubscription", topicResource("TopicArn")),
        Unsubscribe: op("Unsubscribe", subscriptionResource),
        ListSubscriptions: op("ListSubscriptions", any),
        ListSubscriptionsByTopic: op("ListSubscriptionsByTopic", topicResource("TopicArn")),
        GetSubscriptionAttributes: op("GetSubscriptionAttributes", subscriptionResource),
        SetSubscriptionAttributes: op("SetSubscriptionAttributes", subscriptionResource),
        Publish: op("Publish", (input) => topicResource("TopicArn")(input) !== "*" ? (input.TopicArn as string) : topicResource("TargetArn")(input)),
        PublishBatch: op("PublishBatch", topicResource("TopicArn"), "sns:Publish"),
        TagResource: op("TagResource", topicResource("ResourceArn")),
        UntagResource: op("UntagResource", topicResource("ResourceArn")),
        ListTagsForResource: op("ListTagsForResource", topicResource("ResourceArn")),
      },
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
