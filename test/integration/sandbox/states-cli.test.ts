// Lambda and Step Functions through the AWS CLIs a learner may have: direct commands with both
// CLIs, and the lab's own reference script for step 5 run against the sandbox, then the
// workflow it deployed started from the CLI.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsCli } from "@/test/support/aws-cli";
import { AWS_CLIS, cliAvailable, startTestSandbox } from "@/test/support/sandbox";
import type { TestSandbox } from "@/test/support/sandbox";
import { ROLE, SOLUTION, solutionZip } from "@/test/unit/sandbox/lambda/helpers";

const run = promisify(execFile);

let sandbox: TestSandbox;
let work: string;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  work = fs.mkdtempSync(path.join(os.tmpdir(), "states-cli-"));
});
afterAll(async () => {
  await sandbox?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const cli = (bin: string) => awsCli(bin, sandbox);

async function untilDone(aws: ReturnType<typeof cli>, executionArn: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 60; i++) {
    const d = await aws.json("stepfunctions", "describe-execution", "--execution-arn", executionArn);
    if (d.status !== "RUNNING") return d;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${executionArn} still RUNNING`);
}

const DIRECT = [
  { label: "pyenv aws 1.x (botocore)", bin: AWS_CLIS.v1, binary: [] },
  // CLI v2 reads blob arguments as base64 unless told otherwise.
  { label: "/usr/bin/aws 2.9", bin: AWS_CLIS.v2, binary: ["--cli-binary-format", "raw-in-base64-out"] },
].filter((c) => cliAvailable(c.bin));

describe.skipIf(DIRECT.length === 0)("lambda and stepfunctions commands", () => {
  it.each(DIRECT)("$label creates and invokes a function from fileb://, then runs a state machine that calls it", async ({ bin, binary }) => {
    await sandbox.resetAccount("000000000000");
    const aws = cli(bin);
    const zip = path.join(work, "check-inventory.zip");
    fs.writeFileSync(zip, Buffer.from(solutionZip("check-inventory"), "base64"));
    const created = await aws.json("lambda", "create-function", "--function-name", "check-inventory", "--runtime", "nodejs20.x",
      "--handler", "index.handler", "--role", ROLE, "--zip-file", `fileb://${zip}`, "--timeout", "10", "--memory-size", "128");
    expect(created).toMatchObject({ FunctionName: "check-inventory", State: "Active" });
    await aws.json("lambda", "wait", "function-active-v2", "--function-name", "check-inventory");

    const outFile = path.join(work, "out.json");
    const invoked = await aws.json("lambda", "invoke", ...binary, "--function-name", "check-inventory", "--payload", '{"orderId":"cli-1"}', outFile);
    expect(invoked).toMatchObject({ StatusCode: 200, ExecutedVersion: "$LATEST" });
    expect(JSON.parse(fs.readFileSync(outFile, "utf8"))).toMatchObject({ orderId: "cli-1", inStock: true });

    await aws.json("lambda", "add-permission", "--function-name", "check-inventory", "--statement-id", "sns", "--action", "lambda:InvokeFunction",
      "--principal", "sns.amazonaws.com", "--source-arn", "arn:aws:sns:us-east-1:000000000000:order-notifications");
    const policy = await aws.json("lambda", "get-policy", "--function-name", "check-inventory");
    expect(JSON.parse(String(policy.Policy)).Statement[0]).toMatchObject({ Sid: "sns", Principal: { Service: "sns.amazonaws.com" } });
    expect(await aws.fails("lambda", "get-function", "--function-name", "nope")).toContain("ResourceNotFoundException");

    const definition = path.join(work, "definition.json");
    fs.writeFileSync(definition, JSON.stringify({
      StartAt: "Check",
      States: { Check: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:000000000000:function:check-inventory", ResultPath: "$.stock", End: true } },
    }));
    // The machine's tasks run as its role: one Step Functions may assume, allowed to invoke the function.
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "states.amazonaws.com" }, Action: "sts:AssumeRole" }] };
    await aws.json("iam", "create-role", "--role-name", "states-role", "--assume-role-policy-document", JSON.stringify(trust));
    const invoke = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "lambda:InvokeFunction", Resource: "arn:aws:lambda:us-east-1:000000000000:function:check-inventory" }] };
    await aws.json("iam", "put-role-policy", "--role-name", "states-role", "--policy-name", "invoke", "--policy-document", JSON.stringify(invoke));
    const machine = await aws.json("stepfunctions", "create-state-machine", "--name", "cli-machine", "--definition", `file://${definition}`,
      "--role-arn", "arn:aws:iam::000000000000:role/states-role");
    const started = await aws.json("stepfunctions", "start-execution", "--state-machine-arn", String(machine.stateMachineArn), "--input", '{"orderId":"cli-2"}');
    const done = await untilDone(aws, String(started.executionArn));
    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(String(done.output))).toMatchObject({ orderId: "cli-2", stock: { orderId: "cli-2", inStock: true } });
    const history = await aws.json("stepfunctions", "get-execution-history", "--execution-arn", String(started.executionArn));
    expect((history.events as { type: string }[]).map((e) => e.type)).toContain("LambdaFunctionSucceeded");
    const invalid = await aws.fails("stepfunctions", "create-state-machine", "--name", "bad", "--definition", '{"StartAt":"A","States":{"A":{"Type":"Pass"}}}',
      "--role-arn", "arn:aws:iam::000000000000:role/states-role");
    expect(invalid).toContain("InvalidDefinition");
  }, 90_000);
});

// The lab's step-5 script needs bash, jq and zip (or python3) beside the CLI. It is run with
// the faster of the two CLIs only (each CLI call costs seconds), deploying the Python
// validate-order; the Node.js one is covered by the SDK test.
const CLIS = [{ label: "pyenv aws 1.x", bin: AWS_CLIS.v1, runtime: "python3.12" }].filter((c) => cliAvailable(c.bin));

describe.skipIf(CLIS.length === 0 || !fs.existsSync("/usr/bin/jq"))("the lab's reference script for step 5", () => {
  it.each(CLIS)("deploys the workflow with $label and runs each branch", async ({ bin, runtime }) => {
    await sandbox.resetAccount("000000000000");
    const bindir = fs.mkdtempSync(path.join(work, "bin-"));
    fs.symlinkSync(bin, path.join(bindir, "aws"));
    const env = { ...sandbox.cliEnv(), PATH: `${bindir}:${process.env.PATH ?? ""}`, AWS_ENDPOINT_URL: sandbox.endpoint, VALIDATE_ORDER_RUNTIME: runtime };
    const script = path.join(SOLUTION, "cli", "05-step-functions.sh");
    await run("bash", [script], { env, timeout: 120_000 }).catch((e: { stderr?: string; message: string }) => {
      throw new Error(`05-step-functions.sh failed: ${e.stderr ?? e.message}`);
    });
    const aws = cli(bin);
    const machines = await aws.json("stepfunctions", "list-state-machines");
    const arn = (machines.stateMachines as { name: string; stateMachineArn: string }[]).find((m) => m.name === "order-processing")?.stateMachineArn;
    expect(arn).toBe("arn:aws:states:us-east-1:000000000000:stateMachine:order-processing");
    const validate = await aws.json("lambda", "get-function", "--function-name", "validate-order");
    expect((validate.Configuration as { Runtime: string }).Runtime).toBe(runtime);
    const inputs = {
      premium: { orderId: "s5-1", order: { isPremium: true, amount: 120 } },
      standard: { orderId: "s5-2", order: { isPremium: false, amount: 12 } },
      rejected: { order: { isPremium: false } },
    };
    const results: Record<string, Record<string, unknown>> = {};
    await Promise.all(Object.entries(inputs).map(async ([name, input]) => {
      const started = await aws.json("stepfunctions", "start-execution", "--state-machine-arn", String(arn), "--name", name, "--input", JSON.stringify(input));
      results[name] = await untilDone(aws, String(started.executionArn));
    }));
    expect(results.premium?.status).toBe("SUCCEEDED");
    expect(JSON.parse(String(results.premium?.output))).toMatchObject({ orderId: "s5-1", shipment: { service: "express" } });
    expect(JSON.parse(String(results.standard?.output))).toMatchObject({ orderId: "s5-2", shipment: { service: "standard" } });
    expect(results.rejected).toMatchObject({ status: "FAILED", error: "Rejected" });
  }, 150_000);
});
