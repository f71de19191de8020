// AssumeRole's one rule for the role it names (sandbox/services/sts/access.ts), across accounts:
// over the wire, a session of another account needs the trust policy and its own identity
// policy; a malformed ARN is AWS's ValidationError. In process, an AWS service acting on its own
// assumes only roles of the account it acts for, with aws:SourceAccount/aws:SourceArn set.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import type { Principal, RequestContext } from "@/sandbox/core/contracts";
import type { IssueSessionInput } from "@/sandbox/core/accounts";
import { memoryEnvironment } from "@/sandbox/core/memory-environment";
import { createIamService } from "@/sandbox/services/iam";
import { createStsService } from "@/sandbox/services/sts";
import type { AccountKeys, Credentials, TestSandbox } from "@/test/support/sandbox";
import { startTestSandbox } from "@/test/support/sandbox";
import { errorOf } from "@/test/support/aws-errors";


const trustAccount = (account: string) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "sts:AssumeRole" }] });

describe("AssumeRole across accounts (SDK v3)", () => {
  let sb: TestSandbox;
  let owner: AccountKeys;
  let caller: AccountKeys;
  let target: string;
  let hop: Credentials;

  beforeAll(async () => {
    sb = await startTestSandbox();
    [owner, caller] = await Promise.all([sb.createAccount(), sb.createAccount()]);
    const ownerIam = new IAMClient(sb.clientConfig(owner));
    target = (await ownerIam.send(new CreateRoleCommand({ RoleName: "Target", AssumeRolePolicyDocument: trustAccount(caller.accountId) }))).Role!.Arn!;
    // A role of the caller's account, which its sessions use to reach the owner's role.
    const callerIam = new IAMClient(sb.clientConfig(caller));
    const hopArn = (await callerIam.send(new CreateRoleCommand({ RoleName: "Hop", AssumeRolePolicyDocument: trustAccount(caller.accountId) }))).Role!.Arn!;
    const out = await new STSClient(sb.clientConfig(caller)).send(new AssumeRoleCommand({ RoleArn: hopArn, RoleSessionName: "hop" }));
    hop = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
  });
  afterAll(async () => {
    await sb?.close();
  });

  it("lets a session of the trusted account in only once its own identity policy allows sts:AssumeRole", async () => {
    const sts = new STSClient(sb.clientConfig(hop));
    const refused = await errorOf(sts.send(new AssumeRoleCommand({ RoleArn: target, RoleSessionName: "s1" })));
    expect(refused).toMatchObject({ name: "AccessDenied", status: 403 });
    const allow = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: target }] };
    await new IAMClient(sb.clientConfig(caller)).send(new PutRolePolicyCommand({ RoleName: "Hop", PolicyName: "assume", PolicyDocument: JSON.stringify(allow) }));
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: target, RoleSessionName: "s1" }));
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${owner.accountId}:assumed-role/Target/s1`);
  });

  it("refuses an account the trust policy does not name", async () => {
    const stranger = await sb.createAccount();
    const err = await errorOf(new STSClient(sb.clientConfig(stranger)).send(new AssumeRoleCommand({ RoleArn: target, RoleSessionName: "s1" })));
    expect(err).toMatchObject({ name: "AccessDenied", status: 403 });
  });

  it("answers a malformed role ARN with AWS's ValidationError", async () => {
    const err = await errorOf(
      new STSClient(sb.clientConfig(caller)).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${owner.accountId}:user/Target`, RoleSessionName: "s1" })),
    );
    expect(err).toMatchObject({ name: "ValidationError", status: 400, message: "Request ARN is invalid" });
  });
});

describe("AssumeRole by an AWS service acting on its own", () => {
  const A = "111111111111";
  const B = "222222222222";
  const trustStates = (condition?: Record<string, unknown>) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "states.amazonaws.com" }, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) }],
    });

  function services() {
    const env = memoryEnvironment();
    const iam = createIamService(env);
    const issued: IssueSessionInput[] = [];
    const sts = createStsService(env, {
      roles: () => iam.roles,
      sessions: {
        issueSession(input) {
          issued.push(input);
          return { accessKeyId: "ASIAEXAMPLEEXAMPLE00", secretAccessKey: "s".repeat(40), sessionToken: "t", expiration: input.now + input.durationSeconds * 1000, ...input } as never;
        },
      },
    });
    const ctxOf = (principal: Principal): RequestContext => ({ accountId: principal.accountId, region: "us-east-1", principal, requestId: "r", now: Date.now() });
    const call = async (module: typeof iam | typeof sts, op: string, input: Record<string, unknown>, ctx: RequestContext) =>
      (module.definition.operations[op] as unknown as { handler: (i: unknown, c: RequestContext) => unknown }).handler(input, ctx) as Promise<Record<string, unknown>>;
    const root = (account: string): Principal => ({ kind: "account", accountId: account, arn: `arn:aws:iam::${account}:root` });
    const states = (account: string): Principal => ({
      kind: "service",
      accountId: account,
      service: "states.amazonaws.com",
      arn: "states.amazonaws.com",
      sourceArn: `arn:aws:states:us-east-1:${account}:execution:m:e`,
    });
    return { iam, sts, call, ctxOf, root, states, issued };
  }

  it("assumes a role of the account it acts for, and never one of another account that trusts the service", async () => {
    const t = services();
    await t.call(t.iam, "CreateRole", { RoleName: "Workflow", AssumeRolePolicyDocument: trustStates() }, t.ctxOf(t.root(A)));
    await t.call(t.iam, "CreateRole", { RoleName: "Victim", AssumeRolePolicyDocument: trustStates() }, t.ctxOf(t.root(B)));
    const mine = await t.call(t.sts, "AssumeRole", { RoleArn: `arn:aws:iam::${A}:role/Workflow`, RoleSessionName: "task" }, t.ctxOf(t.states(A)));
    expect(mine).toMatchObject({ AssumedRoleUser: { Arn: `arn:aws:sts::${A}:assumed-role/Workflow/task` } });
    const err = await errorOf(t.call(t.sts, "AssumeRole", { RoleArn: `arn:aws:iam::${B}:role/Victim`, RoleSessionName: "task" }, t.ctxOf(t.states(A))));
    expect(err).toMatchObject({ name: "AccessDenied", status: 403 });
    expect(t.issued.map((s) => s.roleArn)).toEqual([`arn:aws:iam::${A}:role/Workflow`]);
  });

  it("evaluates the trust policy with aws:SourceAccount and aws:SourceArn", async () => {
    const t = services();
    const guarded = trustStates({ StringEquals: { "aws:SourceAccount": A }, ArnLike: { "aws:SourceArn": `arn:aws:states:us-east-1:${A}:execution:m:*` } });
    await t.call(t.iam, "CreateRole", { RoleName: "Guarded", AssumeRolePolicyDocument: guarded }, t.ctxOf(t.root(A)));
    const out = await t.call(t.sts, "AssumeRole", { RoleArn: `arn:aws:iam::${A}:role/Guarded`, RoleSessionName: "task" }, t.ctxOf(t.states(A)));
    expect(out.Credentials).toBeDefined();
    const other = { ...t.states(A), sourceArn: `arn:aws:states:us-east-1:${A}:execution:other:e` } as Principal;
    expect(await errorOf(t.call(t.sts, "AssumeRole", { RoleArn: `arn:aws:iam::${A}:role/Guarded`, RoleSessionName: "task" }, t.ctxOf(other)))).toMatchObject({
      name: "AccessDenied",
    });
  });
});
