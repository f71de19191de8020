// Lambda over the wire with the AWS SDK v3: REST-JSON routes, raw Invoke payloads and headers,
// and errors the SDK turns into its exception classes.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AttachRolePolicyCommand, CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";
import {
  AddPermissionCommand, CreateEventSourceMappingCommand, CreateFunctionCommand, DeleteEventSourceMappingCommand, DeleteFunctionCommand, GetFunctionCommand, GetPolicyCommand, InvokeCommand,
  LambdaClient, ListFunctionsCommand, RemovePermissionCommand, ResourceConflictException, ResourceNotFoundException,
  UpdateFunctionCodeCommand, waitUntilFunctionActiveV2,
} from "@aws-sdk/client-lambda";
import { startTestSandbox } from "@/test/support/sandbox";
import type { TestSandbox } from "@/test/support/sandbox";
import { ROLE, solutionZip, zipOf } from "@/test/unit/sandbox/lambda/helpers";

// Child processes (and, for the first definition, asl-validator) take seconds on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

let sandbox: TestSandbox;
let lambda: LambdaClient;
const bytes = (b64: string) => Buffer.from(b64, "base64");
const decode = (p: Uint8Array | undefined) => JSON.parse(Buffer.from(p ?? []).toString("utf8")) as Record<string, unknown>;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  lambda = new LambdaClient(sandbox.clientConfig());
});
afterAll(async () => {
  lambda?.destroy();
  await sandbox?.close();
});

describe("Lambda through the SDK", () => {
  it("creates a function from a zip, waits for it and invokes it", async () => {
    const created = await lambda.send(new CreateFunctionCommand({
      FunctionName: "validate-order", Runtime: "nodejs20.x", Role: ROLE, Handler: "index.handler",
      Code: { ZipFile: bytes(solutionZip("validate-order")) }, Timeout: 10, MemorySize: 128,
    }));
    expect(created.FunctionArn).toBe("arn:aws:lambda:us-east-1:000000000000:function:validate-order");
    expect(created.State).toBe("Active");
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10 }, { FunctionName: "validate-order" });
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: "validate-order" }));
    expect(got.Configuration?.Runtime).toBe("nodejs20.x");
    expect(typeof got.Configuration?.LastModified).toBe("string");

    const ok = await lambda.send(new InvokeCommand({ FunctionName: "validate-order", Payload: Buffer.from(JSON.stringify({ orderId: "o-1" })), LogType: "Tail" }));
    expect(ok.StatusCode).toBe(200);
    expect(ok.FunctionError).toBeUndefined();
    expect(ok.ExecutedVersion).toBe("$LATEST");
    expect(decode(ok.Payload)).toMatchObject({ orderId: "o-1" });
    expect(typeof ok.LogResult).toBe("string");

    const failed = await lambda.send(new InvokeCommand({ FunctionName: "validate-order", Payload: Buffer.from("{}") }));
    expect(failed.StatusCode).toBe(200);
    expect(failed.FunctionError).toBe("Unhandled");
    expect(decode(failed.Payload)).toMatchObject({ errorType: "ValidationError", errorMessage: "The order has no orderId, so it cannot be processed." });

    const event = await lambda.send(new InvokeCommand({ FunctionName: "validate-order", InvocationType: "Event", Payload: Buffer.from('{"orderId":"x"}') }));
    expect(event.StatusCode).toBe(202);
    const dry = await lambda.send(new InvokeCommand({ FunctionName: "validate-order", InvocationType: "DryRun" }));
    expect(dry.StatusCode).toBe(204);

    const listed = await lambda.send(new ListFunctionsCommand({}));
    expect(listed.Functions?.map((f) => f.FunctionName)).toContain("validate-order");
  });

  it("updates code and answers AWS's errors with the SDK's exception classes", async () => {
    await lambda.send(new CreateFunctionCommand({
      FunctionName: "twice", Runtime: "nodejs22.x", Role: ROLE, Handler: "index.handler",
      Code: { ZipFile: bytes(zipOf({ "index.mjs": "export const handler = async () => 1;" })) },
    }));
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "twice", ZipFile: bytes(zipOf({ "index.mjs": "export const handler = async () => 2;" })) }));
    expect(decode((await lambda.send(new InvokeCommand({ FunctionName: "twice" }))).Payload)).toBe(2);
    await expect(lambda.send(new CreateFunctionCommand({
      FunctionName: "twice", Runtime: "nodejs22.x", Role: ROLE, Handler: "index.handler", Code: { ZipFile: bytes(zipOf({ "index.mjs": "" })) },
    }))).rejects.toBeInstanceOf(ResourceConflictException);
    const java = await lambda.send(new CreateFunctionCommand({
      FunctionName: "java", Runtime: "java21", Role: ROLE, Handler: "x", Code: { ZipFile: bytes(zipOf({ "a.txt": "" })) },
    })).catch((e: unknown) => e as Error);
    expect((java as Error).name).toBe("InvalidParameterValueException");
    expect((java as Error).message).toBe("Runtime java21 is not supported by this sandbox: use a Node.js or Python runtime.");
    await lambda.send(new DeleteFunctionCommand({ FunctionName: "twice" }));
    const missing = await lambda.send(new InvokeCommand({ FunctionName: "twice" })).catch((e: unknown) => e as Error);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect((missing as Error).message).toBe("Function not found: arn:aws:lambda:us-east-1:000000000000:function:twice");
  });

  it("keeps a resource policy: AddPermission, GetPolicy, RemovePermission", async () => {
    await lambda.send(new CreateFunctionCommand({
      FunctionName: "premium-order-processor", Runtime: "nodejs20.x", Role: ROLE, Handler: "index.handler",
      Code: { ZipFile: bytes(solutionZip("premium-order-processor")) },
    }));
    const rule = "arn:aws:events:us-east-1:000000000000:rule/high-value-orders";
    const added = await lambda.send(new AddPermissionCommand({
      FunctionName: "premium-order-processor", StatementId: "events-invoke", Action: "lambda:InvokeFunction", Principal: "events.amazonaws.com", SourceArn: rule,
    }));
    expect(JSON.parse(added.Statement ?? "{}")).toMatchObject({ Sid: "events-invoke", Condition: { ArnLike: { "AWS:SourceArn": rule } } });
    const policy = await lambda.send(new GetPolicyCommand({ FunctionName: "premium-order-processor" }));
    expect(JSON.parse(policy.Policy ?? "{}").Statement).toHaveLength(1);
    await lambda.send(new RemovePermissionCommand({ FunctionName: "premium-order-processor", StatementId: "events-invoke" }));
    await expect(lambda.send(new GetPolicyCommand({ FunctionName: "premium-order-processor" }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it("triggers a function from an SQS queue through an event source mapping", async () => {
    const sqs = new SQSClient(sandbox.clientConfig());
    const iam = new IAMClient(sandbox.clientConfig());
    try {
      // Lambda polls as the function's execution role: one Lambda may assume, allowed to read queues.
      const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] };
      await iam.send(new CreateRoleCommand({ RoleName: "lab-lambda-role", AssumeRolePolicyDocument: JSON.stringify(trust) }));
      await iam.send(new AttachRolePolicyCommand({ RoleName: "lab-lambda-role", PolicyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole" }));
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "orders-to-process" }));
      const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes?.QueueArn;
      await lambda.send(new CreateFunctionCommand({
        FunctionName: "worker", Runtime: "python3.12", Role: ROLE, Handler: "lambda_function.lambda_handler",
        Code: { ZipFile: bytes(zipOf({ "lambda_function.py": "def lambda_handler(event, context):\n    return {'count': len(event['Records'])}\n" })) },
      }));
      const mapping = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: "worker", EventSourceArn: queueArn, BatchSize: 5 }));
      expect(mapping.UUID).toBeTruthy();
      expect(mapping.LastModified).toBeInstanceOf(Date);
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "{\"orderId\":\"q-1\"}" }));
      let left = "1";
      for (let i = 0; i < 60 && left !== "0"; i++) {
        await new Promise((r) => setTimeout(r, 250));
        const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
        left = String(Number(a.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0));
      }
      expect(left).toBe("0");
      await lambda.send(new DeleteEventSourceMappingCommand({ UUID: mapping.UUID }));
    } finally {
      sqs.destroy();
      iam.destroy();
    }
  });
});
