// Authentication over the real wire: test keys, issued keys with SigV4 checked, bad signatures,
// unknown keys, clock skew, and account isolation — with the SDK v3 and both AWS CLIs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { CreateRoleCommand, IAMClient, ListRolesCommand } from "@aws-sdk/client-iam";
import { ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { EventBridgeClient, ListRulesCommand } from "@aws-sdk/client-eventbridge";
import { LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import type { AccountKeys, TestSandbox } from "@/test/support/sandbox";
import { AWS_CLIS, cliAvailable, runAwsCli, startTestSandbox } from "@/test/support/sandbox";
import { errorOf } from "@/test/support/aws-errors";

const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

let sb: TestSandbox;
let a: AccountKeys;
let b: AccountKeys;

beforeAll(async () => {
  sb = await startTestSandbox();
  [a, b] = await Promise.all([sb.createAccount(), sb.createAccount()]);
});
afterAll(async () => {
  await sb?.close();
});


describe("sandbox authentication (SDK v3)", () => {
  it("answers GetCallerIdentity for the test keys as account 000000000000", async () => {
    const out = await new STSClient(sb.clientConfig()).send(new GetCallerIdentityCommand({}));
    expect(out).toMatchObject({ Account: "000000000000", Arn: "arn:aws:iam::000000000000:root", UserId: "000000000000" });
  });

  it("answers GetCallerIdentity for issued keys with their own account", async () => {
    const out = await new STSClient(sb.clientConfig(a)).send(new GetCallerIdentityCommand({}));
    expect(out.Account).toBe(a.accountId);
    expect(out.Arn).toBe(`arn:aws:iam::${a.accountId}:root`);
    expect(a.accountId).toMatch(/^\d{12}$/);
    expect(a.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(a.secretAccessKey).toHaveLength(40);
  });

  it("refuses a wrong secret with SignatureDoesNotMatch (403)", async () => {
    const wrong = { ...a, secretAccessKey: "x".repeat(40) };
    const err = await errorOf(new STSClient(sb.clientConfig(wrong)).send(new GetCallerIdentityCommand({})));
    expect(err).toMatchObject({ name: "SignatureDoesNotMatch", status: 403 });
  });

  it("refuses an unknown access key with InvalidClientTokenId (403)", async () => {
    const err = await errorOf(new STSClient(sb.clientConfig({ accessKeyId: "AKIAUNKNOWNUNKNOWN00", secretAccessKey: "s".repeat(40) })).send(new GetCallerIdentityCommand({})));
    expect(err).toMatchObject({ name: "InvalidClientTokenId", status: 403 });
    expect(err.message).toBe("The security token included in the request is invalid.");
  });

  it("refuses a request signed more than 15 minutes off the server's clock", async () => {
    const client = new STSClient({ ...sb.clientConfig(a), systemClockOffset: -20 * 60_000 });
    const err = await errorOf(client.send(new GetCallerIdentityCommand({})));
    expect(err.name).toBe("SignatureDoesNotMatch");
    expect(err.message).toMatch(/^Signature expired/);
  });

  it("signature-checks IAM (another service and signing name) too", async () => {
    const wrong = { ...b, secretAccessKey: a.secretAccessKey };
    const err = await errorOf(new IAMClient(sb.clientConfig(wrong)).send(new ListRolesCommand({})));
    expect(err.name).toBe("SignatureDoesNotMatch");
  });

  it("checks signatures in every protocol: SQS JSON, EventBridge JSON 1.1, Lambda REST-JSON", async () => {
    await new SQSClient(sb.clientConfig(a)).send(new ListQueuesCommand({}));
    await new EventBridgeClient(sb.clientConfig(a)).send(new ListRulesCommand({}));
    await new LambdaClient(sb.clientConfig(a)).send(new ListFunctionsCommand({}));
    const wrong = { ...a, secretAccessKey: "z".repeat(40) };
    expect(await errorOf(new SQSClient(sb.clientConfig(wrong)).send(new ListQueuesCommand({})))).toMatchObject({ name: "SignatureDoesNotMatch", status: 403 });
    expect(await errorOf(new EventBridgeClient(sb.clientConfig(wrong)).send(new ListRulesCommand({})))).toMatchObject({ name: "InvalidSignatureException", status: 403 });
    expect(await errorOf(new LambdaClient(sb.clientConfig(wrong)).send(new ListFunctionsCommand({})))).toMatchObject({ name: "InvalidSignatureException", status: 403 });
    const unknown = { accessKeyId: "AKIAUNKNOWNUNKNOWN00", secretAccessKey: "s".repeat(40) };
    expect(await errorOf(new EventBridgeClient(sb.clientConfig(unknown)).send(new ListRulesCommand({})))).toMatchObject({ name: "UnrecognizedClientException", status: 403 });
  });

  it("keeps accounts apart: keys of account A never see account B's roles", async () => {
    const iamA = new IAMClient(sb.clientConfig(a));
    const iamB = new IAMClient(sb.clientConfig(b));
    await iamA.send(new CreateRoleCommand({ RoleName: "only-in-a", AssumeRolePolicyDocument: TRUST }));
    const inA = await iamA.send(new ListRolesCommand({}));
    const inB = await iamB.send(new ListRolesCommand({}));
    const inTest = await new IAMClient(sb.clientConfig()).send(new ListRolesCommand({}));
    expect(inA.Roles?.map((r) => r.RoleName)).toContain("only-in-a");
    expect(inB.Roles?.map((r) => r.RoleName)).not.toContain("only-in-a");
    expect(inTest.Roles?.map((r) => r.RoleName)).not.toContain("only-in-a");
    // Creating the same name in B is not a conflict: it is another account.
    await iamB.send(new CreateRoleCommand({ RoleName: "only-in-a", AssumeRolePolicyDocument: TRUST }));
  });
});

describe.each([
  ["Debian AWS CLI 2.9 (query)", AWS_CLIS.v2],
  ["pyenv AWS CLI 1.x", AWS_CLIS.v1],
])("sandbox authentication (%s)", (_label, bin) => {
  const skip = !cliAvailable(bin);
  it.skipIf(skip)("signs with issued keys, and a wrong secret is refused", async () => {
    const ok = await runAwsCli(bin, sb.endpoint, ["sts", "get-caller-identity"], sb.cliEnv(a));
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json).toMatchObject({ Account: a.accountId, Arn: `arn:aws:iam::${a.accountId}:root` });
    const bad = await runAwsCli(bin, sb.endpoint, ["sts", "get-caller-identity"], sb.cliEnv({ ...a, secretAccessKey: "y".repeat(40) }));
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("SignatureDoesNotMatch");
  }, 60_000);

  it.skipIf(skip)("answers the test keys as account 000000000000", async () => {
    const ok = await runAwsCli(bin, sb.endpoint, ["sts", "get-caller-identity"], sb.cliEnv());
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json).toMatchObject({ Account: "000000000000" });
  }, 60_000);
});
