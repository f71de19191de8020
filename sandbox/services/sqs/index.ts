// The SQS service of the sandbox: AWS JSON 1.0 (X-Amz-Target AmazonSQS.*) and the query protocol.
import { operationTable } from "@/sandbox/core/operation-table";
import type { ServiceEnvironment, ServiceModule } from "@/sandbox/core/contracts";
import type { Sqs } from "./handlers";
import { handlers } from "./handlers";
import { resourceOf } from "./access";
import { SqsModel } from "./models";
import { sqsQueryCodec } from "./protocol";

export function createSqsService(env: ServiceEnvironment): ServiceModule {
  const model = new SqsModel(env.store, env.scheduler);
  const operations = operationTable<Sqs, keyof typeof handlers>({
    prefix: "sqs",
    service: { model, env },
    handlers,
    resource: (name, input, ctx) => (name === "ListQueues" ? "*" : resourceOf(input, ctx)),
    // Answer only once the operation's writes (and any before them) are committed. Most
    // operations finish synchronously, and then so does this: no promise, no extra turn.
    around: (run) => model.answer(run),
  });
  return {
    definition: { signingName: "sqs", targetPrefix: "AmazonSQS", jsonVersion: "1.0", query: sqsQueryCodec, operations },
    resetAccount: (accountId) => model.resetAccount(accountId),
    close: () => model.close(),
  };
}
