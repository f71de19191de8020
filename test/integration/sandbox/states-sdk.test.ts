// Step Functions over the wire with the AWS SDK v3: the lab's order workflow with its real
// Lambda handlers, publishing through the sandbox's SNS to SQS queues the test reads. As in the
// lab's reference solution, the workflow's role trusts Step Functions and may invoke the five
// functions and publish to the two topics: its tasks run as that role.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  CreateStateMachineCommand, DescribeExecutionCommand, DescribeStateMachineCommand, ExecutionAlreadyExists, GetExecutionHistoryCommand,
  InvalidDefinition, ListExecutionsCommand, ListStateMachinesCommand, SFNClient, StartExecutionCommand, StartSyncExecutionCommand,
  StateMachineDoesNotExist, StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import type { DescribeExecutionCommandOutput } from "@aws-sdk/client-sfn";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, SetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { startTestSandbox } from "@/test/support/sandbox";
import type { TestSandbox } from "@/test/support/sandbox";
import { ROLE, SOLUTION, solutionZip } from "@/test/unit/sandbox/lambda/helpers";

// Child processes (and, for the first definition, asl-validator) take seconds on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

const ACCOUNT = "000000000000";
const REGION = "us-east-1";
const STATES_ROLE = `arn:aws:iam::${ACCOUNT}:role/lab-states-role`;
const FUNCTIONS = ["validate-order", "check-inventory", "reserve-payment", "ship-express", "ship-standard"];

let sandbox: TestSandbox;
let sfn: SFNClient;
let machineArn = "";
const queues: Record<string, string> = {};

async function untilDone(sfnClient: SFNClient, executionArn: string): Promise<DescribeExecutionCommandOutput> {
  for (let i = 0; i < 200; i++) {
    const d = await sfnClient.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== "RUNNING") return d;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${executionArn} still RUNNING`);
}

async function receiveAll(sqs: SQSClient, url: string): Promise<Record<string, unknown>[]> {
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
  return (out.Messages ?? []).map((m) => JSON.parse(m.Body ?? "{}") as Record<string, unknown>);
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  const config = sandbox.clientConfig();
  // StartSyncExecution has the host prefix "sync-", which a local endpoint cannot resolve.
  sfn = new SFNClient({ ...config, disableHostPrefix: true });
  const lambda = new LambdaClient(config);
  const sns = new SNSClient(config);
  const sqs = new SQSClient(config);
  for (const fn of FUNCTIONS) {
    await lambda.send(new CreateFunctionCommand({
      FunctionName: fn, Runtime: "nodejs20.x", Role: ROLE, Handler: "index.handler", Timeout: 10,
      Code: { ZipFile: Buffer.from(solutionZip(fn), "base64") },
    }));
  }
  for (const topic of ["order-notifications", "order-failures"]) {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: topic }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${topic}-inbox` }));
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
    const queueArn = attrs.Attributes?.QueueArn ?? "";
    const policy = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: queueArn, Condition: { ArnEquals: { "aws:SourceArn": TopicArn } } }],
    };
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: JSON.stringify(policy) } }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: queueArn, Attributes: { RawMessageDelivery: "true" } }));
    queues[topic] = QueueUrl ?? "";
  }
  const iam = new IAMClient(config);
  const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "states.amazonaws.com" }, Action: "sts:AssumeRole" }] };
  await iam.send(new CreateRoleCommand({ RoleName: "lab-states-role", AssumeRolePolicyDocument: JSON.stringify(trust) }));
  const fnArns = FUNCTIONS.map((fn) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${fn}`);
  const tasks = {
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: "lambda:InvokeFunction", Resource: [...fnArns, ...fnArns.map((a) => `${a}:*`)] },
      { Effect: "Allow", Action: "sns:Publish", Resource: ["order-notifications", "order-failures"].map((t) => `arn:aws:sns:${REGION}:${ACCOUNT}:${t}`) },
    ],
  };
  await iam.send(new PutRolePolicyCommand({ RoleName: "lab-states-role", PolicyName: "order-processing-tasks", PolicyDocument: JSON.stringify(tasks) }));
  iam.destroy();
  const definition = readFileSync(path.join(SOLUTION, "order-processing.asl.json"), "utf8").replaceAll("${Region}", REGION).replaceAll("${AccountId}", ACCOUNT);
  machineArn = (await sfn.send(new CreateStateMachineCommand({ name: "order-processing", definition, roleArn: STATES_ROLE, type: "STANDARD" }))).stateMachineArn ?? "";
  lambda.destroy();
  sns.destroy();
}, 60_000);

afterAll(async () => {
  sfn?.destroy();
  await sandbox?.close();
});

describe("the order workflow through the SDK", () => {
  it("runs the premium, standard and rejected branches end to end", async () => {
    const sqs = new SQSClient(sandbox.clientConfig());
    try {
      expect(machineArn).toBe(`arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:order-processing`);
      const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn }));
      expect(described.creationDate).toBeInstanceOf(Date);
      const started = await Promise.all([
        sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: "premium", input: JSON.stringify({ orderId: "ord-1", order: { isPremium: true, amount: 300 } }) })),
        sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: "standard", input: JSON.stringify({ orderId: "ord-2", order: { isPremium: false, amount: 30 } }) })),
        sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: "rejected", input: JSON.stringify({ order: { isPremium: true } }) })),
      ]);
      expect(started[0].startDate).toBeInstanceOf(Date);
      const [premium, standard, rejected] = await Promise.all(started.map((s) => untilDone(sfn, s.executionArn ?? "")));
      expect(premium?.status).toBe("SUCCEEDED");
      expect(JSON.parse(premium?.output ?? "{}")).toMatchObject({ orderId: "ord-1", shipment: { service: "express" } });
      expect(standard?.status).toBe("SUCCEEDED");
      expect(JSON.parse(standard?.output ?? "{}")).toMatchObject({ orderId: "ord-2", shipment: { service: "standard" } });
      expect(rejected).toMatchObject({ status: "FAILED", error: "Rejected" });
      expect(rejected?.stopDate).toBeInstanceOf(Date);

      const notified = await receiveAll(sqs, queues["order-notifications"] ?? "");
      expect(notified.map((m) => m.orderId).sort()).toEqual(["ord-1", "ord-2"]);
      const failures = await receiveAll(sqs, queues["order-failures"] ?? "");
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({ order: { isPremium: true }, error: { Error: "ValidationError" } });

      const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: premium?.executionArn, maxResults: 1000 }));
      const names = (history.events ?? []).map((e) => e.stateEnteredEventDetails?.name).filter(Boolean);
      expect(names).toEqual(expect.arrayContaining(["Validate", "ReserveStockAndFunds", "PremiumOrNot", "SendExpress", "AwaitPickup", "TellCustomer", "Done"]));
      expect(history.events?.[0]?.timestamp).toBeInstanceOf(Date);
      const failed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn, statusFilter: "FAILED" }));
      expect(failed.executions?.map((e) => e.name)).toEqual(["rejected"]);
    } finally {
      sqs.destroy();
    }
  }, 60_000);

  it("answers AWS's errors with the SDK's exception classes", async () => {
    await expect(sfn.send(new CreateStateMachineCommand({ name: "broken", definition: '{"StartAt":"X","States":{}}', roleArn: STATES_ROLE }))).rejects.toBeInstanceOf(InvalidDefinition);
    await expect(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:nope` }))).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    const wait = JSON.stringify({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 600, End: true } } });
    const arn = (await sfn.send(new CreateStateMachineCommand({ name: "long-wait", definition: wait, roleArn: STATES_ROLE }))).stateMachineArn;
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: "once" }));
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: "once", input: '{"other":1}' }))).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await sfn.send(new StopExecutionCommand({ executionArn, cause: "test over" }));
    expect(await sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({ status: "ABORTED", cause: "test over" });
    const listed = await sfn.send(new ListStateMachinesCommand({}));
    expect(listed.stateMachines?.map((m) => m.name)).toEqual(expect.arrayContaining(["order-processing", "long-wait"]));
  });

  it("runs an Express machine with StartSyncExecution", async () => {
    const definition = JSON.stringify({
      StartAt: "Check",
      States: { Check: { Type: "Task", Resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:check-inventory`, End: true } },
    });
    const arn = (await sfn.send(new CreateStateMachineCommand({ name: "quick-check", definition, roleArn: STATES_ROLE, type: "EXPRESS" }))).stateMachineArn;
    const out = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: '{"orderId":"sync-1"}' }));
    expect(out.status).toBe("SUCCEEDED");
    expect(JSON.parse(out.output ?? "{}")).toMatchObject({ orderId: "sync-1", inStock: true });
  });
});
