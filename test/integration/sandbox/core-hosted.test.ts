// Hosted means hosted: DEPLOYMENT_MODE=hosted makes the sandbox process hosted (one rule,
// lib/sandbox-mode.ts), where the shared test/test keys are refused, every request is signed by
// an issued key, and learners' Lambda code does not run. In every mode the body is part of the
// signature: UNSIGNED-PAYLOAD (an S3 feature) is refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { strToU8, zipSync } from "fflate";
import { EventBridgeClient, ListRulesCommand } from "@aws-sdk/client-eventbridge";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { AccountKeys, Credentials, SandboxProcess, TestSandbox } from "@/test/support/sandbox";
import { AWS_CLIS, cliAvailable, runAwsCli, spawnSandboxProcess, startTestSandbox } from "@/test/support/sandbox";
import { errorOf } from "@/test/support/aws-errors";


/** An STS client that declares its body unsigned before signing — a valid SigV4 signature over UNSIGNED-PAYLOAD. */
function unsignedPayloadSts(config: ReturnType<TestSandbox["clientConfig"]>): STSClient {
  const client = new STSClient(config);
  client.middlewareStack.add(
    (next) => async (args) => {
      (args.request as { headers: Record<string, string> }).headers["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD";
      return next(args);
    },
    { step: "build", name: "declareUnsignedPayload" },
  );
  return client;
}

const TRUST = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] });
const zip = () => zipSync({ "index.mjs": strToU8("export const handler = async () => ({ ran: true });") });

/** Creates a function with the account's keys and invokes it. */
async function invokeOwnFunction(config: ReturnType<TestSandbox["clientConfig"]>, accountId: string) {
  const { Role } = await new IAMClient(config).send(new CreateRoleCommand({ RoleName: "fn-role", AssumeRolePolicyDocument: TRUST }));
  expect(Role?.Arn).toBe(`arn:aws:iam::${accountId}:role/fn-role`);
  const lambda = new LambdaClient(config);
  await lambda.send(new CreateFunctionCommand({ FunctionName: "learner-code", Runtime: "nodejs20.x", Role: Role?.Arn, Handler: "index.handler", Code: { ZipFile: zip() } }));
  return errorOf(lambda.send(new InvokeCommand({ FunctionName: "learner-code" })));
}

describe("a sandbox started with DEPLOYMENT_MODE=hosted (scripts/sandbox.ts)", () => {
  let proc: SandboxProcess;
  let a: AccountKeys;
  beforeAll(async () => {
    proc = await spawnSandboxProcess({ env: { ...process.env, DEPLOYMENT_MODE: "hosted", SANDBOX_MODE: "", SANDBOX_LAMBDA_EXEC: "" } });
    a = await proc.createAccount();
  }, 60_000);
  afterAll(async () => {
    await proc?.kill("SIGTERM");
  });

  it("says it is hosted", () => {
    expect(proc.output()).toContain("(mode hosted,");
  });

  it("refuses the test/test keys with each protocol family's invalid-token error", async () => {
    const sts = await errorOf(new STSClient(proc.clientConfig()).send(new GetCallerIdentityCommand({})));
    expect(sts).toMatchObject({ name: "InvalidClientTokenId", status: 403 });
    expect(sts.message).toContain("hosted");
    expect(await errorOf(new SQSClient(proc.clientConfig()).send(new ListQueuesCommand({})))).toMatchObject({ name: "InvalidClientTokenId", status: 403 });
    expect(await errorOf(new EventBridgeClient(proc.clientConfig()).send(new ListRulesCommand({})))).toMatchObject({ name: "UnrecognizedClientException", status: 403 });
    const admin = await proc.admin("GET", "/_sandbox/accounts/000000000000");
    expect(admin.status).toBe(404);
  });

  it("answers issued keys, and refuses an unsigned request and an unsigned payload", async () => {
    const out = await new STSClient(proc.clientConfig(a)).send(new GetCallerIdentityCommand({}));
    expect(out.Account).toBe(a.accountId);
    const unsigned = await fetch(proc.endpoint, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "Action=GetCallerIdentity&Version=2011-06-15" });
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain("<Code>MissingAuthenticationToken</Code>");
    const err = await errorOf(unsignedPayloadSts(proc.clientConfig(a)).send(new GetCallerIdentityCommand({})));
    expect(err).toMatchObject({ name: "SignatureDoesNotMatch", status: 403 });
    expect(err.message).toContain("UNSIGNED-PAYLOAD");
  });

  it("does not run learners' Lambda code unless the operator turns it on", async () => {
    const err = await invokeOwnFunction(proc.clientConfig(a), a.accountId);
    expect(err.message).toContain("SANDBOX_LAMBDA_EXEC=on");
  });

  it.skipIf(!cliAvailable(AWS_CLIS.v2))("refuses the test keys from Debian's AWS CLI 2.9 too", async () => {
    const r = await runAwsCli(AWS_CLIS.v2, proc.endpoint, ["sts", "get-caller-identity"], proc.cliEnv());
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("InvalidClientTokenId");
    const ok = await runAwsCli(AWS_CLIS.v2, proc.endpoint, ["sts", "get-caller-identity"], proc.cliEnv(a));
    expect(ok.code, ok.stderr).toBe(0);
  }, 60_000);
});

describe("the sandbox mode setting", () => {
  it("refuses SANDBOX_MODE=local on a hosted deployment instead of running a local sandbox", async () => {
    await expect(spawnSandboxProcess({ env: { ...process.env, DEPLOYMENT_MODE: "hosted", SANDBOX_MODE: "local" } })).rejects.toThrow(/SANDBOX_MODE=local contradicts DEPLOYMENT_MODE=hosted/);
  });

  it("refuses to run learners' code unjailed in hosted mode, whichever setting asks for it", async () => {
    for (const env of [{ DEPLOYMENT_MODE: "hosted", SANDBOX_MODE: "" }, { DEPLOYMENT_MODE: "local", SANDBOX_MODE: "hosted" }]) {
      await expect(spawnSandboxProcess({ env: { ...process.env, ...env, SANDBOX_LAMBDA_EXEC: "on" } })).rejects.toThrow(/SANDBOX_LAMBDA_EXEC=on is refused in hosted mode/);
    }
    // An embedding that bypasses the settings is refused by the sandbox itself.
    await expect(startTestSandbox({ mode: "hosted", lambdaExec: true })).rejects.toThrow(/does not run learners' Lambda code/);
  });
});

describe("UNSIGNED-PAYLOAD in local mode", () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(async () => {
    await sb?.close();
  });

  it("is refused with issued keys and with the test keys alike", async () => {
    const a = await sb.createAccount();
    const creds: Credentials[] = [a, { accessKeyId: "test", secretAccessKey: "test" }];
    for (const c of creds) {
      const err = await errorOf(unsignedPayloadSts(sb.clientConfig(c)).send(new GetCallerIdentityCommand({})));
      expect(err, c.accessKeyId).toMatchObject({ name: "SignatureDoesNotMatch", status: 403 });
      // The same client without the header works.
      expect((await new STSClient(sb.clientConfig(c)).send(new GetCallerIdentityCommand({}))).Account).toMatch(/^\d{12}$/);
    }
  });
});
