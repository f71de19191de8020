// IAM in the sandbox: roles, inline and customer managed policies, the AWS managed policies
// learners attach. Its model is also the core's RoleDirectory (for enforcement and STS).
import type { Operation, RequestContext, ServiceEnvironment, ServiceModule } from "@/sandbox/core/contracts";
import type { RoleDirectory } from "@/sandbox/core/identity";
import { IamModel } from "./models";
import { createHandlers } from "./handlers";
import type { IamHandlers } from "./handlers";
import { iamQueryCodec } from "./protocol";

type Input = Record<string, unknown>;

export interface IamServiceModule extends ServiceModule {
  roles: RoleDirectory;
}

function roleArn(model: IamModel) {
  return (input: Input, ctx: RequestContext) => {
    const name = typeof input.RoleName === "string" ? input.RoleName : "";
    return model.getRole(ctx.accountId, name)?.Arn ?? `arn:aws:iam::${ctx.accountId}:role/${name}`;
  };
}

function policyArn(input: Input, ctx: RequestContext): string {
  return typeof input.PolicyArn === "string" ? input.PolicyArn : `arn:aws:iam::${ctx.accountId}:policy/`;
}

export function createIamService(env: ServiceEnvironment): IamServiceModule {
  const model = new IamModel(env.store);
  const h = createHandlers(model);
  const onRole = roleArn(model);
  const op = (name: keyof IamHandlers, resource: (input: Input, ctx: RequestContext) => string): Operation<never, never> =>
    ({ action: `iam:${name}`, resource, handler: h[name] }) as unknown as Operation<never, never>;
  const roleOps = ["GetRole", "DeleteRole", "UpdateRole", "UpdateAssumeRolePolicy", "PutRolePolicy", "GetRolePolicy", "ListRolePolicies", "DeleteRolePolicy", "AttachRolePolicy", "DetachRolePolicy", "ListAttachedRolePolicies", "TagRole", "UntagRole", "ListRoleTags"] as const;
  const operations: Record<string, Operation<never, never>> = {
    CreateRole: op("CreateRole", (input, ctx) => `arn:aws:iam::${ctx.accountId}:role${typeof input.Path === "string" ? input.Path : "/"}${String(input.RoleName ?? "")}`),
    ListRoles: op("ListRoles", (_i, ctx) => `arn:aws:iam::${ctx.accountId}:role/`),
    CreatePolicy: op("CreatePolicy", (input, ctx) => `arn:aws:iam::${ctx.accountId}:policy${typeof input.Path === "string" ? input.Path : "/"}${String(input.PolicyName ?? "")}`),
    GetPolicy: op("GetPolicy", policyArn),
    GetPolicyVersion: op("GetPolicyVersion", policyArn),
    DeletePolicy: op("DeletePolicy", policyArn),
    CreatePolicyVersion: op("CreatePolicyVersion", policyArn),
    ListPolicyVersions: op("ListPolicyVersions", policyArn),
    SetDefaultPolicyVersion: op("SetDefaultPolicyVersion", policyArn),
    DeletePolicyVersion: op("DeletePolicyVersion", policyArn),
    ListPolicies: op("ListPolicies", (_i, ctx) => `arn:aws:iam::${ctx.accountId}:policy/`),
  };
  for (const name of roleOps) operations[name] = op(name, onRole);
  return {
    definition: { signingName: "iam", query: iamQueryCodec, operations },
    roles: model,
    resetAccount: (accountId) => model.resetAccount(accountId),
  };
}
