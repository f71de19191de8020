// A memory environment with SNS and fake SQS / Lambda services that record what SNS sends them.
import { AwsError, type RequestContext, type ServiceModule } from "@/sandbox/core/contracts";
import { memoryEnvironment, rootContext } from "@/sandbox/core/memory-environment";
import { createSnsService, type SnsServiceModule } from "@/sandbox/services/sns";

export const ACCOUNT = "000000000000";
export const REGION = "us-east-1";

export interface Recorded {
  input: Record<string, unknown>;
  ctx: RequestContext;
}

/** A service that records calls and throws what `refuse` returns (an error) for calls it refuses. */
export function fakeService(signingName: string, operation: string, refuse: (r: Recorded) => Error | undefined = () => undefined) {
  const calls: Recorded[] = [];
  const refused: Recorded[] = [];
  const module: ServiceModule = {
    definition: {
      signingName,
      operations: {
        [operation]: {
          action: `${signingName}:${operation}`,
          handler: (input: Record<string, unknown>, ctx: RequestContext) => {
            const r = { input, ctx };
            const err = refuse(r);
            if (err) {
              refused.push(r);
              throw err;
            }
            calls.push(r);
            return { MessageId: `m-${calls.length}` };
          },
        },
      } as never,
    },
    resetAccount() {},
  };
  return { module, calls, refused, refuse };
}

export const accessDenied = () => new AwsError("AccessDenied", "Access to the resource is denied.", 403);

export function queueArn(name: string, account = ACCOUNT) {
  return `arn:aws:sqs:${REGION}:${account}:${name}`;
}

export function setup(options: { refuse?: (r: Recorded) => Error | undefined } = {}) {
  const env = memoryEnvironment();
  const sqs = fakeService("sqs", "SendMessage", options.refuse);
  const lambda = fakeService("lambda", "Invoke");
  env.register(sqs.module);
  env.register(lambda.module);
  let sns: SnsServiceModule = createSnsService(env);
  env.register(sns);

  const ctx = (account = ACCOUNT) => rootContext(account, REGION, env.scheduler.now());
  async function call(operation: string, input: Record<string, unknown>, context: RequestContext = ctx()): Promise<Record<string, unknown>> {
    const op = sns.definition.operations[operation] as unknown as { handler: (i: unknown, c: RequestContext) => unknown } | undefined;
    if (!op) throw new Error(`no operation ${operation}`);
    return (await op.handler(input, context)) as Record<string, unknown>;
  }
  /** Lets due deliveries run to completion (timers up to `ms` from now). */
  async function flush(ms = 0) {
    for (let i = 0; i < 5; i++) {
      await env.scheduler.advance(i === 0 ? ms : 0);
      await sns.deliveries.idle();
    }
  }
  /** Simulates a restart: a new SNS service on the same store. */
  function restart() {
    sns.close?.();
    sns = createSnsService(env);
    env.register(sns);
    return sns;
  }
  async function topic(name = "order-events", attributes?: Record<string, string>) {
    return (await call("CreateTopic", { Name: name, ...(attributes ? { Attributes: attributes } : {}) })).TopicArn as string;
  }
  async function subscribeQueue(topicArn: string, queue: string, attributes?: Record<string, string>) {
    const out = await call("Subscribe", { TopicArn: topicArn, Protocol: "sqs", Endpoint: queueArn(queue), ...(attributes ? { Attributes: attributes } : {}) });
    return out.SubscriptionArn as string;
  }
  /** Queue names that received a message, from the QueueUrl SNS sent to. */
  const received = () => sqs.calls.map((c) => String(c.input.QueueUrl).split("/").pop());

  return { env, sqs, lambda, get sns() { return sns; }, ctx, call, flush, restart, topic, subscribeQueue, received };
}

export async function rejection(p: Promise<unknown>): Promise<AwsError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AwsError) return e;
    throw e;
  }
  throw new Error("expected an AwsError");
}
