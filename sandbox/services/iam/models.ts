// IAM state: roles (with inline policies and attached policy ARNs) and customer managed
// policies, keyed by account then lower-cased name (IAM names are unique regardless of case).
// IAM is global, so there is no region level. Written through to the durable store.
import type { DurableStore } from "@/sandbox/core/contracts";
import type { RoleDirectory, RoleInfo } from "@/sandbox/core/identity";
import { parsePolicy } from "@/semantics/iam-policy";
import type { ParsedPolicy } from "@/semantics/iam-policy";
import { awsManagedPolicy } from "./managed-policies";

export interface Tag {
  Key: string;
  Value: string;
}

export interface RoleState {
  accountId: string;
  RoleName: string;
  RoleId: string;
  Arn: string;
  Path: string;
  CreateDate: string;
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration: number;
  Tags: Tag[];
  /** Inline policies by name, as JSON text. */
  inline: Record<string, string>;
  attached: string[];
}

export interface PolicyState {
  accountId: string;
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  Description?: string;
  CreateDate: string;
  UpdateDate: string;
  /** The default version's document (what enforcement reads). */
  Document: string;
  Tags: Tag[];
  /** Absent until a second version is created: then every version, the default among them. */
  DefaultVersionId?: string;
  versions?: PolicyVersion[];
}

export interface PolicyVersion {
  VersionId: string;
  Document: string;
  CreateDate: string;
}

/** A policy's versions, the implicit v1 included. */
export function versionsOf(p: PolicyState): PolicyVersion[] {
  return p.versions ?? [{ VersionId: "v1", Document: p.Document, CreateDate: p.CreateDate }];
}

const ROLES = "iam.roles";
const POLICIES = "iam.policies";

const keyOf = (accountId: string, name: string) => `${accountId}/${name.toLowerCase()}`;

export class IamModel implements RoleDirectory {
  private readonly roles = new Map<string, RoleState>();
  private readonly policies = new Map<string, PolicyState>();
  /** Parsed identity policies per role; dropped whenever anything they depend on changes. */
  private readonly parsed = new Map<string, ParsedPolicy[]>();

  constructor(private readonly store: DurableStore) {
    for (const [k, r] of store.load<RoleState>(ROLES)) this.roles.set(k, r);
    for (const [k, p] of store.load<PolicyState>(POLICIES)) this.policies.set(k, p);
  }

  getRole(accountId: string, name: string): RoleState | undefined {
    return this.roles.get(keyOf(accountId, name));
  }

  listRoles(accountId: string): RoleState[] {
    return [...this.roles.values()].filter((r) => r.accountId === accountId).sort((a, b) => a.RoleName.localeCompare(b.RoleName));
  }

  saveRole(role: RoleState): void {
    const key = keyOf(role.accountId, role.RoleName);
    this.store.put(ROLES, key, role);
    this.roles.set(key, role);
    this.parsed.delete(key);
  }

  deleteRole(accountId: string, name: string): void {
    const key = keyOf(accountId, name);
    this.store.delete(ROLES, key);
    this.roles.delete(key);
    this.parsed.delete(key);
  }

  /** Customer managed policies are addressed by ARN; names are unique per account. */
  getPolicyByArn(arn: string): PolicyState | undefined {
    const m = /^arn:aws:iam::(\d{12}):policy\/(?:.*\/)?([^/]+)$/.exec(arn);
    if (!m) return undefined;
    const p = this.policies.get(keyOf(m[1] as string, m[2] as string));
    return p && p.Arn === arn ? p : undefined;
  }

  getPolicyByName(accountId: string, name: string): PolicyState | undefined {
    return this.policies.get(keyOf(accountId, name));
  }

  listPolicies(accountId: string): PolicyState[] {
    return [...this.policies.values()].filter((p) => p.accountId === accountId).sort((a, b) => a.PolicyName.localeCompare(b.PolicyName));
  }

  savePolicy(policy: PolicyState): void {
    this.store.put(POLICIES, keyOf(policy.accountId, policy.PolicyName), policy);
    this.policies.set(keyOf(policy.accountId, policy.PolicyName), policy);
    this.parsed.clear();
  }

  deletePolicy(policy: PolicyState): void {
    this.store.delete(POLICIES, keyOf(policy.accountId, policy.PolicyName));
    this.policies.delete(keyOf(policy.accountId, policy.PolicyName));
    this.parsed.clear();
  }

  attachmentCount(arn: string): number {
    let n = 0;
    for (const r of this.roles.values()) if (r.attached.includes(arn)) n++;
    return n;
  }

  resetAccount(accountId: string): void {
    this.store.transaction(() => {
      this.store.deletePrefix(ROLES, `${accountId}/`);
      this.store.deletePrefix(POLICIES, `${accountId}/`);
    });
    for (const [k, r] of this.roles) if (r.accountId === accountId) this.roles.delete(k);
    for (const [k, p] of this.policies) if (p.accountId === accountId) this.policies.delete(k);
    this.parsed.clear();
  }

  // RoleDirectory, for the core's enforcement and for STS.
  role(accountId: string, roleName: string): RoleInfo | undefined {
    const r = this.getRole(accountId, roleName);
    if (!r) return undefined;
    return {
      accountId: r.accountId,
      roleName: r.RoleName,
      roleId: r.RoleId,
      arn: r.Arn,
      trustPolicy: r.AssumeRolePolicyDocument,
      maxSessionDuration: r.MaxSessionDuration,
    };
  }

  identityPolicies(accountId: string, roleName: string): readonly ParsedPolicy[] {
    const key = keyOf(accountId, roleName);
    const cached = this.parsed.get(key);
    if (cached) return cached;
    const r = this.roles.get(key);
    if (!r) return [];
    const docs: string[] = Object.values(r.inline);
    for (const arn of r.attached) {
      const doc = this.getPolicyByArn(arn)?.Document ?? awsManagedPolicy(arn)?.document;
      if (doc !== undefined) docs.push(typeof doc === "string" ? doc : JSON.stringify(doc));
    }
    const out: ParsedPolicy[] = [];
    for (const d of docs) {
      const p = parsePolicy(d, { kind: "identity" });
      if (p.ok) out.push(p.policy); // documents were validated when stored
    }
    this.parsed.set(key, out);
    return out;
  }
}
