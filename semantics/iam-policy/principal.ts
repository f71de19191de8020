import type { PrincipalSpec, RequestPrincipal } from "./types";

/**
 * Whether a Principal element names the requesting principal. An account (its id or
 * `arn:aws:iam::ACCOUNT:root`) names every principal of that account; a role ARN also names
 * the sessions assumed from it (`arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`), whose ARN
 * drops the role's path.
 */

export function accountOf(principal: RequestPrincipal): string | undefined {
  if (principal.type !== "AWS") return undefined;
  if (/^\d{12}$/.test(principal.id)) return principal.id;
  const account = principal.id.split(":")[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

function roleName(roleArn: string): string | undefined {
  const m = /^arn:[^:]+:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  return m?.[1];
}

function awsEntryMatches(entry: string, principal: RequestPrincipal): boolean {
  if (entry === "*") return true;
  if (principal.type !== "AWS") return false;
  const requestAccount = accountOf(principal);
  const rootAccount = /^\d{12}$/.test(entry) ? entry : /^arn:[^:]+:iam::(\d{12}):root$/.exec(entry)?.[1];
  if (rootAccount !== undefined) return requestAccount === rootAccount;
  if (entry === principal.id) return true;
  const name = roleName(entry);
  if (name !== undefined) {
    const entryAccount = entry.split(":")[4];
    const session = /^arn:[^:]+:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(principal.id);
    if (session && session[1] === entryAccount && session[2] === name) return true;
    // A role ARN given with its path matches the same role given without it, and vice versa.
    const requestName = roleName(principal.id);
    return requestName === name && principal.id.split(":")[4] === entryAccount;
  }
  return false;
}

export function principalMatches(spec: PrincipalSpec, principal: RequestPrincipal): boolean {
  if (spec.wildcard) return true;
  for (const entry of spec.byType.AWS ?? []) if (awsEntryMatches(entry, principal)) return true;
  if (principal.type === "Service") {
    const id = principal.id.toLowerCase();
    if ((spec.byType.Service ?? []).some((s) => s === "*" || s.toLowerCase() === id)) return true;
  }
  if (principal.type === "Federated" && (spec.byType.Federated ?? []).includes(principal.id)) return true;
  if (principal.type === "CanonicalUser" && (spec.byType.CanonicalUser ?? []).includes(principal.id)) return true;
  return false;
}

export function describePrincipal(principal: RequestPrincipal): string {
  return principal.id;
}
