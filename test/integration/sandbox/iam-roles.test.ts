// IAM roles and policies over the wire: create/get/list/delete, trust policy updates, inline and
// attached policies, URL-encoded documents, and IAM's errors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, DeletePolicyCommand, DeleteRoleCommand,
  DeleteRolePolicyCommand, DetachRolePolicyCommand, GetPolicyCommand, GetRoleCommand, GetRolePolicyCommand,
  IAMClient, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand, ListRolesCommand, PutRolePolicyCommand,
  TagRoleCommand, UpdateAssumeRolePolicyCommand, CreatePolicyVersionCommand, GetPolicyVersionCommand,
  ListPolicyVersionsCommand, SetDefaultPolicyVersionCommand, DeletePolicyVersionCommand,
} from "@aws-sdk/client-iam";
import type { AccountKeys, TestSandbox } from "@/test/support/sandbox";
import { AWS_CLIS, cliAvailable, runAwsCli, startTestSandbox } from "@/test/support/sandbox";
import { errorOf } from "@/test/support/aws-errors";

const TRUST = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] };
const SQS_SEND = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sqs:SendMessage", Resource: "*" }] };

let sb: TestSandbox;
let acct: AccountKeys;
let iam: IAMClient;

beforeAll(async () => {
  sb = await startTestSandbox();
  acct = await sb.createAccount();
  iam = new IAMClient(sb.clientConfig(acct));
});
afterAll(async () => {
  await sb?.close();
});


describe("IAM roles (SDK v3)", () => {
  it("creates, gets and lists a role; documents come back URL-encoded", async () => {
    const created = await iam.send(new CreateRoleCommand({ RoleName: "fn-role", Path: "/lab/", AssumeRolePolicyDocument: JSON.stringify(TRUST), Description: "for Lambda", Tags: [{ Key: "lab", Value: "order-system" }] }));
    expect(created.Role).toMatchObject({ RoleName: "fn-role", Path: "/lab/", Arn: `arn:aws:iam::${acct.accountId}:role/lab/fn-role`, MaxSessionDuration: 3600, Description: "for Lambda" });
    expect(created.Role?.RoleId).toMatch(/^AROA/);
    expect(created.Role?.CreateDate).toBeInstanceOf(Date);
    const got = await iam.send(new GetRoleCommand({ RoleName: "fn-role" }));
    expect(JSON.parse(decodeURIComponent(got.Role!.AssumeRolePolicyDocument!))).toEqual(TRUST);
    expect(got.Role?.Tags).toEqual([{ Key: "lab", Value: "order-system" }]);
    const list = await iam.send(new ListRolesCommand({}));
    expect(list.Roles?.map((r) => r.RoleName)).toEqual(["fn-role"]);
    expect(list.IsTruncated).toBe(false);
  });

  it("answers EntityAlreadyExists, NoSuchEntity and MalformedPolicyDocument as IAM does", async () => {
    const dup = await errorOf(iam.send(new CreateRoleCommand({ RoleName: "FN-ROLE", AssumeRolePolicyDocument: JSON.stringify(TRUST) })));
    expect(dup).toMatchObject({ name: "EntityAlreadyExistsException", status: 409, message: "Role with name FN-ROLE already exists." });
    const missing = await errorOf(iam.send(new GetRoleCommand({ RoleName: "nope" })));
    expect(missing).toMatchObject({ name: "NoSuchEntityException", status: 404, message: "The role with name nope cannot be found." });
    const badJson = await errorOf(iam.send(new CreateRoleCommand({ RoleName: "r2", AssumeRolePolicyDocument: "{not json" })));
    expect(badJson).toMatchObject({ name: "MalformedPolicyDocumentException", status: 400 });
    const noPrincipal = await errorOf(iam.send(new CreateRoleCommand({ RoleName: "r2", AssumeRolePolicyDocument: JSON.stringify(SQS_SEND) })));
    expect(noPrincipal.name).toBe("MalformedPolicyDocumentException");
    const badName = await errorOf(iam.send(new CreateRoleCommand({ RoleName: "bad name", AssumeRolePolicyDocument: JSON.stringify(TRUST) })));
    expect(badName).toMatchObject({ status: 400 });
    expect(badName.message).toContain("regular expression pattern");
  });

  it("updates the trust policy", async () => {
    const next = { ...TRUST, Statement: [{ ...TRUST.Statement[0], Principal: { Service: "states.amazonaws.com" } }] };
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: "fn-role", PolicyDocument: JSON.stringify(next) }));
    const got = await iam.send(new GetRoleCommand({ RoleName: "fn-role" }));
    expect(JSON.parse(decodeURIComponent(got.Role!.AssumeRolePolicyDocument!))).toEqual(next);
  });

  it("puts, gets, lists and deletes inline policies", async () => {
    await iam.send(new PutRolePolicyCommand({ RoleName: "fn-role", PolicyName: "send", PolicyDocument: JSON.stringify(SQS_SEND) }));
    const got = await iam.send(new GetRolePolicyCommand({ RoleName: "fn-role", PolicyName: "send" }));
    expect(got).toMatchObject({ RoleName: "fn-role", PolicyName: "send" });
    expect(JSON.parse(decodeURIComponent(got.PolicyDocument!))).toEqual(SQS_SEND);
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: "fn-role" }))).PolicyNames).toEqual(["send"]);
    const withPrincipal = { Version: "2012-10-17", Statement: [{ ...SQS_SEND.Statement[0], Principal: "*" }] };
    const bad = await errorOf(iam.send(new PutRolePolicyCommand({ RoleName: "fn-role", PolicyName: "p", PolicyDocument: JSON.stringify(withPrincipal) })));
    expect(bad.name).toBe("MalformedPolicyDocumentException");
    const conflict = await errorOf(iam.send(new DeleteRoleCommand({ RoleName: "fn-role" })));
    expect(conflict).toMatchObject({ name: "DeleteConflictException", status: 409 });
    await iam.send(new DeleteRolePolicyCommand({ RoleName: "fn-role", PolicyName: "send" }));
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: "fn-role" }))).PolicyNames).toEqual([]);
  });

  it("creates managed policies and attaches them (and AWS managed ones)", async () => {
    const p = await iam.send(new CreatePolicyCommand({ PolicyName: "send-orders", PolicyDocument: JSON.stringify(SQS_SEND) }));
    const arn = p.Policy!.Arn!;
    expect(arn).toBe(`arn:aws:iam::${acct.accountId}:policy/send-orders`);
    await iam.send(new AttachRolePolicyCommand({ RoleName: "fn-role", PolicyArn: arn }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: "fn-role", PolicyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" }));
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "fn-role" }));
    expect(attached.AttachedPolicies).toEqual([
      { PolicyName: "send-orders", PolicyArn: arn },
      { PolicyName: "AWSLambdaBasicExecutionRole", PolicyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" },
    ]);
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy).toMatchObject({ AttachmentCount: 1, DefaultVersionId: "v1" });
    const unknown = await errorOf(iam.send(new AttachRolePolicyCommand({ RoleName: "fn-role", PolicyArn: "arn:aws:iam::aws:policy/NoSuchPolicy" })));
    expect(unknown).toMatchObject({ name: "NoSuchEntityException", status: 404 });
    expect((await errorOf(iam.send(new DeletePolicyCommand({ PolicyArn: arn })))).name).toBe("DeleteConflictException");
    const conflict = await errorOf(iam.send(new DeleteRoleCommand({ RoleName: "fn-role" })));
    expect(conflict).toMatchObject({ name: "DeleteConflictException", message: "Cannot delete entity, must detach all policies first." });
    await iam.send(new DetachRolePolicyCommand({ RoleName: "fn-role", PolicyArn: arn }));
    await iam.send(new DetachRolePolicyCommand({ RoleName: "fn-role", PolicyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
    await iam.send(new TagRoleCommand({ RoleName: "fn-role", Tags: [{ Key: "k", Value: "v" }] }));
    await iam.send(new DeleteRoleCommand({ RoleName: "fn-role" }));
    expect((await iam.send(new ListRolesCommand({}))).Roles).toEqual([]);
  });

  it("keeps managed policy versions (up to 5), with one default", async () => {
    const p = await iam.send(new CreatePolicyCommand({ PolicyName: "versioned", PolicyDocument: JSON.stringify(SQS_SEND) }));
    const PolicyArn = p.Policy!.Arn!;
    const v2doc = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sqs:*", Resource: "*" }] };
    const v2 = await iam.send(new CreatePolicyVersionCommand({ PolicyArn, PolicyDocument: JSON.stringify(v2doc), SetAsDefault: true }));
    expect(v2.PolicyVersion).toMatchObject({ VersionId: "v2", IsDefaultVersion: true });
    expect((await iam.send(new GetPolicyCommand({ PolicyArn }))).Policy?.DefaultVersionId).toBe("v2");
    const got = await iam.send(new GetPolicyVersionCommand({ PolicyArn, VersionId: "v2" }));
    expect(JSON.parse(decodeURIComponent(got.PolicyVersion!.Document!))).toEqual(v2doc);
    for (let i = 0; i < 3; i++) await iam.send(new CreatePolicyVersionCommand({ PolicyArn, PolicyDocument: JSON.stringify(SQS_SEND) }));
    const sixth = await errorOf(iam.send(new CreatePolicyVersionCommand({ PolicyArn, PolicyDocument: JSON.stringify(SQS_SEND) })));
    expect(sixth).toMatchObject({ name: "LimitExceededException" });
    const listed = await iam.send(new ListPolicyVersionsCommand({ PolicyArn }));
    expect(listed.Versions?.map((v) => v.VersionId)).toEqual(["v5", "v4", "v3", "v2", "v1"]);
    expect((await errorOf(iam.send(new DeletePolicyVersionCommand({ PolicyArn, VersionId: "v2" })))).name).toBe("DeleteConflictException");
    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn, VersionId: "v1" }));
    for (const VersionId of ["v2", "v3", "v4", "v5"]) await iam.send(new DeletePolicyVersionCommand({ PolicyArn, VersionId }));
    await iam.send(new DeletePolicyCommand({ PolicyArn }));
  });

  it("is empty after the account is reset, and the keys still work", async () => {
    await iam.send(new CreateRoleCommand({ RoleName: "before-reset", AssumeRolePolicyDocument: JSON.stringify(TRUST) }));
    await sb.resetAccount(acct.accountId);
    expect((await iam.send(new ListRolesCommand({}))).Roles).toEqual([]);
  });
});

describe.each([
  ["Debian AWS CLI 2.9 (query)", AWS_CLIS.v2],
  ["pyenv AWS CLI 1.x", AWS_CLIS.v1],
])("IAM roles (%s)", (label, bin) => {
  it.skipIf(!cliAvailable(bin))("creates a role and reads its trust policy back decoded", async () => {
    const name = label.startsWith("Debian") ? "cli-v2-role" : "cli-v1-role";
    const env = sb.cliEnv(acct);
    const created = await runAwsCli(bin, sb.endpoint, ["iam", "create-role", "--role-name", name, "--assume-role-policy-document", JSON.stringify(TRUST)], env);
    expect(created.code, created.stderr).toBe(0);
    const got = await runAwsCli(bin, sb.endpoint, ["iam", "get-role", "--role-name", name], env);
    expect((got.json?.Role as Record<string, unknown>).AssumeRolePolicyDocument).toEqual(TRUST);
    const dup = await runAwsCli(bin, sb.endpoint, ["iam", "create-role", "--role-name", name, "--assume-role-policy-document", JSON.stringify(TRUST)], env);
    expect(dup.code).not.toBe(0);
    expect(dup.stderr).toContain("(EntityAlreadyExists)");
  }, 60_000);
});
