// AssumeRole over the wire: the trust policy and its sts:ExternalId condition enforced with the
// shared evaluator; the refusal is AWS's AccessDenied; session credentials act as the role.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import type { AccountKeys, Credentials, TestSandbox } from "@/test/support/sandbox";
import { AWS_CLIS, cliAvailable, runAwsCli, startTestSandbox } from "@/test/support/sandbox";
import { errorOf } from "@/test/support/aws-errors";

const EXTERNAL_ID = "lab-grader-6b1f0d7e2c9a4f10";

let sb: TestSandbox;
let learner: AccountKeys;
let grader: AccountKeys;
let roleArn: string;

function trust(principalAccount: string, externalId?: string) {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${principalAccount}:root` },
        Action: "sts:AssumeRole",
        ...(externalId ? { Condition: { StringEquals: { "sts:ExternalId": externalId } } } : {}),
      },
    ],
  });
}

beforeAll(async () => {
  sb = await startTestSandbox();
  [learner, grader] = await Promise.all([sb.createAccount(), sb.grader()]);
  const iam = new IAMClient(sb.clientConfig(learner));
  const out = await iam.send(new CreateRoleCommand({ RoleName: "LabGraderRole", AssumeRolePolicyDocument: trust(grader.accountId, EXTERNAL_ID), MaxSessionDuration: 7200 }));
  roleArn = out.Role!.Arn!;
});
afterAll(async () => {
  await sb?.close();
});


describe("STS AssumeRole (SDK v3)", () => {
  it("gives the grader session credentials with the right ExternalId", async () => {
    const sts = new STSClient(sb.clientConfig(grader));
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "lab-grader-u1", ExternalId: EXTERNAL_ID }));
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.Credentials?.SecretAccessKey).toHaveLength(40);
    expect(out.Credentials?.SessionToken).toBeTruthy();
    const ms = out.Credentials!.Expiration!.getTime() - Date.now();
    expect(ms).toBeGreaterThan(3500_000);
    expect(ms).toBeLessThanOrEqual(3600_000);
    expect(out.AssumedRoleUser).toMatchObject({ Arn: `arn:aws:sts::${learner.accountId}:assumed-role/LabGraderRole/lab-grader-u1` });
    expect(out.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{17}:lab-grader-u1$/);

    const session: Credentials = {
      accessKeyId: out.Credentials!.AccessKeyId!,
      secretAccessKey: out.Credentials!.SecretAccessKey!,
      sessionToken: out.Credentials!.SessionToken!,
    };
    const me = await new STSClient(sb.clientConfig(session)).send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({ Account: learner.accountId, Arn: out.AssumedRoleUser!.Arn, UserId: out.AssumedRoleUser!.AssumedRoleId });
  });

  it("refuses a wrong ExternalId with AWS's AccessDenied", async () => {
    const err = await errorOf(new STSClient(sb.clientConfig(grader)).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "s1", ExternalId: "wrong-id" })));
    expect(err).toMatchObject({ name: "AccessDenied", status: 403 });
    expect(err.message).toBe(`User: arn:aws:iam::${grader.accountId}:root is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
  });

  it("refuses a missing ExternalId the same way", async () => {
    const err = await errorOf(new STSClient(sb.clientConfig(grader)).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "s1" })));
    expect(err).toMatchObject({ name: "AccessDenied", status: 403 });
  });

  it("refuses a principal the trust policy does not name, and a role that does not exist", async () => {
    const other = await errorOf(new STSClient(sb.clientConfig()).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "s1", ExternalId: EXTERNAL_ID })));
    expect(other.message).toBe(`User: arn:aws:iam::000000000000:root is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
    const missing = `arn:aws:iam::${learner.accountId}:role/NoSuchRole`;
    const none = await errorOf(new STSClient(sb.clientConfig(grader)).send(new AssumeRoleCommand({ RoleArn: missing, RoleSessionName: "s1", ExternalId: EXTERNAL_ID })));
    expect(none).toMatchObject({ name: "AccessDenied", status: 403 });
  });

  it("validates DurationSeconds and the session name", async () => {
    const sts = new STSClient(sb.clientConfig(grader));
    const short = await errorOf(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "s1", ExternalId: EXTERNAL_ID, DurationSeconds: 899 })));
    expect(short).toMatchObject({ name: "ValidationError", status: 400 });
    const long = await errorOf(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "s1", ExternalId: EXTERNAL_ID, DurationSeconds: 7201 })));
    expect(long.message).toBe("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    const ok = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "s1", ExternalId: EXTERNAL_ID, DurationSeconds: 7200 }));
    expect(ok.Credentials!.Expiration!.getTime() - Date.now()).toBeGreaterThan(7100_000);
    const badName = await errorOf(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "bad name!", ExternalId: EXTERNAL_ID })));
    expect(badName).toMatchObject({ name: "ValidationError" });
  });

  it("refuses session credentials without their session token", async () => {
    const out = await new STSClient(sb.clientConfig(grader)).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "s2", ExternalId: EXTERNAL_ID }));
    const noToken = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey! };
    const err = await errorOf(new STSClient(sb.clientConfig(noToken)).send(new GetCallerIdentityCommand({})));
    expect(err).toMatchObject({ name: "InvalidClientTokenId", status: 403 });
  });

  it("ends sessions into an account when it is reset", async () => {
    const other = await sb.createAccount();
    const iam = new IAMClient(sb.clientConfig(other));
    const created = await iam.send(new CreateRoleCommand({ RoleName: "R", AssumeRolePolicyDocument: trust(grader.accountId) }));
    const out = await new STSClient(sb.clientConfig(grader)).send(new AssumeRoleCommand({ RoleArn: created.Role!.Arn!, RoleSessionName: "s1" }));
    const session = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
    await new STSClient(sb.clientConfig(session)).send(new GetCallerIdentityCommand({}));
    await sb.resetAccount(other.accountId);
    const err = await errorOf(new STSClient(sb.clientConfig(session)).send(new GetCallerIdentityCommand({})));
    expect(err.name).toBe("InvalidClientTokenId");
  });
});

describe.each([
  ["Debian AWS CLI 2.9 (query)", AWS_CLIS.v2],
  ["pyenv AWS CLI 1.x", AWS_CLIS.v1],
])("STS AssumeRole (%s)", (_label, bin) => {
  const skip = !cliAvailable(bin);
  it.skipIf(skip)("assumes the role with the right ExternalId and is refused with a wrong or missing one", async () => {
    const args = ["sts", "assume-role", "--role-arn", roleArn, "--role-session-name", "cli"];
    const ok = await runAwsCli(bin, sb.endpoint, [...args, "--external-id", EXTERNAL_ID], sb.cliEnv(grader));
    expect(ok.code, ok.stderr).toBe(0);
    expect((ok.json?.AssumedRoleUser as Record<string, string>).Arn).toBe(`arn:aws:sts::${learner.accountId}:assumed-role/LabGraderRole/cli`);
    const creds = ok.json?.Credentials as Record<string, string>;
    const me = await runAwsCli(bin, sb.endpoint, ["sts", "get-caller-identity"], sb.cliEnv({ accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken! }));
    expect(me.code, me.stderr).toBe(0);
    expect(me.json?.Arn).toBe(`arn:aws:sts::${learner.accountId}:assumed-role/LabGraderRole/cli`);

    const wrong = await runAwsCli(bin, sb.endpoint, [...args, "--external-id", "nope-nope"], sb.cliEnv(grader));
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain("(AccessDenied)");
    expect(wrong.stderr).toContain(`is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
    const missing = await runAwsCli(bin, sb.endpoint, args, sb.cliEnv(grader));
    expect(missing.stderr).toContain("(AccessDenied)");
  }, 60_000);
});
