// Who sent a request: the access key in the credential scope, checked against its secret.
import { timingSafeEqual } from "node:crypto";
import type { Principal } from "./contracts";
import type { AccountDirectory } from "./accounts";
import { sessionTokenDigest, TEST_ACCOUNT_ID } from "./accounts";
import type { CodeFamily } from "./auth-errors";
import { authError, expiredToken, invalidToken } from "./auth-errors";
import type { ParsedAuthorization } from "./sigv4";
import { UNSIGNED_PAYLOAD_REFUSED, unsignedPayload, verifySignature } from "./sigv4";
import type { WireRequest } from "./wire";
import { header } from "./wire";

const TEST_PRINCIPAL: Principal = { kind: "account", accountId: TEST_ACCOUNT_ID, arn: `arn:aws:iam::${TEST_ACCOUNT_ID}:root` };

const TEST_KEYS_REFUSED =
  "The security token included in the request is invalid. This sandbox is hosted: the shared test/test keys are turned off; sign your requests with the access key issued to you.";
const TOKEN_NOT_SIGNED =
  "Temporary credentials must sign their session token: 'x-amz-security-token' must be among the SignedHeaders.";

export interface AuthenticateOptions {
  /** Hosted mode: only issued keys, never `test`. */
  hosted: boolean;
}

export function authenticate(
  accounts: AccountDirectory,
  req: WireRequest,
  auth: ParsedAuthorization,
  family: CodeFamily,
  now: number,
  options: AuthenticateOptions,
): Principal {
  // First, for every key: `test` skips the signature check, but not this rule.
  if (unsignedPayload(req.headers)) throw authError("mismatch", family, UNSIGNED_PAYLOAD_REFUSED);
  const owner = accounts.owner(auth.accessKeyId);
  if (!owner) throw invalidToken(family);
  if (owner.kind === "test") {
    if (options.hosted) throw authError("invalidToken", family, TEST_KEYS_REFUSED);
    return TEST_PRINCIPAL;
  }
  if (owner.kind === "account") {
    check(req, auth, owner.account.secretAccessKey, family, now);
    const { accountId } = owner.account;
    return { kind: "account", accountId, arn: `arn:aws:iam::${accountId}:root` };
  }
  const s = owner.session;
  const token = header(req, "x-amz-security-token");
  // Digests of equal length, compared in constant time: the time taken says nothing of the token.
  if (token === undefined || !timingSafeEqual(sessionTokenDigest(token), s.tokenDigest)) throw invalidToken(family);
  // The token is bound to the signature, as AWS requires (the SDKs and CLIs all sign it).
  if (!auth.signedHeaders.includes("x-amz-security-token")) throw authError("incomplete", family, TOKEN_NOT_SIGNED);
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
