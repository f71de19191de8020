// The SQS service of the sandbox: AWS JSON 1.0 (X-Amz-Target AmazonSQS.*) and the query protocol.
import type { Operation, RequestContext, ServiceEnvironment, ServiceModule } from "@/sandbox/core/contracts";
import type { Input } from "./input";
import type { Sqs } from "./handlers";
import { handlers } from "./handlers";
import { resourceOf } from "./access";
import { SqsModel } from "./models";
import { sqsQueryCodec } from "./protocol";

export function createSqsService(env: ServiceEnvironment): ServiceModule {
  const model = new SqsModel(env.store, env.scheduler);
  const s: Sqs = { model, env };
  const operations: Record<string, Operation<never, never>> = {};
  for (const [name, handler] of Object.entries(handlers)) {
    const op: Operation<Input, Record<string, unknown>> = {
      action: `sqs:${name}`,
      resource: (input: Input, ctx: RequestContext) => (name === "ListQueues" ? "*" : resourceOf(input, ctx)),
      // Answer only once the operation's writes (and any before them) are committed. Most
      // operations finish synchronously, and then so does this: no promise, no extra turn.
      handler: (input: Input, ctx: RequestContext) => {
        const run = handler as (s: Sqs, input: Input, ctx: RequestContext) => Record<string, unknown> | Promise<Record<string, unknown>>;
        return model.answer(() => run(s, input ?? {}, ctx));
      },
    };
    operations[name] = op as unknown as Operation<never, never>;
  }
  return {
    definition: { signingName: "sqs", targetPrefix: "AmazonSQS", jsonVersion: "1.0", query: sqsQueryCodec, operations },
    resetAccount: (accountId) => model.resetAccount(accountId),
    close: () => model.close(),
  };
}
