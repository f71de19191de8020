// Durability of the core's own state: accounts, keys, IAM roles and STS sessions survive the
// sandbox process being killed with SIGKILL right after the calls were acknowledged.
import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { CreateRoleCommand, GetRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import type { SandboxProcess } from "@/test/support/sandbox";
import { spawnSandboxProcess } from "@/test/support/sandbox";

const running: SandboxProcess[] = [];
afterAll(async () => {
  for (const p of running) await p.kill("SIGKILL");
  const dir = running[0]?.dataDir;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("sandbox restart after SIGKILL", () => {
  it("keeps accounts, keys, roles, policies and sessions", async () => {
    const first = await spawnSandboxProcess();
    running.push(first);
    const acct = await first.createAccount();
    const grader = await first.grader();
    const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: grader.accountId }, Action: "sts:AssumeRole" }] });
    const iam = new IAMClient(first.clientConfig(acct));
    const role = await iam.send(new CreateRoleCommand({ RoleName: "LabGraderRole", AssumeRolePolicyDocument: trust }));
    await iam.send(new PutRolePolicyCommand({ RoleName: "LabGraderRole", PolicyName: "p", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:GetRole", Resource: "*" }] }) }));
    const assumed = await new STSClient(first.clientConfig(grader)).send(new AssumeRoleCommand({ RoleArn: role.Role!.Arn!, RoleSessionName: "before-kill" }));
    await first.kill("SIGKILL");

    const second = await spawnSandboxProcess({ dataDir: first.dataDir, port: first.port });
    running.push(second);
    expect(await second.grader()).toEqual(grader);
    const me = await new STSClient(second.clientConfig(acct)).send(new GetCallerIdentityCommand({}));
    expect(me.Account).toBe(acct.accountId);
    const session = { accessKeyId: assumed.Credentials!.AccessKeyId!, secretAccessKey: assumed.Credentials!.SecretAccessKey!, sessionToken: assumed.Credentials!.SessionToken! };
    const got = await new IAMClient(second.clientConfig(session)).send(new GetRoleCommand({ RoleName: "LabGraderRole" }));
    expect(got.Role?.Arn).toBe(role.Role!.Arn);
  }, 120_000);
});
