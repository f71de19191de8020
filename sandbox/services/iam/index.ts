// IAM in the sandbox: roles, inline and customer managed policies, the AWS managed policies
// learners attach. Its model is also the core's RoleDirectory (for enforcement and STS).
import type { RequestContext, ServiceEnvironment, ServiceModule } from "@/sandbox/core/contracts";
import type { RoleDirectory } from "@/sandbox/core/identity";
import { operationTable } from "@/sandbox/core/operation-table";
import type { OperationInput } from "@/sandbox/core/operation-table";
import { handlers } from "./handlers";
import { IamModel } from "./models";
import { iamQueryCodec } from "./protocol";

export interface IamServiceModule extends ServiceModule {
  roles: RoleDirectory;
}

/** The ARN IAM authorizes an operation against: the role, the policy, or the account's roles or policies. */
function resourceOf(iam: IamModel, name: keyof typeof handlers, input: OperationInput, ctx: RequestContext): string {
  const path = typeof input.Path === "string" ? input.Path : "/";
  switch (name) {
    case "CreateRole":
      return `arn:aws:iam::${ctx.accountId}:role${path}${String(input.RoleName ?? "")}`;
    case "ListRoles":
      return `arn:aws:iam::${ctx.accountId}:role/`;
    case "CreatePolicy":
      return `arn:aws:iam::${ctx.accountId}:policy${path}${String(input.PolicyName ?? "")}`;
    case "ListPolicies":
      return `arn:aws:iam::${ctx.accountId}:policy/`;
    case "GetPolicy":
    case "GetPolicyVersion":
    case "DeletePolicy":
    case "CreatePolicyVersion":
    case "ListPolicyVersions":
    case "SetDefaultPolicyVersion":
    case "DeletePolicyVersion":
      return typeof input.PolicyArn === "string" ? input.PolicyArn : `arn:aws:iam::${ctx.accountId}:policy/`;
    case "GetRole":
    case "DeleteRole":
    case "UpdateRole":
    case "UpdateAssumeRolePolicy":
    case "PutRolePolicy":
    case "GetRolePolicy":
    case "ListRolePolicies":
    case "DeleteRolePolicy":
    case "AttachRolePolicy":
    case "DetachRolePolicy":
    case "ListAttachedRolePolicies":
    case "TagRole":
    case "UntagRole":
    case "ListRoleTags": {
      const role = typeof input.RoleName === "string" ? input.RoleName : "";
      return iam.getRole(ctx.accountId, role)?.Arn ?? `arn:aws:iam::${ctx.accountId}:role/${role}`;
    }
  }
}

export function createIamService(env: ServiceEnvironment): IamServiceModule {
  const iam = new IamModel(env.store);
  const operations = operationTable<IamModel, keyof typeof handlers>({
    prefix: "iam",
    service: iam,
    handlers,
    resource: (name, input, ctx) => resourceOf(iam, name, input, ctx),
  });
  return {
    definition: { signingName: "iam", query: iamQueryCodec, operations },
    roles: iam,
    resetAccount: (accountId) => iam.resetAccount(accountId),
  };
}
