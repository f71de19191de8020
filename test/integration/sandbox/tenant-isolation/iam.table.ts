// IAM is account-scoped: a role is named by its name, which always means the caller's own
// account (NoSuchEntity for the victim's role name; an ARN is not a name, ValidationError); a
// policy ARN of another account is AccessDenied (IAM has no resource policies), or NoSuchEntity
// where the ARN is only a parameter (attaching it to the attacker's own role). IAM is global, so
// a request signed for another region acts the same.
import * as iam from "@aws-sdk/client-iam";
import type { Attempt, IsolationTable } from "./support";
import { OTHER_REGION } from "./support";

interface Victim {
  roleName: string;
  roleArn: string;
  policyArn: string;
  /** The attacker's ARN for a policy of the victim's name: the attacker has none. */
  ownPolicyArn: string;
}

const NO_ENTITY = "NoSuchEntityException";
const DENIED = "AccessDenied";

const TRUST = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] });
const ALLOW_ALL = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] });

function byRoleName(v: Victim, extra: Record<string, unknown> = {}): Attempt[] {
  return [
    { label: "by the victim's role name", input: { RoleName: v.roleName, ...extra }, expect: NO_ENTITY },
    { label: "by the victim's role name, signed for another region", region: OTHER_REGION, input: { RoleName: v.roleName, ...extra }, expect: NO_ENTITY },
    { label: "by the victim's role ARN as its name", input: { RoleName: v.roleArn, ...extra }, expect: "ValidationError" },
  ];
}

function byPolicyArn(v: Victim, extra: Record<string, unknown> = {}): Attempt[] {
  return [
    { label: "by ARN", input: { PolicyArn: v.policyArn, ...extra }, expect: DENIED },
    { label: "by ARN, signed for another region", region: OTHER_REGION, input: { PolicyArn: v.policyArn, ...extra }, expect: DENIED },
    { label: "by the victim's policy name in the caller's account", input: { PolicyArn: v.ownPolicyArn, ...extra }, expect: NO_ENTITY },
  ];
}

export const iamTable: IsolationTable<Victim> = {
  service: "iam",
  newClient: (config) => new iam.IAMClient(config),
  commands: iam,
  signatureError: "SignatureDoesNotMatch",

  async setup(env) {
    const c = env.client(env.victim);
    const role = await env.send(c, "CreateRole", { RoleName: "victim-role", AssumeRolePolicyDocument: TRUST, Tags: [{ Key: "team", Value: "victim" }] });
    await env.send(c, "PutRolePolicy", { RoleName: "victim-role", PolicyName: "inline", PolicyDocument: ALLOW_ALL });
    const policy = await env.send(c, "CreatePolicy", { PolicyName: "victim-policy", PolicyDocument: ALLOW_ALL });
    const policyArn = (policy.Policy as { Arn: string }).Arn;
    await env.send(c, "CreatePolicyVersion", { PolicyArn: policyArn, PolicyDocument: ALLOW_ALL });
    await env.send(c, "AttachRolePolicy", { RoleName: "victim-role", PolicyArn: policyArn });
    // The attacker's own role, to which it tries to attach the victim's policy.
    await env.send(env.client(env.attacker), "CreateRole", { RoleName: "attacker-role", AssumeRolePolicyDocument: TRUST });
    return {
      roleName: "victim-role",
      roleArn: (role.Role as { Arn: string }).Arn,
      policyArn,
      ownPolicyArn: `arn:aws:iam::${env.attacker.accountId}:policy/victim-policy`,
    };
  },

  async snapshot(env, v) {
    const c = env.client(env.victim);
    const role = await env.send(c, "GetRole", { RoleName: v.roleName });
    const inline = await env.send(c, "GetRolePolicy", { RoleName: v.roleName, PolicyName: "inline" });
    const attached = await env.send(c, "ListAttachedRolePolicies", { RoleName: v.roleName });
    const policy = await env.send(c, "GetPolicy", { PolicyArn: v.policyArn });
    const versions = await env.send(c, "ListPolicyVersions", { PolicyArn: v.policyArn });
    const strip = ({ $metadata: _m, ...rest }: Record<string, unknown>) => rest;
    return [role, inline, attached, policy, versions].map(strip);
  },

  rows: {
    GetRole: (v) => byRoleName(v),
    DeleteRole: (v) => byRoleName(v),
    UpdateRole: (v) => byRoleName(v, { Description: "owned" }),
    UpdateAssumeRolePolicy: (v) => byRoleName(v, { PolicyDocument: TRUST }),
    PutRolePolicy: (v) => byRoleName(v, { PolicyName: "inline", PolicyDocument: ALLOW_ALL }),
    GetRolePolicy: (v) => byRoleName(v, { PolicyName: "inline" }),
    ListRolePolicies: (v) => byRoleName(v),
    DeleteRolePolicy: (v) => byRoleName(v, { PolicyName: "inline" }),
    AttachRolePolicy: (v) => [
      ...byRoleName(v, { PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }),
      { label: "the victim's policy onto the caller's own role", input: { RoleName: "attacker-role", PolicyArn: v.policyArn }, expect: NO_ENTITY },
    ],
    DetachRolePolicy: (v) => [
      ...byRoleName(v, { PolicyArn: v.policyArn }),
      { label: "the victim's policy from the caller's own role", input: { RoleName: "attacker-role", PolicyArn: v.policyArn }, expect: NO_ENTITY },
    ],
    ListAttachedRolePolicies: (v) => byRoleName(v),
    TagRole: (v) => byRoleName(v, { Tags: [{ Key: "owner", Value: "attacker" }] }),
    UntagRole: (v) => byRoleName(v, { TagKeys: ["team"] }),
    ListRoleTags: (v) => byRoleName(v),
    GetPolicy: (v) => byPolicyArn(v),
    GetPolicyVersion: (v) => byPolicyArn(v, { VersionId: "v1" }),
    DeletePolicy: (v) => byPolicyArn(v),
    CreatePolicyVersion: (v) => byPolicyArn(v, { PolicyDocument: ALLOW_ALL, SetAsDefault: true }),
    ListPolicyVersions: (v) => byPolicyArn(v),
    SetDefaultPolicyVersion: (v) => byPolicyArn(v, { VersionId: "v1" }),
    DeletePolicyVersion: (v) => byPolicyArn(v, { VersionId: "v1" }),
  },

  exempt: {
    CreateRole: "creates a role in the caller's own account from a name",
    ListRoles: "lists the caller's own roles",
    CreatePolicy: "creates a policy in the caller's own account from a name",
    ListPolicies: "lists the caller's own policies and AWS's managed ones",
  },
};
