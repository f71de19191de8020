// A memory-environment SQS for handler tests: calls go through env.call as the core's would,
// time moves only with advance(), and a second service can be built on the same store to prove
// that state survives a restart.
import type { RequestContext } from "@/sandbox/core/contracts";
import { memoryEnvironment, rootContext } from "@/sandbox/core/memory-environment";
import { createSqsService } from "@/sandbox/services/sqs";

export const ACCOUNT = "000000000000";
export const ENDPOINT = "http://127.0.0.1:4566";

export type Out = Record<string, unknown> & {
  QueueUrl?: string;
  Messages?: Array<{ MessageId: string; ReceiptHandle: string; Body: string; MD5OfBody: string; Attributes?: Record<string, string>; MessageAttributes?: Record<string, unknown>; MD5OfMessageAttributes?: string }>;
  Attributes?: Record<string, string>;
};

export function setup() {
  const env = memoryEnvironment();
  let sqs = createSqsService(env);
  env.register(sqs);
  const ctx = (over: Partial<RequestContext> = {}): RequestContext => ({ ...rootContext(ACCOUNT), endpoint: ENDPOINT, now: env.scheduler.now(), ...over });
  const call = (op: string, input: Record<string, unknown>, c: RequestContext = ctx()) => env.call("sqs", op, input, c) as Promise<Out>;
  return {
    env,
    ctx,
    call,
    advance: (ms: number) => env.scheduler.advance(ms),
    /** A new service instance over the same store, as after a restart. */
    restart() {
      sqs.close?.();
      sqs = createSqsService(env);
      env.register(sqs);
      return sqs;
    },
    get service() {
      return sqs;
    },
    async queue(name: string, attributes: Record<string, string> = {}) {
      const r = await call("CreateQueue", { QueueName: name, Attributes: attributes });
      return r.QueueUrl!;
    },
    async attr(url: string, name: string) {
      const r = await call("GetQueueAttributes", { QueueUrl: url, AttributeNames: [name] });
      return r.Attributes?.[name];
    },
  };
}

export async function errorOf(p: Promise<unknown>): Promise<{ code: string; message: string; status: number; queryCode?: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string; status: number; queryCode?: string };
  }
  throw new Error("expected the call to fail");
}
