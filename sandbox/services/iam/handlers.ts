// IAM's operations: one top-level function per operation, named after it, taking IAM's model
// first. Inputs and outputs are the SDK's shapes; policy documents go out URL-encoded, as IAM
// returns them.
import type {
  AttachRolePolicyCommandOutput,
  CreatePolicyCommandOutput,
  CreatePolicyVersionCommandOutput,
  CreateRoleCommandOutput,
  DeletePolicyCommandOutput,
  DeletePolicyVersionCommandOutput,
  DeleteRoleCommandOutput,
  DeleteRolePolicyCommandOutput,
  DetachRolePolicyCommandOutput,
  GetPolicyCommandOutput,
  GetPolicyVersionCommandOutput,
  GetRoleCommandOutput,
  GetRolePolicyCommandOutput,
  ListAttachedRolePoliciesCommandOutput,
  ListPoliciesCommandOutput,
  ListPolicyVersionsCommandOutput,
  ListRolePoliciesCommandOutput,
  ListRoleTagsCommandOutput,
  ListRolesCommandOutput,
  Policy,
  PutRolePolicyCommandOutput,
  Role,
  SetDefaultPolicyVersionCommandOutput,
  TagRoleCommandOutput,
  UntagRoleCommandOutput,
  UpdateAssumeRolePolicyCommandOutput,
  UpdateRoleCommandOutput,
} from "@aws-sdk/client-iam";
import type { RequestContext } from "@/sandbox/core/contracts";
import { newUniqueId } from "@/sandbox/core/ids";
import type { WireOutput as Wire } from "@/sandbox/core/wire-output";
import type { IamModel, PolicyState, RoleState } from "./models";
import { versionsOf } from "./models";
import { awsManagedPolicies, awsManagedPolicy } from "./managed-policies";
import { attachablePolicy, policyArnParameter, policyByArn, roleByName } from "./access";
import {
  DeleteConflict,
  EntityAlreadyExists,
  LimitExceeded,
  ValidationError,
  memberConstraint,
  policyNotFound,
  policyVersionNotFound,
  quotaExceeded,
  rolePolicyNotFound,
} from "./errors";
import { checkName, checkPath, checkPolicyDocument, checkTags, intOf, optionalString, requireString } from "./validate";

type Input = Record<string, unknown>;

const MAX_ATTACHED = 10;
const MAX_INLINE_TOTAL = 10_240;
const encodeDocument = (doc: string) => encodeURIComponent(doc);
/** IAM's dates have whole seconds. */
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

function roleOut(r: RoleState, withTags = true): Wire<Role> {
  return {
    Path: r.Path,
    RoleName: r.RoleName,
    RoleId: r.RoleId,
    Arn: r.Arn,
    CreateDate: r.CreateDate,
    AssumeRolePolicyDocument: encodeDocument(r.AssumeRolePolicyDocument),
    Description: r.Description,
    MaxSessionDuration: r.MaxSessionDuration,
    ...(withTags && r.Tags.length > 0 ? { Tags: r.Tags } : {}),
  };
}

function policyOut(p: PolicyState, attachments: number): Wire<Policy> {
  return {
    PolicyName: p.PolicyName,
    PolicyId: p.PolicyId,
    Arn: p.Arn,
    Path: p.Path,
    DefaultVersionId: p.DefaultVersionId ?? "v1",
    AttachmentCount: attachments,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: p.Description,
    CreateDate: p.CreateDate,
    UpdateDate: p.UpdateDate,
    ...(p.Tags.length > 0 ? { Tags: p.Tags } : {}),
  };
}

const maxSessionDurationOutOfRange = (max: number) => memberConstraint(String(max), "maxSessionDuration", "Member must have value between 3600 and 43200");

/** Paginates a sorted list with IAM's Marker / MaxItems / IsTruncated. */
function page<T>(items: T[], input: Input, key: (t: T) => string): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const max = intOf(input, "MaxItems") ?? 100;
  if (max < 1 || max > 1000) throw memberConstraint(String(max), "maxItems", "Member must have value between 1 and 1000");
  const marker = optionalString(input, "Marker");
  const start = marker === undefined ? 0 : items.findIndex((t) => key(t) >= marker);
  const from = start < 0 ? items.length : start;
  const slice = items.slice(from, from + max);
  const next = items[from + max];
  return next === undefined ? { items: slice, IsTruncated: false } : { items: slice, IsTruncated: true, Marker: key(next) };
}

/** A customer managed policy of the caller's, for the operations that change or list its versions. */
function customerPolicy(iam: IamModel, input: Input, ctx: RequestContext, action: string): PolicyState {
  const ref = policyByArn(iam, input, ctx, action, "none");
  if (ref.kind !== "customer") throw policyNotFound(ref.arn);
  return ref.policy;
}

export function CreateRole(iam: IamModel, input: Input, ctx: RequestContext): Wire<CreateRoleCommandOutput> {
  const name = checkName(requireString(input, "RoleName"), "RoleName", 64);
  const path = checkPath(optionalString(input, "Path"));
  const doc = checkPolicyDocument(requireString(input, "AssumeRolePolicyDocument"), "trust", 2048, "ACLSizePerRole");
  const max = intOf(input, "MaxSessionDuration") ?? 3600;
  if (max < 3600 || max > 43200) throw maxSessionDurationOutOfRange(max);
  const description = optionalString(input, "Description");
  if (description !== undefined && description.length > 1000) throw ValidationError("1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 1000");
  if (iam.getRole(ctx.accountId, name)) throw EntityAlreadyExists(`Role with name ${name} already exists.`);
  const role: RoleState = {
    accountId: ctx.accountId,
    RoleName: name,
    RoleId: newUniqueId("AROA"),
    Arn: `arn:aws:iam::${ctx.accountId}:role${path}${name}`,
    Path: path,
    CreateDate: isoSeconds(ctx.now),
    AssumeRolePolicyDocument: doc,
    ...(description !== undefined ? { Description: description } : {}),
    MaxSessionDuration: max,
    Tags: checkTags(input.Tags),
    inline: {},
    attached: [],
  };
  iam.saveRole(role);
  return { Role: roleOut(role) };
}

export function GetRole(iam: IamModel, input: Input, ctx: RequestContext): Wire<GetRoleCommandOutput> {
  return { Role: { ...roleOut(roleByName(iam, input, ctx)), RoleLastUsed: {} } };
}

export function ListRoles(iam: IamModel, input: Input, ctx: RequestContext): Wire<ListRolesCommandOutput> {
  const prefix = checkPath(optionalString(input, "PathPrefix"));
  const roles = iam.listRoles(ctx.accountId).filter((r) => r.Path.startsWith(prefix));
  const p = page(roles, input, (r) => r.RoleName);
  return { Roles: p.items.map((r) => roleOut(r, false)), IsTruncated: p.IsTruncated, Marker: p.Marker };
}

export function DeleteRole(iam: IamModel, input: Input, ctx: RequestContext): Wire<DeleteRoleCommandOutput> {
  const role = roleByName(iam, input, ctx);
  if (role.attached.length > 0) throw DeleteConflict("Cannot delete entity, must detach all policies first.");
  if (Object.keys(role.inline).length > 0) throw DeleteConflict("Cannot delete entity, must delete policies first.");
  iam.deleteRole(ctx.accountId, role.RoleName);
  return {};
}

export function UpdateRole(iam: IamModel, input: Input, ctx: RequestContext): Wire<UpdateRoleCommandOutput> {
  const role = roleByName(iam, input, ctx);
  const description = optionalString(input, "Description");
  const max = intOf(input, "MaxSessionDuration");
  if (max !== undefined && (max < 3600 || max > 43200)) throw maxSessionDurationOutOfRange(max);
  iam.saveRole({ ...role, ...(description !== undefined ? { Description: description } : {}), ...(max !== undefined ? { MaxSessionDuration: max } : {}) });
  return {};
}

export function UpdateAssumeRolePolicy(iam: IamModel, input: Input, ctx: RequestContext): Wire<UpdateAssumeRolePolicyCommandOutput> {
  const role = roleByName(iam, input, ctx);
  const doc = checkPolicyDocument(requireString(input, "PolicyDocument"), "trust", 2048, "ACLSizePerRole");
  iam.saveRole({ ...role, AssumeRolePolicyDocument: doc });
  return {};
}

export function PutRolePolicy(iam: IamModel, input: Input, ctx: RequestContext): Wire<PutRolePolicyCommandOutput> {
  const role = roleByName(iam, input, ctx);
  const name = checkName(requireString(input, "PolicyName"), "PolicyName", 128);
  const doc = checkPolicyDocument(requireString(input, "PolicyDocument"), "identity", MAX_INLINE_TOTAL, "PolicySize");
  const existing = Object.keys(role.inline).find((k) => k.toLowerCase() === name.toLowerCase());
  const inline = { ...role.inline };
  if (existing !== undefined) delete inline[existing];
  inline[name] = doc;
  const total = Object.values(inline).reduce((n, d) => n + d.replace(/\s/g, "").length, 0);
  if (total > MAX_INLINE_TOTAL) throw LimitExceeded(`Maximum policy size of ${MAX_INLINE_TOTAL} bytes exceeded for role ${role.RoleName}`);
  iam.saveRole({ ...role, inline });
  return {};
}

export function GetRolePolicy(iam: IamModel, input: Input, ctx: RequestContext): Wire<GetRolePolicyCommandOutput> {
  const role = roleByName(iam, input, ctx);
  const name = requireString(input, "PolicyName");
  const key = Object.keys(role.inline).find((k) => k.toLowerCase() === name.toLowerCase());
  if (key === undefined) throw rolePolicyNotFound(name);
  return { RoleName: role.RoleName, PolicyName: key, PolicyDocument: encodeDocument(role.inline[key] as string) };
}

export function ListRolePolicies(iam: IamModel, input: Input, ctx: RequestContext): Wire<ListRolePoliciesCommandOutput> {
  const role = roleByName(iam, input, ctx);
  const p = page(Object.keys(role.inline).sort(), input, (n) => n);
  return { PolicyNames: p.items, IsTruncated: p.IsTruncated, Marker: p.Marker };
}

export function DeleteRolePolicy(iam: IamModel, input: Input, ctx: RequestContext): Wire<DeleteRolePolicyCommandOutput> {
  const role = roleByName(iam, input, ctx);
  const name = requireString(input, "PolicyName");
  const key = Object.keys(role.inline).find((k) => k.toLowerCase() === name.toLowerCase());
  if (key === undefined) throw rolePolicyNotFound(name);
  const inline = { ...role.inline };
  delete inline[key];
  iam.saveRole({ ...role, inline });
  return {};
}

export function CreatePolicy(iam: IamModel, input: Input, ctx: RequestContext): Wire<CreatePolicyCommandOutput> {
  const name = checkName(requireString(input, "PolicyName"), "PolicyName", 128);
  const path = checkPath(optionalString(input, "Path"));
  const doc = checkPolicyDocument(requireString(input, "PolicyDocument"), "identity", 6144, "PolicySize");
  if (iam.getPolicyByName(ctx.accountId, name)) {
    throw EntityAlreadyExists(`A policy called ${name} already exists. Duplicate names are not allowed.`);
  }
  const now = isoSeconds(ctx.now);
  const description = optionalString(input, "Description");
  const policy: PolicyState = {
    accountId: ctx.accountId,
    PolicyName: name,
    PolicyId: newUniqueId("ANPA"),
    Arn: `arn:aws:iam::${ctx.accountId}:policy${path}${name}`,
    Path: path,
    ...(description !== undefined ? { Description: description } : {}),
    CreateDate: now,
    UpdateDate: now,
    Document: doc,
    Tags: checkTags(input.Tags),
  };
  iam.savePolicy(policy);
  return { Policy: policyOut(policy, 0) };
}

export function GetPolicy(iam: IamModel, input: Input, ctx: RequestContext): Wire<GetPolicyCommandOutput> {
  const ref = policyByArn(iam, input, ctx, "GetPolicy", "read");
  const arn = ref.arn;
  if (ref.kind === "customer") return { Policy: policyOut(ref.policy, iam.attachmentCount(arn)) };
  const managed = ref.managed;
  return {
    Policy: {
      PolicyName: managed.name, PolicyId: `ANPA${managed.name.toUpperCase().replace(/[^A-Z0-9]/g, "").slice(0, 17)}`, Arn: arn,
      Path: managed.path, DefaultVersionId: "v1", AttachmentCount: iam.attachmentCount(arn), PermissionsBoundaryUsageCount: 0,
      IsAttachable: true, Description: managed.description, CreateDate: "2015-02-06T18:39:46Z", UpdateDate: "2015-02-06T18:39:46Z",
    },
  };
}

export function GetPolicyVersion(iam: IamModel, input: Input, ctx: RequestContext): Wire<GetPolicyVersionCommandOutput> {
  const ref = policyByArn(iam, input, ctx, "GetPolicyVersion", "read");
  const arn = ref.arn;
  const versionId = requireString(input, "VersionId");
  if (ref.kind === "customer") {
    const customer = ref.policy;
    const v = versionsOf(customer).find((x) => x.VersionId === versionId);
    if (!v) throw policyVersionNotFound(arn, versionId);
    const isDefault = versionId === (customer.DefaultVersionId ?? "v1");
    return { PolicyVersion: { Document: encodeDocument(v.Document), VersionId: v.VersionId, IsDefaultVersion: isDefault, CreateDate: v.CreateDate } };
  }
  const managed = ref.managed;
  if (versionId !== "v1") throw policyVersionNotFound(arn, versionId);
  return { PolicyVersion: { Document: encodeDocument(JSON.stringify(managed.document)), VersionId: "v1", IsDefaultVersion: true, CreateDate: "2015-02-06T18:39:46Z" } };
}

export function CreatePolicyVersion(iam: IamModel, input: Input, ctx: RequestContext): Wire<CreatePolicyVersionCommandOutput> {
  const policy = customerPolicy(iam, input, ctx, "CreatePolicyVersion");
  const doc = checkPolicyDocument(requireString(input, "PolicyDocument"), "identity", 6144, "PolicySize");
  const versions = versionsOf(policy);
  if (versions.length >= 5) {
    throw LimitExceeded("A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.");
  }
  const next = `v${Math.max(...versions.map((v) => Number(v.VersionId.slice(1)))) + 1}`;
  const created = { VersionId: next, Document: doc, CreateDate: isoSeconds(ctx.now) };
  const setDefault = input.SetAsDefault === true || input.SetAsDefault === "true";
  iam.savePolicy({
    ...policy,
    versions: [...versions, created],
    DefaultVersionId: setDefault ? next : (policy.DefaultVersionId ?? "v1"),
    ...(setDefault ? { Document: doc } : {}),
    UpdateDate: isoSeconds(ctx.now),
  });
  return { PolicyVersion: { VersionId: next, IsDefaultVersion: setDefault, CreateDate: created.CreateDate } };
}

export function ListPolicyVersions(iam: IamModel, input: Input, ctx: RequestContext): Wire<ListPolicyVersionsCommandOutput> {
  const policy = customerPolicy(iam, input, ctx, "ListPolicyVersions");
  const def = policy.DefaultVersionId ?? "v1";
  const versions = versionsOf(policy)
    .map((v) => ({ VersionId: v.VersionId, IsDefaultVersion: v.VersionId === def, CreateDate: v.CreateDate }))
    .reverse();
  const p = page(versions, input, (v) => v.VersionId);
  return { Versions: p.items, IsTruncated: p.IsTruncated, Marker: p.Marker };
}

export function SetDefaultPolicyVersion(iam: IamModel, input: Input, ctx: RequestContext): Wire<SetDefaultPolicyVersionCommandOutput> {
  const policy = customerPolicy(iam, input, ctx, "SetDefaultPolicyVersion");
  const versionId = requireString(input, "VersionId");
  const v = versionsOf(policy).find((x) => x.VersionId === versionId);
  if (!v) throw policyVersionNotFound(policy.Arn, versionId);
  iam.savePolicy({ ...policy, versions: versionsOf(policy), DefaultVersionId: versionId, Document: v.Document, UpdateDate: isoSeconds(ctx.now) });
  return {};
}

export function DeletePolicyVersion(iam: IamModel, input: Input, ctx: RequestContext): Wire<DeletePolicyVersionCommandOutput> {
  const policy = customerPolicy(iam, input, ctx, "DeletePolicyVersion");
  const versionId = requireString(input, "VersionId");
  const versions = versionsOf(policy);
  if (!versions.some((x) => x.VersionId === versionId)) throw policyVersionNotFound(policy.Arn, versionId);
  if (versionId === (policy.DefaultVersionId ?? "v1")) throw DeleteConflict("Cannot delete the default version of a policy.");
  iam.savePolicy({ ...policy, versions: versions.filter((x) => x.VersionId !== versionId) });
  return {};
}

export function ListPolicies(iam: IamModel, input: Input, ctx: RequestContext): Wire<ListPoliciesCommandOutput> {
  const scope = optionalString(input, "Scope") ?? "All";
  if (!["All", "AWS", "Local"].includes(scope)) throw memberConstraint(scope, "scope", "Member must satisfy enum value set: [All, AWS, Local]");
  const onlyAttached = input.OnlyAttached === true || input.OnlyAttached === "true";
  const prefix = checkPath(optionalString(input, "PathPrefix"));
  const all: Wire<Policy>[] = [];
  if (scope !== "AWS") for (const p of iam.listPolicies(ctx.accountId)) all.push(policyOut(p, iam.attachmentCount(p.Arn)));
  if (scope !== "Local") {
    for (const [arn, p] of awsManagedPolicies()) {
      all.push({ PolicyName: p.name, Arn: arn, Path: p.path, DefaultVersionId: "v1", AttachmentCount: iam.attachmentCount(arn), IsAttachable: true });
    }
  }
  const filtered = all.filter((p) => String(p.Path).startsWith(prefix) && (!onlyAttached || Number(p.AttachmentCount) > 0));
  filtered.sort((a, b) => String(a.PolicyName).localeCompare(String(b.PolicyName)));
  const p = page(filtered, input, (x) => String(x.PolicyName));
  return { Policies: p.items, IsTruncated: p.IsTruncated, Marker: p.Marker };
}

export function DeletePolicy(iam: IamModel, input: Input, ctx: RequestContext): Wire<DeletePolicyCommandOutput> {
  const policy = customerPolicy(iam, input, ctx, "DeletePolicy");
  const arn = policy.Arn;
  if (iam.attachmentCount(arn) > 0) throw DeleteConflict("Cannot delete a policy attached to entities.");
  if (versionsOf(policy).length > 1) throw DeleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
  iam.deletePolicy(policy);
  return {};
}

export function AttachRolePolicy(iam: IamModel, input: Input, ctx: RequestContext): Wire<AttachRolePolicyCommandOutput> {
  const role = roleByName(iam, input, ctx);
  const arn = attachablePolicy(iam, requireString(input, "PolicyArn"), ctx).arn;
  if (role.attached.includes(arn)) return {};
  if (role.attached.length >= MAX_ATTACHED) throw quotaExceeded("PoliciesPerRole", MAX_ATTACHED);
  iam.saveRole({ ...role, attached: [...role.attached, arn] });
  return {};
}

export function DetachRolePolicy(iam: IamModel, input: Input, ctx: RequestContext): Wire<DetachRolePolicyCommandOutput> {
  const role = roleByName(iam, input, ctx);
  const arn = policyArnParameter(input);
  if (!role.attached.includes(arn)) throw policyNotFound(arn);
  iam.saveRole({ ...role, attached: role.attached.filter((a) => a !== arn) });
  return {};
}

export function ListAttachedRolePolicies(iam: IamModel, input: Input, ctx: RequestContext): Wire<ListAttachedRolePoliciesCommandOutput> {
  const role = roleByName(iam, input, ctx);
  const prefix = checkPath(optionalString(input, "PathPrefix"));
  const attached = role.attached
    .map((arn) => {
      const customer = iam.getPolicyByArn(arn);
      const managed = awsManagedPolicy(arn);
      return { PolicyName: customer?.PolicyName ?? managed?.name ?? arn.split("/").pop() ?? arn, PolicyArn: arn, path: customer?.Path ?? managed?.path ?? "/" };
    })
    .filter((a) => a.path.startsWith(prefix))
    .map(({ PolicyName, PolicyArn }) => ({ PolicyName, PolicyArn }));
  const p = page(attached, input, (a) => a.PolicyName);
  return { AttachedPolicies: p.items, IsTruncated: p.IsTruncated, Marker: p.Marker };
}

export function TagRole(iam: IamModel, input: Input, ctx: RequestContext): Wire<TagRoleCommandOutput> {
  const role = roleByName(iam, input, ctx);
  const tags = checkTags(input.Tags);
  const merged = new Map(role.Tags.map((t) => [t.Key, t.Value]));
  for (const t of tags) merged.set(t.Key, t.Value);
  if (merged.size > 50) throw quotaExceeded("TagsPerRole", 50);
  iam.saveRole({ ...role, Tags: [...merged].map(([Key, Value]) => ({ Key, Value })) });
  return {};
}

export function UntagRole(iam: IamModel, input: Input, ctx: RequestContext): Wire<UntagRoleCommandOutput> {
  const role = roleByName(iam, input, ctx);
  const keys = Array.isArray(input.TagKeys) ? input.TagKeys.map(String) : [];
  iam.saveRole({ ...role, Tags: role.Tags.filter((t) => !keys.includes(t.Key)) });
  return {};
}

export function ListRoleTags(iam: IamModel, input: Input, ctx: RequestContext): Wire<ListRoleTagsCommandOutput> {
  const role = roleByName(iam, input, ctx);
  const p = page(role.Tags, input, (t) => t.Key);
  return { Tags: p.items, IsTruncated: p.IsTruncated, Marker: p.Marker };
}


/** Every IAM operation the sandbox provides, by its AWS name (index.ts builds the table from it). */
export const handlers = {
  CreateRole,
  GetRole,
  ListRoles,
  DeleteRole,
  UpdateRole,
  UpdateAssumeRolePolicy,
  PutRolePolicy,
  GetRolePolicy,
  ListRolePolicies,
  DeleteRolePolicy,
  CreatePolicy,
  GetPolicy,
  GetPolicyVersion,
  CreatePolicyVersion,
  ListPolicyVersions,
  SetDefaultPolicyVersion,
  DeletePolicyVersion,
  ListPolicies,
  DeletePolicy,
  AttachRolePolicy,
  DetachRolePolicy,
  ListAttachedRolePolicies,
  TagRole,
  UntagRole,
  ListRoleTags,
} satisfies Record<string, (iam: IamModel, input: Input, ctx: RequestContext) => unknown>;
