// SQS event source mappings: the Lambda service polls the sandbox's real SQS as the function's
// execution role (assumed through the real IAM and STS), invokes the function with a batch and
// deletes what succeeded (ReportBatchItemFailures honoured).
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AwsError, ServiceModule } from "@/sandbox/core/contracts";
import { rootContext } from "@/sandbox/core/memory-environment";
import { createLambdaService } from "@/sandbox/services/lambda";
import { MAPPINGS_TABLE, type MappingRecord } from "@/sandbox/services/lambda/models";
import { REPORT_FUNCTION, startLambdaRecorder, type LambdaRecorder } from "@/test/support/lambda-recorder";
import { registerIdentity, trustedBy } from "../states/helpers";
import { lambdaWithSqs, ROLE, tempEnvironment, zipOf, removeTempDirs } from "./helpers";

// Child processes (and, for the first definition, asl-validator) take seconds on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

const services: ServiceModule[] = [];
const recorders: LambdaRecorder[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) s.close?.();
  removeTempDirs();
  await Promise.all(recorders.splice(0).map((r) => r.close()));
});

const QUEUE_ARN = "arn:aws:sqs:us-east-1:000000000000:inventory-updates";

/** Lambda and the real SQS, as the default account's root; `recorder` gets what jailed functions report. */
function lambdaAndSqs(recorder?: LambdaRecorder) {
  const { env, lambda, sqs } = lambdaWithSqs(recorder?.options);
  services.push(lambda, sqs);
  return { env, ctx: rootContext() };
}

describe("SQS event source mappings", () => {
  it("invokes the function with batches and deletes all but the reported failures", async () => {
    const recorder = await startLambdaRecorder();
    recorders.push(recorder);
    const { env, ctx } = lambdaAndSqs(recorder);
    // The function's execution role, which Lambda may assume.
    await registerIdentity(env).role("lab-lambda-role", ctx, trustedBy("lambda.amazonaws.com"));
    const code = `
      ${REPORT_FUNCTION}
      export const handler = async (event) => {
        const failures = [];
        for (const r of event.Records) {
          await report({ body: r.body, source: r.eventSource, arn: r.eventSourceARN, attr: r.messageAttributes.kind?.stringValue });
          if (r.body === "bad") failures.push({ itemIdentifier: r.messageId });
        }
        return { batchItemFailures: failures };
      };`;
    await env.call("lambda", "CreateFunction", { FunctionName: "inventory-worker", Runtime: "nodejs20.x", Role: ROLE, Handler: "index.handler", Code: { ZipFile: zipOf({ "index.mjs": code }) } }, ctx);
    const { QueueUrl } = await env.call("sqs", "CreateQueue", { QueueName: "inventory-updates", Attributes: { VisibilityTimeout: "60" } }, ctx);
    const created = await env.call("lambda", "CreateEventSourceMapping", {
      FunctionName: "inventory-worker", EventSourceArn: QUEUE_ARN, BatchSize: 10, FunctionResponseTypes: ["ReportBatchItemFailures"],
    }, ctx);
    expect(created).toMatchObject({ EventSourceArn: QUEUE_ARN, FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:inventory-worker", BatchSize: 10, State: "Creating" });
    const dup = await env.call("lambda", "CreateEventSourceMapping", { FunctionName: "inventory-worker", EventSourceArn: QUEUE_ARN }, ctx).catch((e: unknown) => e);
    expect((dup as AwsError).code).toBe("ResourceConflictException");

    for (const body of ["one", "bad", "two"]) {
      await env.call("sqs", "SendMessage", { QueueUrl, MessageBody: body, MessageAttributes: { kind: { DataType: "String", StringValue: "stock" } } }, ctx);
    }
    const records = () => recorder.reports() as Record<string, unknown>[];
    for (let i = 0; i < 100 && records().length < 3; i++) {
      await env.scheduler.advance(1000);
      await new Promise((r) => setTimeout(r, 30));
    }
    expect(records().map((r) => r.body).sort()).toEqual(["bad", "one", "two"]);
    expect(records()[0]).toMatchObject({ source: "aws:sqs", arn: QUEUE_ARN, attr: "stock" });
    // Once the deletes are through, only the reported failure is left (in flight).
    const counts = async () => (await env.call("sqs", "GetQueueAttributes", { QueueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }, ctx)).Attributes;
    for (let i = 0; i < 100 && (await counts() as Record<string, string>).ApproximateNumberOfMessagesNotVisible !== "1"; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await counts()).toMatchObject({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "1" });

    const listed = await env.call("lambda", "ListEventSourceMappings", { FunctionName: "inventory-worker" }, ctx);
    expect((listed.EventSourceMappings as { UUID: string; LastProcessingResult: string }[])[0]).toMatchObject({ UUID: created.UUID, LastProcessingResult: "OK" });
    const disabled = await env.call("lambda", "UpdateEventSourceMapping", { UUID: created.UUID, Enabled: false }, ctx);
    expect(disabled.State).toBe("Disabled");
    await env.call("lambda", "DeleteEventSourceMapping", { UUID: created.UUID }, ctx);
    const gone = await env.call("lambda", "GetEventSourceMapping", { UUID: created.UUID }, ctx).catch((e: unknown) => e);
    expect((gone as AwsError).code).toBe("ResourceNotFoundException");
  });

  it("accepts only SQS sources", async () => {
    const env = tempEnvironment();
    const lambda = createLambdaService(env);
    services.push(lambda);
    env.register(lambda);
    const ctx = rootContext();
    await env.call("lambda", "CreateFunction", { FunctionName: "f", Runtime: "nodejs20.x", Role: ROLE, Handler: "index.handler", Code: { ZipFile: zipOf({ "index.mjs": "" }) } }, ctx);
    const err = await env.call("lambda", "CreateEventSourceMapping", { FunctionName: "f", EventSourceArn: "arn:aws:kinesis:us-east-1:000000000000:stream/s" }, ctx).catch((e: unknown) => e);
    expect((err as AwsError).code).toBe("InvalidParameterValueException");
    expect((err as AwsError).message).toContain("only SQS queues can trigger a function");
  });

  it("refuses a mapping, and polls nothing, for a role that does not trust Lambda", async () => {
    const { env, ctx } = lambdaAndSqs();
    const { role } = registerIdentity(env);
    const untrusting = await role("for-step-functions", ctx, trustedBy("states.amazonaws.com"));
    await env.call("lambda", "CreateFunction", { FunctionName: "f", Runtime: "nodejs20.x", Role: untrusting, Handler: "index.handler", Code: { ZipFile: zipOf({ "index.mjs": "export const handler = async () => 1;" }) } }, ctx);
    const { QueueUrl } = await env.call("sqs", "CreateQueue", { QueueName: "inventory-updates" }, ctx);
    await env.call("sqs", "SendMessage", { QueueUrl, MessageBody: "stays" }, ctx);
    const refused = (await env.call("lambda", "CreateEventSourceMapping", { FunctionName: "f", EventSourceArn: QUEUE_ARN }, ctx).catch((e: unknown) => e)) as AwsError;
    expect([refused.code, refused.status, refused.message]).toEqual([
      "InvalidParameterValueException", 400, "The function execution role does not have permissions to call GetQueueAttributes on SQS",
    ]);

    // A mapping stored before (the role trusted Lambda then): polling fails as on AWS, and says so.
    const mapping: MappingRecord = {
      uuid: "u-1", accountId: "000000000000", region: "us-east-1", functionName: "f", eventSourceArn: QUEUE_ARN, batchSize: 10,
      maximumBatchingWindowInSeconds: 0, enabled: true, functionResponseTypes: [], lastModified: 0, lastProcessingResult: "OK",
    };
    env.store.put(MAPPINGS_TABLE, "000000000000/us-east-1/u-1", mapping);
    const restarted = createLambdaService(env);
    services.push(restarted);
    env.register(restarted);
    for (let i = 0; i < 3; i++) {
      await env.scheduler.advance(1000);
      await new Promise((r) => setTimeout(r, 30));
    }
    const got = await env.call("lambda", "GetEventSourceMapping", { UUID: "u-1" }, ctx);
    expect(got.LastProcessingResult).toBe("PROBLEM: The role defined for the function cannot be assumed by Lambda.");
    const counts = (await env.call("sqs", "GetQueueAttributes", { QueueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }, ctx)).Attributes;
    expect(counts).toMatchObject({ ApproximateNumberOfMessages: "1", ApproximateNumberOfMessagesNotVisible: "0" });
  });
});
