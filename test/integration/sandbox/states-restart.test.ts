// What survives a SIGKILL of the sandbox process: functions (their records and unzipped code),
// resource policies, state machines and finished executions; an execution that was running is
// marked FAILED with the restart cause rather than run again (its side effects may have happened).
import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { CreateFunctionCommand, AddPermissionCommand, GetPolicyCommand, InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { spawnSandboxProcess } from "@/test/support/sandbox";
import type { SandboxProcess } from "@/test/support/sandbox";
import { ROLE, solutionZip } from "@/test/unit/sandbox/lambda/helpers";

const STATES_ROLE = "arn:aws:iam::000000000000:role/states-role";
const running: SandboxProcess[] = [];
afterAll(async () => {
  for (const p of running) await p.kill();
  const dir = running[0]?.dataDir;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("a restart after SIGKILL", () => {
  it("keeps functions, policies, machines and finished executions, and fails the interrupted one", async () => {
    const first = await spawnSandboxProcess();
    running.push(first);
    let lambda = new LambdaClient(first.clientConfig());
    let sfn = new SFNClient(first.clientConfig());
    await lambda.send(new CreateFunctionCommand({
      FunctionName: "ship-express", Runtime: "nodejs20.x", Role: ROLE, Handler: "index.handler", Code: { ZipFile: Buffer.from(solutionZip("ship-express"), "base64") },
    }));
    await lambda.send(new AddPermissionCommand({ FunctionName: "ship-express", StatementId: "s", Action: "lambda:InvokeFunction", Principal: "events.amazonaws.com" }));
    const quick = JSON.stringify({ StartAt: "Ship", States: { Ship: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:000000000000:function:ship-express", End: true } } });
    const slow = JSON.stringify({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, End: true } } });
    const quickArn = (await sfn.send(new CreateStateMachineCommand({ name: "quick", definition: quick, roleArn: STATES_ROLE }))).stateMachineArn;
    const slowArn = (await sfn.send(new CreateStateMachineCommand({ name: "slow", definition: slow, roleArn: STATES_ROLE }))).stateMachineArn;
    const done = await sfn.send(new StartExecutionCommand({ stateMachineArn: quickArn, input: '{"orderId":"r-1"}' }));
    for (let i = 0; i < 100; i++) {
      if ((await sfn.send(new DescribeExecutionCommand({ executionArn: done.executionArn }))).status !== "RUNNING") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const interrupted = await sfn.send(new StartExecutionCommand({ stateMachineArn: slowArn }));
    lambda.destroy();
    sfn.destroy();
    await first.kill("SIGKILL");

    const second = await spawnSandboxProcess({ dataDir: first.dataDir });
    running.push(second);
    lambda = new LambdaClient(second.clientConfig());
    sfn = new SFNClient(second.clientConfig());
    try {
      const out = await lambda.send(new InvokeCommand({ FunctionName: "ship-express", Payload: Buffer.from('{"orderId":"r-2"}') }));
      expect(JSON.parse(Buffer.from(out.Payload ?? []).toString())).toMatchObject({ orderId: "r-2", service: "express" });
      expect(JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName: "ship-express" }))).Policy ?? "{}").Statement).toHaveLength(1);
      const finished = await sfn.send(new DescribeExecutionCommand({ executionArn: done.executionArn }));
      expect(finished.status).toBe("SUCCEEDED");
      expect(JSON.parse(finished.output ?? "{}")).toMatchObject({ orderId: "r-1", service: "express" });
      const failed = await sfn.send(new DescribeExecutionCommand({ executionArn: interrupted.executionArn }));
      expect(failed).toMatchObject({ status: "FAILED", error: "States.Runtime", cause: "The sandbox restarted during this execution." });
      const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: interrupted.executionArn, reverseOrder: true }));
      expect(history.events?.[0]?.type).toBe("ExecutionFailed");
    } finally {
      lambda.destroy();
      sfn.destroy();
    }
  }, 90_000);
});
