// Differential tests, STS and IAM: GetCallerIdentity for the `test` keys and the role and inline
// policy round trip, with the same SDK calls on the sandbox and on moto (python3 -m moto.server),
// compared after taking out dates, generated ids and account ids (the sandbox's `test` keys are
// 000000000000, moto's default account 123456789012). moto does not enforce trust policies, so
// AssumeRole is not compared (sts-assume-role.test.ts checks it on the sandbox).
// Skips with a message where moto is absent.
import {
  CreateRoleCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
  DeleteRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { both, motoSkipReason, normalise, outcome, startTargets, type Target, type Targets } from "@/test/support/moto";

const skip = motoSkipReason("differential-iam-sts");

const TRUST = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "states.amazonaws.com" }, Action: "sts:AssumeRole" }],
};
const POLICY = {
  Version: "2012-10-17",
  Statement: [
    { Sid: "PublishOrders", Effect: "Allow", Action: ["sns:Publish"], Resource: "arn:aws:sns:us-east-1:*:order-events" },
    { Sid: "Everything*Else", Effect: "Deny", NotAction: ["sns:*", "sqs:Send*"], Resource: "*", Condition: { StringEquals: { "aws:RequestedRegion": "eu-west-1" } } },
  ],
};

/** IAM hands policy documents back URL-encoded; the encodings differ in detail (moto also encodes `*`), so the decoded JSON is compared. */
const decode = (doc: string | undefined) => (doc === undefined ? undefined : (JSON.parse(decodeURIComponent(doc)) as unknown));

describe.skipIf(skip)("STS and IAM: sandbox and moto answer alike", () => {
  let targets: Targets;
  const destroy: { destroy(): void }[] = [];

  beforeAll(async () => {
    targets = await startTargets();
  });
  afterAll(async () => {
    for (const c of destroy) c.destroy();
    await targets?.close();
  });

  function clients(t: Target) {
    const iam = new IAMClient(t.config);
    const sts = new STSClient(t.config);
    destroy.push(iam, sts);
    return { iam, sts };
  }

  it("GetCallerIdentity with the test keys: a 12-digit account, each emulator's own", async () => {
    const [sandbox, moto] = await both(targets.sandbox, targets.moto, async (t) => {
      const id = await clients(t).sts.send(new GetCallerIdentityCommand({}));
      return { raw: id.Account, account: normalise(id.Account, t), arnAccount: normalise(id.Arn?.split(":")[4], t) };
    });
    expect(sandbox.raw).toBe("000000000000");
    expect(moto.raw).toMatch(/^\d{12}$/);
    expect({ account: sandbox.account, arnAccount: sandbox.arnAccount }).toEqual({ account: moto.account, arnAccount: moto.arnAccount });
    // The principal differs and neither is wrong: the sandbox treats `test` keys as the account's
    // root (arn:aws:iam::000000000000:root), moto as its built-in user (arn:aws:sts::…:user/moto).
  });

  it("create-role, get-role, put-role-policy, get-role-policy, list and delete: the same documents and shapes", async () => {
    const [sandbox, moto] = await both(targets.sandbox, targets.moto, async (t) => {
      const { iam } = clients(t);
      const created = await iam.send(
        new CreateRoleCommand({ RoleName: "order-workflow-role", Path: "/service-role/", AssumeRolePolicyDocument: JSON.stringify(TRUST), Description: "Runs the order workflow", MaxSessionDuration: 7200 }),
      );
      const got = await iam.send(new GetRoleCommand({ RoleName: "order-workflow-role" }));
      await iam.send(new PutRolePolicyCommand({ RoleName: "order-workflow-role", PolicyName: "publish-orders", PolicyDocument: JSON.stringify(POLICY) }));
      const policy = await iam.send(new GetRolePolicyCommand({ RoleName: "order-workflow-role", PolicyName: "publish-orders" }));
      const listed = await iam.send(new ListRolePoliciesCommand({ RoleName: "order-workflow-role" }));
      await iam.send(new DeleteRolePolicyCommand({ RoleName: "order-workflow-role", PolicyName: "publish-orders" }));
      const afterDelete = await iam.send(new ListRolePoliciesCommand({ RoleName: "order-workflow-role" }));
      // RoleId is generated (both answer AROA…), CreateDate is a time, and RoleLastUsed is empty on
      // a new role: moto answers {} in CreateRole too, AWS and the sandbox only in GetRole.
      const role = (r: typeof created.Role) => ({
        Path: r?.Path,
        RoleName: r?.RoleName,
        Arn: r?.Arn,
        RoleIdPrefix: r?.RoleId?.slice(0, 4),
        CreateDate: r?.CreateDate,
        Description: r?.Description,
        MaxSessionDuration: r?.MaxSessionDuration,
        AssumeRolePolicyDocument: decode(r?.AssumeRolePolicyDocument),
      });
      return normalise(
        {
          created: role(created.Role),
          got: role(got.Role),
          sameRoleId: created.Role?.RoleId === got.Role?.RoleId,
          policy: { RoleName: policy.RoleName, PolicyName: policy.PolicyName, PolicyDocument: decode(policy.PolicyDocument) },
          listed: { PolicyNames: listed.PolicyNames, IsTruncated: listed.IsTruncated },
          afterDelete: afterDelete.PolicyNames,
        },
        t,
      );
    });
    expect(sandbox).toEqual(moto);
    expect(sandbox).toEqual({
      created: {
        Path: "/service-role/",
        RoleName: "order-workflow-role",
        Arn: "arn:aws:iam::<account>:role/service-role/order-workflow-role",
        RoleIdPrefix: "AROA",
        CreateDate: "<date>",
        Description: "Runs the order workflow",
        MaxSessionDuration: 7200,
        AssumeRolePolicyDocument: TRUST,
      },
      got: expect.objectContaining({ Arn: "arn:aws:iam::<account>:role/service-role/order-workflow-role", AssumeRolePolicyDocument: TRUST }),
      sameRoleId: true,
      policy: { RoleName: "order-workflow-role", PolicyName: "publish-orders", PolicyDocument: POLICY },
      listed: { PolicyNames: ["publish-orders"], IsTruncated: false },
      afterDelete: [],
    });
  });

  it("errors: a missing role or inline policy and a duplicate role give the same error names and statuses", async () => {
    const [sandbox, moto] = await both(targets.sandbox, targets.moto, async (t) => {
      const { iam } = clients(t);
      await iam.send(new CreateRoleCommand({ RoleName: "errors-role", AssumeRolePolicyDocument: JSON.stringify(TRUST) }));
      // Messages differ (AWS and the sandbox: "The role with name … cannot be found."; moto: "Role … not found").
      return {
        missingRole: await outcome(iam.send(new GetRoleCommand({ RoleName: "no-such-role" })), t),
        missingPolicy: await outcome(iam.send(new GetRolePolicyCommand({ RoleName: "errors-role", PolicyName: "no-such-policy" })), t),
        duplicate: await outcome(iam.send(new CreateRoleCommand({ RoleName: "errors-role", AssumeRolePolicyDocument: JSON.stringify(TRUST) })), t),
        policyOnMissingRole: await outcome(iam.send(new PutRolePolicyCommand({ RoleName: "no-such-role", PolicyName: "p", PolicyDocument: JSON.stringify(POLICY) })), t),
      };
    });
    expect(sandbox).toEqual(moto);
    expect(sandbox).toEqual({
      missingRole: { error: "NoSuchEntityException", status: 404 },
      missingPolicy: { error: "NoSuchEntityException", status: 404 },
      duplicate: { error: "EntityAlreadyExistsException", status: 409 },
      policyOnMissingRole: { error: "NoSuchEntityException", status: 404 },
    });
  });
});
