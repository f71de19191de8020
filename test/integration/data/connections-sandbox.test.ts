// Connecting a learner to the built-in sandbox, end to end: lib/connections against a real
// sandbox (in-process, over HTTP) and a real migrated database.
import { CreateQueueCommand, ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DeleteRoleCommand, DeleteRolePolicyCommand, GetRoleCommand, GetRolePolicyCommand, IAMClient, UpdateAssumeRolePolicyCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccountKeys, TestSandbox } from "../../support/sandbox";
import { databaseSkipReason, testProvider } from "../../support/test-database";
import { startPlatformSandbox } from "../../support/platform";

const skipReason = databaseSkipReason();

describe.skipIf(skipReason)(`sandbox connections on ${testProvider()}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let sb: TestSandbox;
  let lib: typeof import("@/lib/connections");
  let db: (typeof import("@/lib/db/client"))["db"];
  let checkers: typeof import("@/checkers/context");
  let credentials: typeof import("@/checkers/credentials");
  let userId: string;

  beforeAll(async () => {
    sb = await startPlatformSandbox();
    lib = await import("@/lib/connections");
    db = (await import("@/lib/db/client")).db;
    checkers = await import("@/checkers/context");
    credentials = await import("@/checkers/credentials");
    const users = await import("@/lib/users");
    userId = (await users.createUser({ email: "connect@example.com", name: "Connie", password: "correct horse battery" })).id;
  }, 60_000);
  afterAll(async () => {
    await sb?.close();
  });

  const keysOf = async (): Promise<AccountKeys> => {
    const k = await lib.revealSandboxKeys(userId);
    if (!k) throw new Error("no sandbox keys");
    return k;
  };
  const iamAs = async () => new IAMClient(sb.clientConfig(await keysOf()));

  it("creates the learner's account and LabGraderRole, and grading connects through it", async () => {
    const view = await lib.connectSandbox(userId);
    expect(view.target).toBe("sandbox");
    expect(view.sandboxAccountId).toMatch(/^\d{12}$/);
    expect(view.roleArn).toBe(`arn:aws:iam::${view.sandboxAccountId}:role/LabGraderRole`);
    expect(view).not.toHaveProperty("sandboxSecretEnc");

    const role = await (await iamAs()).send(new GetRoleCommand({ RoleName: "LabGraderRole" }));
    const trust = JSON.parse(decodeURIComponent(role.Role?.AssumeRolePolicyDocument ?? "{}")) as { Statement: { Principal: { AWS: string }; Condition: unknown }[] };
    const grader = await sb.grader();
    expect(trust.Statement[0]?.Principal.AWS).toBe(`arn:aws:iam::${grader.accountId}:root`);
    expect(trust.Statement[0]?.Condition).toEqual({ StringEquals: { "sts:ExternalId": view.externalId } });
    const policy = await (await iamAs()).send(new GetRolePolicyCommand({ RoleName: "LabGraderRole", PolicyName: "lab-grader" }));
    expect(decodeURIComponent(policy.PolicyDocument ?? "")).toContain("sqs:GetQueueAttributes");

    const options = await lib.loadConnectOptions(userId);
    expect(options).toMatchObject({ target: "sandbox", endpoint: sb.endpoint, roleArn: view.roleArn, externalId: view.externalId, userId });
    expect(options?.baseCredentials).toMatchObject({ accessKeyId: grader.accessKeyId });
    const conn = await checkers.connect({ ...options!, cache: new credentials.CredentialCache() });
    const id = await conn.identity();
    expect(id.arn).toBe(`arn:aws:sts::${view.sandboxAccountId}:assumed-role/LabGraderRole/lab-grader-${userId}`);
  });

  it("stores the secret encrypted and shows the same keys again", async () => {
    const row = await db.connection.findUniqueOrThrow({ where: { userId } });
    const fromAdmin = await sb.admin("GET", `/_sandbox/accounts/${row.sandboxAccountId}`);
    expect(row.sandboxSecretEnc).not.toContain(String(fromAdmin.body.secretAccessKey));
    expect(await keysOf()).toEqual(fromAdmin.body);
  });

  it("is idempotent: connecting again keeps the account and the ExternalId", async () => {
    const before = await db.connection.findUniqueOrThrow({ where: { userId } });
    const again = await lib.connectSandbox(userId);
    expect(again.sandboxAccountId).toBe(before.sandboxAccountId);
    expect(again.externalId).toBe(before.externalId);
  });

  it("tests the connection and records when it worked", async () => {
    const r = await lib.testConnection(userId);
    expect(r.ok, r.message).toBe(true);
    expect(r.message).toMatch(/^Connection works/);
    expect((await db.connection.findUniqueOrThrow({ where: { userId } })).verifiedAt).toBeInstanceOf(Date);
  });

  async function setTrust(statement: Record<string, unknown>) {
    await (await iamAs()).send(new UpdateAssumeRolePolicyCommand({ RoleName: "LabGraderRole", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", ...statement }] }) }));
  }

  it("diagnoses a wrong ExternalId, a missing condition, a wrong principal and a missing role", async () => {
    const grader = await sb.grader();
    const principal = { AWS: `arn:aws:iam::${grader.accountId}:root` };

    await setTrust({ Principal: principal, Condition: { StringEquals: { "sts:ExternalId": "someone-elses-external-id" } } });
    let r = await lib.testConnection(userId);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnosis?.kind).toBe("external-id-wrong");
    expect(r.expectedTrustPolicy).toContain((await db.connection.findUniqueOrThrow({ where: { userId } })).externalId);
    expect(r.causes[0]).toMatch(/ExternalId/);
    expect((await db.connection.findUniqueOrThrow({ where: { userId } })).verifiedAt).toBeNull();

    await setTrust({ Principal: principal });
    r = await lib.testConnection(userId);
    expect(!r.ok && r.diagnosis?.kind).toBe("external-id-missing");

    await setTrust({ Principal: { AWS: "arn:aws:iam::123456789012:root" }, Condition: { StringEquals: { "sts:ExternalId": "x" } } });
    r = await lib.testConnection(userId);
    expect(!r.ok && r.diagnosis?.kind).toBe("principal-wrong");

    const iam = await iamAs();
    await iam.send(new DeleteRolePolicyCommand({ RoleName: "LabGraderRole", PolicyName: "lab-grader" }));
    await iam.send(new DeleteRoleCommand({ RoleName: "LabGraderRole" }));
    r = await lib.testConnection(userId);
    expect(!r.ok && r.diagnosis?.kind).toBe("role-missing");

    // "Recreate the grader role" repairs it.
    await lib.connectSandbox(userId);
    expect((await lib.testConnection(userId)).ok).toBe(true);
  });

  it("reset empties the account and makes the grader role again", async () => {
    const keys = await keysOf();
    const sqs = new SQSClient(sb.clientConfig(keys));
    await sqs.send(new CreateQueueCommand({ QueueName: "left-over" }));
    expect((await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? []).toHaveLength(1);

    await lib.resetSandbox(userId);
    expect((await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? []).toHaveLength(0);
    expect(await keysOf()).toEqual(keys);
    expect((await lib.testConnection(userId)).ok).toBe(true);
  });

  it("accepts an AWS role ARN only in ARN form, and keeps the ExternalId across targets", async () => {
    const before = await db.connection.findUniqueOrThrow({ where: { userId } });
    await expect(lib.connectAws(userId, { region: "eu-west-1", roleArn: "LabGraderRole" })).rejects.toThrow(/not a role ARN/);
    const v = await lib.connectAws(userId, { region: "eu-west-1", roleArn: "arn:aws:iam::123456789012:role/LabGraderRole" });
    expect(v).toMatchObject({ target: "aws", region: "eu-west-1", externalId: before.externalId, sandboxAccountId: before.sandboxAccountId });
    const options = await lib.loadConnectOptions(userId);
    expect(options?.endpoint).toBeUndefined();
    expect(options?.target).toBe("aws");
    // Back to the sandbox: the same account.
    expect((await lib.connectSandbox(userId)).sandboxAccountId).toBe(before.sandboxAccountId);
  });

  it("validates LocalStack endpoints with the outbound policy and uses test/test", async () => {
    await expect(lib.connectLocalStack(userId, { endpoint: "ftp://localhost:4566", region: "us-east-1" })).rejects.toThrow(/not allowed/);
    const v = await lib.connectLocalStack(userId, { endpoint: "http://127.0.0.1:4566/", region: "us-east-1" });
    expect(v).toMatchObject({ target: "localstack", endpoint: "http://127.0.0.1:4566", roleArn: "arn:aws:iam::000000000000:role/LabGraderRole" });
    const options = await lib.loadConnectOptions(userId);
    expect(options?.baseCredentials).toEqual({ accessKeyId: "test", secretAccessKey: "test" });
    await lib.connectSandbox(userId);
  });
});
