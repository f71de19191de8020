// What the core needs to know about IAM roles to enforce policies and what STS needs to
// assume them. The IAM service implements it; the core never reads IAM's tables itself.
import type { ParsedPolicy } from "@/semantics/iam-policy";

export interface RoleInfo {
  accountId: string;
  roleName: string;
  roleId: string;
  arn: string;
  /** The trust policy as JSON text. */
  trustPolicy: string;
  maxSessionDuration: number;
}

export interface RoleDirectory {
  role(accountId: string, roleName: string): RoleInfo | undefined;
  /** The role's inline and attached policies, parsed (cached until they change). */
  identityPolicies(accountId: string, roleName: string): readonly ParsedPolicy[];
}

/** A directory with no roles, until the IAM service is wired. */
export const noRoles: RoleDirectory = { role: () => undefined, identityPolicies: () => [] };
