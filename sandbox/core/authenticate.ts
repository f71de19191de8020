// Who sent a request: the access key in the credential scope, checked against its secret.
import type { Principal } from "./contracts";
import type { AccountDirectory } from "./accounts";
import { TEST_ACCOUNT_ID } from "./accounts";
import type { CodeFamily } from "./auth-errors";
import { authError, expiredToken, invalidToken } from "./auth-errors";
import type { ParsedAuthorization } from "./sigv4";
import { verifySignature } from "./sigv4";
import type { WireRequest } from "./wire";
import { header } from "./wire";

const TEST_PRINCIPAL: Principal = { kind: "account", accountId: TEST_ACCOUNT_ID, arn: `arn:aws:iam::${TEST_ACCOUNT_ID}:root` };

export function authenticate(accounts: AccountDirectory, req: WireRequest, auth: ParsedAuthorization, family: CodeFamily, now: number): Principal {
  const owner = accounts.owner(auth.accessKeyId);
  if (!owner) throw invalidToken(family);
  if (owner.kind === "test") return TEST_PRINCIPAL;
  if (owner.kind === "account") {
    check(req, auth, owner.account.secretAccessKey, family, now);
    const { accountId } = owner.account;
    return { kind: "account", accountId, arn: `arn:aws:iam::${accountId}:root` };
  }
  const s = owner.session;
  if (header(req, "x-amz-security-token") !== s.sessionToken) throw invalidToken(family);
  if (s.expiration <= now) throw expiredToken(family);
  check(req, auth, s.secretAccessKey, family, now);
  return {
    kind: "assumed-role",
    accountId: s.accountId,
    roleArn: s.roleArn,
    roleName: s.roleName,
    sessionName: s.sessionName,
    arn: `arn:aws:sts::${s.accountId}:assumed-role/${s.roleName}/${s.sessionName}`,
  };
}

function check(req: WireRequest, auth: ParsedAuthorization, secret: string, family: CodeFamily, now: number): void {
  const result = verifySignature(req, auth, secret, now);
  if (result.ok) return;
  throw authError(result.reason === "incomplete" ? "incomplete" : "mismatch", family, result.message);
}
