// Calls with assumed-role credentials are allowed only as the role's policies allow: a role
// allowed only iam:GetRole may read itself and gets AccessDenied naming iam:ListRoles; attached
// managed policies count, and an explicit Deny wins. Account keys act as root.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import {
  AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, DeleteRolePolicyCommand, GetRoleCommand, IAMClient,
  ListRolesCommand, PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { ListTopicsCommand, SNSClient } from "@aws-sdk/client-sns";
import { EventBridgeClient, ListRulesCommand } from "@aws-sdk/client-eventbridge";
import { ListStateMachinesCommand, SFNClient } from "@aws-sdk/client-sfn";
import { LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import type { AccountKeys, Credentials, TestSandbox } from "@/test/support/sandbox";
import { AWS_CLIS, cliAvailable, runAwsCli, startTestSandbox } from "@/test/support/sandbox";
import { errorOf } from "@/test/support/aws-errors";

let sb: TestSandbox;
let learner: AccountKeys;
let grader: AccountKeys;
let admin: IAMClient;
let session: Credentials;
let roleArn: string;

const allow = (action: string | string[], resource = "*") => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: resource }] });

beforeAll(async () => {
  sb = await startTestSandbox();
  [learner, grader] = await Promise.all([sb.createAccount(), sb.grader()]);
  admin = new IAMClient(sb.clientConfig(learner));
  const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: grader.accountId }, Action: "sts:AssumeRole" }] });
  roleArn = (await admin.send(new CreateRoleCommand({ RoleName: "LabGraderRole", AssumeRolePolicyDocument: trust }))).Role!.Arn!;
  await admin.send(new PutRolePolicyCommand({ RoleName: "LabGraderRole", PolicyName: "read-self", PolicyDocument: allow("iam:GetRole", roleArn) }));
  const out = await new STSClient(sb.clientConfig(grader)).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "lab-grader-u1" }));
  session = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
});
afterAll(async () => {
  await sb?.close();
});


describe("IAM enforcement for assumed roles (SDK v3)", () => {
  it("allows what the inline policy allows", async () => {
    const out = await new IAMClient(sb.clientConfig(session)).send(new GetRoleCommand({ RoleName: "LabGraderRole" }));
    expect(out.Role?.Arn).toBe(roleArn);
  });

  it("refuses anything else with AccessDenied naming the action and resource", async () => {
    const err = await errorOf(new IAMClient(sb.clientConfig(session)).send(new ListRolesCommand({})));
    expect(err).toMatchObject({ name: "AccessDenied", status: 403 });
    expect(err.message).toBe(
      `User: arn:aws:sts::${learner.accountId}:assumed-role/LabGraderRole/lab-grader-u1 is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::${learner.accountId}:role/ because no identity-based policy allows the iam:ListRoles action`,
    );
  });

  it("still answers GetCallerIdentity, which needs no permission", async () => {
    const me = await new STSClient(sb.clientConfig(session)).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe(`arn:aws:sts::${learner.accountId}:assumed-role/LabGraderRole/lab-grader-u1`);
  });

  it("follows policy changes at once: an attached managed policy allows, an explicit Deny wins", async () => {
    const iamAsRole = new IAMClient(sb.clientConfig(session));
    const p = await admin.send(new CreatePolicyCommand({ PolicyName: "list-roles", PolicyDocument: allow("iam:List*") }));
    await admin.send(new AttachRolePolicyCommand({ RoleName: "LabGraderRole", PolicyArn: p.Policy!.Arn! }));
    const listed = await iamAsRole.send(new ListRolesCommand({}));
    expect(listed.Roles?.map((r) => r.RoleName)).toEqual(["LabGraderRole"]);

    const deny = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "iam:ListRoles", Resource: "*" }] });
    await admin.send(new PutRolePolicyCommand({ RoleName: "LabGraderRole", PolicyName: "deny-list", PolicyDocument: deny }));
    const err = await errorOf(iamAsRole.send(new ListRolesCommand({})));
    expect(err.message).toContain("is not authorized to perform: iam:ListRoles on resource");
    expect(err.message).toContain("with an explicit deny in an identity-based policy");
    await admin.send(new DeleteRolePolicyCommand({ RoleName: "LabGraderRole", PolicyName: "deny-list" }));
    await iamAsRole.send(new ListRolesCommand({}));
  });

  it("answers each service's own AccessDenied code for an action the role lacks", async () => {
    const cases: Array<[string, () => Promise<unknown>, string]> = [
      ["sqs:ListQueues", () => new SQSClient(sb.clientConfig(session)).send(new ListQueuesCommand({})), "AccessDenied"],
      ["sns:ListTopics", () => new SNSClient(sb.clientConfig(session)).send(new ListTopicsCommand({})), "AuthorizationErrorException"],
      ["events:ListRules", () => new EventBridgeClient(sb.clientConfig(session)).send(new ListRulesCommand({})), "AccessDeniedException"],
      ["states:ListStateMachines", () => new SFNClient(sb.clientConfig(session)).send(new ListStateMachinesCommand({})), "AccessDeniedException"],
      ["lambda:ListFunctions", () => new LambdaClient(sb.clientConfig(session)).send(new ListFunctionsCommand({})), "AccessDeniedException"],
    ];
    for (const [action, call, name] of cases) {
      const err = await errorOf(call());
      expect(err, action).toMatchObject({ name, status: 403 });
      expect(err.message).toContain(`is not authorized to perform: ${action} on resource: `);
    }
  });

  it("checks the resource: iam:GetRole on its own ARN does not reach another role", async () => {
    const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] });
    await admin.send(new CreateRoleCommand({ RoleName: "other", AssumeRolePolicyDocument: trust }));
    const err = await errorOf(new IAMClient(sb.clientConfig(session)).send(new GetRoleCommand({ RoleName: "other" })));
    expect(err.message).toContain(`iam:GetRole on resource: arn:aws:iam::${learner.accountId}:role/other`);
  });
});

describe.each([
  ["Debian AWS CLI 2.9 (query)", AWS_CLIS.v2],
  ["pyenv AWS CLI 1.x", AWS_CLIS.v1],
])("IAM enforcement (%s)", (_label, bin) => {
  it.skipIf(!cliAvailable(bin))("shows AccessDenied naming the missing action", async () => {
    const out = await runAwsCli(bin, sb.endpoint, ["iam", "create-role", "--role-name", "x", "--assume-role-policy-document", "{}"], sb.cliEnv(session));
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain("(AccessDenied)");
    expect(out.stderr).toContain("is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::");
  }, 60_000);
});
