// Hosted means hosted: DEPLOYMENT_MODE=hosted makes the sandbox process hosted (one rule,
// sandbox/settings.ts), where the shared test/test keys are refused, every request is signed by
// an issued key, and learners' Lambda code runs only inside the bubblewrap jail. In every mode the
// body is part of the signature: UNSIGNED-PAYLOAD (an S3 feature) is refused.
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
import { jailSupport } from "@/sandbox/services/lambda/runtime/jail";


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
const zip = () => zipSync({ "index.mjs": strToU8("export const handler = async () => ({ ran: true, uid: process.getuid(), pid: process.pid });") });

/** Creates a function with the account's keys and invokes it. */
async function invokeOwnFunction(config: ReturnType<TestSandbox["clientConfig"]>, accountId: string, name = "learner-code") {
  const iam = new IAMClient(config);
  const roleArn = `arn:aws:iam::${accountId}:role/fn-role`;
  await iam.send(new CreateRoleCommand({ RoleName: "fn-role", AssumeRolePolicyDocument: TRUST })).catch(() => undefined);
  const lambda = new LambdaClient(config);
  await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: "nodejs20.x", Role: roleArn, Handler: "index.handler", Code: { ZipFile: zip() } }));
  return lambda.send(new InvokeCommand({ FunctionName: name }));
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

  it.skipIf(!jailSupport().ok)("runs learners' Lambda code, inside the jail", async () => {
    const out = await invokeOwnFunction(proc.clientConfig(a), a.accountId);
    expect(out.FunctionError).toBeUndefined();
    // uid 65534 and a pid namespace of its own: the jail, not the sandbox's user.
    const seen = JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString()) as { ran: boolean; uid: number; pid: number };
    expect(seen).toMatchObject({ ran: true, uid: 65534 });
    expect(seen.pid).toBeLessThan(10);
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

  it("turns learners' code off with SANDBOX_LAMBDA_EXEC=off, in hosted mode too", async () => {
    const off = await spawnSandboxProcess({ env: { ...process.env, DEPLOYMENT_MODE: "hosted", SANDBOX_MODE: "", SANDBOX_LAMBDA_EXEC: "off" } });
    try {
      const keys = await off.createAccount();
      const err = await errorOf(invokeOwnFunction(off.clientConfig(keys), keys.accountId));
      expect(err.message).toContain("SANDBOX_LAMBDA_EXEC=off");
    } finally {
      await off.kill("SIGTERM");
    }
  }, 60_000);
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
