// What survives a SIGKILL of the sandbox process: functions (their records and unzipped code),
// resource policies, state machines and finished executions; an execution that was running goes
// on where it was: a Wait keeps its deadline and a task that had finished is not run again.
import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateFunctionCommand, AddPermissionCommand, GetPolicyCommand, InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import type { DescribeExecutionCommandOutput } from "@aws-sdk/client-sfn";
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { spawnSandboxProcess } from "@/test/support/sandbox";
import type { SandboxProcess } from "@/test/support/sandbox";
import { ROLE, solutionZip } from "@/test/unit/sandbox/lambda/helpers";

const ACCOUNT = "000000000000";
const STATES_ROLE = `arn:aws:iam::${ACCOUNT}:role/states-role`;
const running: SandboxProcess[] = [];
afterAll(async () => {
  for (const p of running) await p.kill();
  const dir = running[0]?.dataDir;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function untilDone(sfn: SFNClient, executionArn: string | undefined): Promise<DescribeExecutionCommandOutput> {
  for (let i = 0; i < 300; i++) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== "RUNNING") return d;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${executionArn} still RUNNING`);
}

/** The machines' role: Step Functions may assume it; it may invoke ship-express and send to the queue. */
async function statesRole(iam: IAMClient, queueArn: string): Promise<void> {
  const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "states.amazonaws.com" }, Action: "sts:AssumeRole" }] };
  await iam.send(new CreateRoleCommand({ RoleName: "states-role", AssumeRolePolicyDocument: JSON.stringify(trust) }));
  const policy = {
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: "lambda:InvokeFunction", Resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:ship-express` },
      { Effect: "Allow", Action: "sqs:SendMessage", Resource: queueArn },
    ],
  };
  await iam.send(new PutRolePolicyCommand({ RoleName: "states-role", PolicyName: "tasks", PolicyDocument: JSON.stringify(policy) }));
}

describe("a restart after SIGKILL", () => {
  it("keeps functions, policies, machines and finished executions, and resumes the running ones", async () => {
    const first = await spawnSandboxProcess();
    running.push(first);
    let lambda = new LambdaClient(first.clientConfig());
    let sfn = new SFNClient(first.clientConfig());
    let sqs = new SQSClient(first.clientConfig());
    const iam = new IAMClient(first.clientConfig());
    await lambda.send(new CreateFunctionCommand({
      FunctionName: "ship-express", Runtime: "nodejs20.x", Role: ROLE, Handler: "index.handler", Code: { ZipFile: Buffer.from(solutionZip("ship-express"), "base64") },
    }));
    await lambda.send(new AddPermissionCommand({ FunctionName: "ship-express", StatementId: "s", Action: "lambda:InvokeFunction", Principal: "events.amazonaws.com" }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "steps" }));
    await statesRole(iam, `arn:aws:sqs:us-east-1:${ACCOUNT}:steps`);
    iam.destroy();
    const quick = JSON.stringify({ StartAt: "Ship", States: { Ship: { Type: "Task", Resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:ship-express`, End: true } } });
    const slow = JSON.stringify({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, End: true } } });
    const send = (body: string) => ({ Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", Parameters: { QueueUrl, MessageBody: body }, ResultPath: null });
    const steps = JSON.stringify({
      StartAt: "Before",
      States: { Before: { ...send("before"), Next: "W" }, W: { Type: "Wait", Seconds: 8, Next: "After" }, After: { ...send("after"), End: true } },
    });
    const create = async (name: string, definition: string) =>
      (await sfn.send(new CreateStateMachineCommand({ name, definition, roleArn: STATES_ROLE }))).stateMachineArn;
    const [quickArn, slowArn, stepsArn] = [await create("quick", quick), await create("slow", slow), await create("steps", steps)];
    const done = await sfn.send(new StartExecutionCommand({ stateMachineArn: quickArn, input: '{"orderId":"r-1"}' }));
    expect((await untilDone(sfn, done.executionArn)).status).toBe("SUCCEEDED");
    const waiting = await sfn.send(new StartExecutionCommand({ stateMachineArn: slowArn }));
    const stepped = await sfn.send(new StartExecutionCommand({ stateMachineArn: stepsArn }));
    // The first message is out before the kill: the execution is in its Wait.
    const before = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
    expect(before.Messages?.map((m) => m.Body)).toEqual(["before"]);
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: before.Messages?.[0]?.ReceiptHandle }));
    lambda.destroy();
    sfn.destroy();
    sqs.destroy();
    await first.kill("SIGKILL");

    const second = await spawnSandboxProcess({ dataDir: first.dataDir });
    running.push(second);
    lambda = new LambdaClient(second.clientConfig());
    sfn = new SFNClient(second.clientConfig());
    sqs = new SQSClient(second.clientConfig());
    try {
      const out = await lambda.send(new InvokeCommand({ FunctionName: "ship-express", Payload: Buffer.from('{"orderId":"r-2"}') }));
      expect(JSON.parse(Buffer.from(out.Payload ?? []).toString())).toMatchObject({ orderId: "r-2", service: "express" });
      expect(JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName: "ship-express" }))).Policy ?? "{}").Statement).toHaveLength(1);
      const finished = await sfn.send(new DescribeExecutionCommand({ executionArn: done.executionArn }));
      expect(finished.status).toBe("SUCCEEDED");
      expect(JSON.parse(finished.output ?? "{}")).toMatchObject({ orderId: "r-1", service: "express" });

      // The hour-long Wait goes on (it was failed at a restart before).
      expect((await sfn.send(new DescribeExecutionCommand({ executionArn: waiting.executionArn }))).status).toBe("RUNNING");

      // The stepped one ends its Wait 8 s after it began, and sends only the second message.
      const resumed = await untilDone(sfn, stepped.executionArn);
      expect(resumed.status).toBe("SUCCEEDED");
      const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: stepped.executionArn, maxResults: 100 }));
      const at = (type: string) => history.events?.find((e) => e.type === type)?.timestamp?.getTime() ?? NaN;
      expect(at("WaitStateExited") - at("WaitStateEntered")).toBeGreaterThanOrEqual(8000);
      expect(at("WaitStateExited") - at("WaitStateEntered")).toBeLessThan(8000 + 5000);
      expect(history.events?.filter((e) => e.type === "TaskSucceeded")).toHaveLength(2);
      const after = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      expect(after.Messages?.map((m) => m.Body)).toEqual(["after"]);
    } finally {
      lambda.destroy();
      sfn.destroy();
      sqs.destroy();
    }
  }, 120_000);
});
