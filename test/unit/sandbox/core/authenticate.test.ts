// Who a request is: test keys, account keys (signature checked) and STS sessions (token and
// expiry checked), with the error codes of each protocol family.
import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SignatureV4 } from "@smithy/signature-v4";
import { AccountDirectory } from "@/sandbox/core/accounts";
import { authenticate } from "@/sandbox/core/authenticate";
import { memoryStore } from "@/sandbox/core/memory-environment";
import { createSealer } from "@/sandbox/core/sealing";
import { parseAuthorization } from "@/sandbox/core/sigv4";
import type { WireRequest } from "@/sandbox/core/wire";
import { Sha256 } from "@/test/support/hand-signer";


async function signedRequest(
  creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  at: number,
  extraHeaders: Record<string, string> = {},
): Promise<WireRequest> {
  const signer = new SignatureV4({ credentials: creds, region: "us-east-1", service: "sts", sha256: Sha256 });
  const body = "Action=GetCallerIdentity&Version=2011-06-15";
  const signed = await signer.sign(
    { method: "POST", protocol: "http:", hostname: "127.0.0.1", port: 4566, path: "/", headers: { host: "127.0.0.1:4566", "content-type": "application/x-www-form-urlencoded", ...extraHeaders }, body },
    { signingDate: new Date(at) },
  );
  const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method: "POST", rawPath: "/", rawQuery: "", headers, body: Buffer.from(body), requestId: "r" };
}

function run(accounts: AccountDirectory, req: WireRequest, now: number, family: "query" | "json" = "query", hosted = false) {
  const parsed = parseAuthorization(String(req.headers.authorization));
  if (!parsed.ok) throw new Error(parsed.message);
  return authenticate(accounts, req, parsed.auth, family, now, { hosted });
}

const sealer = createSealer(randomBytes(32));
const directory = (store = memoryStore()) => new AccountDirectory(store, sealer);

describe("authenticate", () => {
  const now = Date.UTC(2026, 10, 26, 12, 0, 0);

  it("maps test keys to account 000000000000 without checking the signature", async () => {
    const accounts = directory();
    const req = await signedRequest({ accessKeyId: "test", secretAccessKey: "anything" }, now);
    expect(run(accounts, req, now)).toMatchObject({ kind: "account", accountId: "000000000000" });
  });

  it("checks account keys' signatures", async () => {
    const accounts = directory();
    const a = accounts.create("learner", now);
    expect(run(accounts, await signedRequest(a, now), now)).toEqual({ kind: "account", accountId: a.accountId, arn: `arn:aws:iam::${a.accountId}:root` });
    const bad = await signedRequest({ ...a, secretAccessKey: "nope" }, now);
    expect(() => run(accounts, bad, now)).toThrow(expect.objectContaining({ code: "SignatureDoesNotMatch", status: 403 }));
    expect(() => run(accounts, bad, now, "json")).toThrow(expect.objectContaining({ code: "InvalidSignatureException" }));
  });

  it("checks a session's token and expiry: ExpiredToken once it has expired", async () => {
    const accounts = directory();
    const s = accounts.issueSession({ accountId: "123456789012", roleArn: "arn:aws:iam::123456789012:role/R", roleName: "R", roleId: "AROAX", sessionName: "s1", durationSeconds: 900, now });
    const creds = { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, sessionToken: s.sessionToken };
    expect(run(accounts, await signedRequest(creds, now + 60_000), now + 60_000)).toMatchObject({
      kind: "assumed-role", arn: "arn:aws:sts::123456789012:assumed-role/R/s1", roleArn: "arn:aws:iam::123456789012:role/R",
    });
    const later = now + 901_000;
    const expired = await signedRequest(creds, later);
    expect(() => run(accounts, expired, later)).toThrow(expect.objectContaining({ code: "ExpiredToken", status: 403 }));
    expect(() => run(accounts, expired, later, "json")).toThrow(expect.objectContaining({ code: "ExpiredTokenException" }));
    const wrongToken = await signedRequest({ ...creds, sessionToken: "forged" }, now);
    expect(() => run(accounts, wrongToken, now)).toThrow(expect.objectContaining({ code: "InvalidClientTokenId" }));
  });

  it("refuses unknown keys with InvalidClientTokenId / UnrecognizedClientException", async () => {
    const accounts = directory();
    const req = await signedRequest({ accessKeyId: "AKIAUNKNOWN000000000", secretAccessKey: "x" }, now);
    expect(() => run(accounts, req, now)).toThrow(expect.objectContaining({ code: "InvalidClientTokenId" }));
    expect(() => run(accounts, req, now, "json")).toThrow(expect.objectContaining({ code: "UnrecognizedClientException" }));
  });

  it("persists accounts and sessions in the store, and keeps one grader", () => {
    const store = memoryStore();
    const first = directory(store);
    const a = first.create("learner", now);
    const g = first.grader(now);
    const again = directory(store);
    expect(again.get(a.accountId)).toEqual(a);
    expect(again.grader(now)).toEqual(g);
    again.delete(a.accountId);
    expect(directory(store).get(a.accountId)).toBeUndefined();
  });
  it("refuses the test keys in hosted mode, as an invalid token in each family", async () => {
    const accounts = directory();
    const req = await signedRequest({ accessKeyId: "test", secretAccessKey: "test" }, now);
    expect(() => run(accounts, req, now, "query", true)).toThrow(expect.objectContaining({ code: "InvalidClientTokenId", status: 403, message: expect.stringContaining("hosted") }));
    expect(() => run(accounts, req, now, "json", true)).toThrow(expect.objectContaining({ code: "UnrecognizedClientException" }));
    const a = accounts.create("learner", now);
    expect(run(accounts, await signedRequest(a, now), now, "query", true)).toMatchObject({ accountId: a.accountId });
  });

  it("refuses UNSIGNED-PAYLOAD with every key: issued keys signed that way, and test keys (whose signature is never checked)", async () => {
    const accounts = directory();
    const a = accounts.create("learner", now);
    const unsigned = { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" };
    // A genuine signature over an unsigned payload: the SDK's signer takes the declared value as the payload hash.
    const issued = await signedRequest(a, now, unsigned);
    expect(issued.headers.authorization).toContain("x-amz-content-sha256");
    expect(() => run(accounts, issued, now)).toThrow(expect.objectContaining({ code: "SignatureDoesNotMatch", message: expect.stringContaining("UNSIGNED-PAYLOAD") }));
    expect(() => run(accounts, issued, now, "json")).toThrow(expect.objectContaining({ code: "InvalidSignatureException" }));
    const test = await signedRequest({ accessKeyId: "test", secretAccessKey: "test" }, now, unsigned);
    expect(() => run(accounts, test, now)).toThrow(expect.objectContaining({ code: "SignatureDoesNotMatch" }));
    // The body's real hash, declared, is fine.
    const declared = await signedRequest(a, now, { "x-amz-content-sha256": createHash("sha256").update("Action=GetCallerIdentity&Version=2011-06-15").digest("hex") });
    expect(run(accounts, declared, now)).toMatchObject({ accountId: a.accountId });
  });

  it("binds a session token to the signature: an unsigned x-amz-security-token is refused", async () => {
    const accounts = directory();
    const s = accounts.issueSession({ accountId: "123456789012", roleArn: "arn:aws:iam::123456789012:role/R", roleName: "R", roleId: "AROAX", sessionName: "s1", durationSeconds: 900, now });
    // Signed without the token, which is added afterwards: the signature itself is valid.
    const req = await signedRequest({ accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey }, now);
    req.headers["x-amz-security-token"] = s.sessionToken;
    expect(String(req.headers.authorization)).not.toContain("x-amz-security-token");
    expect(() => run(accounts, req, now)).toThrow(expect.objectContaining({ code: "IncompleteSignature", message: expect.stringContaining("x-amz-security-token") }));
    expect(() => run(accounts, req, now, "json")).toThrow(expect.objectContaining({ code: "IncompleteSignatureException" }));
    const noToken = await signedRequest({ accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey }, now);
    expect(() => run(accounts, noToken, now)).toThrow(expect.objectContaining({ code: "InvalidClientTokenId" }));
    const longer = await signedRequest({ accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, sessionToken: s.sessionToken + "x" }, now);
    expect(() => run(accounts, longer, now)).toThrow(expect.objectContaining({ code: "InvalidClientTokenId" }));
  });

  it("stores secret keys sealed and session tokens only as digests, and rewrites plain-text rows at load", () => {
    const store = memoryStore();
    const first = directory(store);
    const a = first.create("learner", now);
    const s = first.issueSession({ accountId: a.accountId, roleArn: `arn:aws:iam::${a.accountId}:role/R`, roleName: "R", roleId: "AROAX", sessionName: "s1", durationSeconds: 900, now });
    const rows = JSON.stringify([store.load("_sandbox_accounts"), store.load("_sandbox_sessions")]);
    for (const secret of [a.secretAccessKey, s.secretAccessKey, s.sessionToken]) expect(rows).not.toContain(secret);
    expect(directory(store).get(a.accountId)).toEqual(a);
    // Another key does not open them.
    expect(() => new AccountDirectory(store, createSealer(randomBytes(32)))).toThrow(/does not open/);

    const legacy = memoryStore();
    const plain = { accountId: "123412341234", accessKeyId: "AKIALEGACYLEGACY0000", secretAccessKey: "legacy-secret-legacy-secret-legacy-secr", kind: "learner", createdAt: new Date(now).toISOString() };
    legacy.put("_sandbox_accounts", plain.accountId, plain);
    const migrated = directory(legacy);
    expect(migrated.get(plain.accountId)).toEqual(plain);
    expect(JSON.stringify(legacy.load("_sandbox_accounts"))).not.toContain(plain.secretAccessKey);
    expect(directory(legacy).get(plain.accountId)?.secretAccessKey).toBe(plain.secretAccessKey);
  });

  it("reads a plain-text session row, rewrites it with the token as a digest, and still authenticates it", async () => {
    const legacy = memoryStore();
    const row = {
      accessKeyId: "ASIALEGACYSESSION000", secretAccessKey: "legacy-session-secret-legacy-session-se", sessionToken: "IQoJb3JpZ2luX2VjEleGaCyToKeN",
      accountId: "123456789012", roleArn: "arn:aws:iam::123456789012:role/R", roleName: "R", roleId: "AROAX", sessionName: "s1", expiration: now + 900_000,
    };
    legacy.put("_sandbox_sessions", row.accessKeyId, row);
    const accounts = directory(legacy);
    const stored = JSON.stringify(legacy.load("_sandbox_sessions"));
    expect(stored).not.toContain(row.secretAccessKey);
    expect(stored).not.toContain(row.sessionToken);
    expect(run(accounts, await signedRequest(row, now), now)).toMatchObject({ kind: "assumed-role", roleArn: row.roleArn });
    expect(run(directory(legacy), await signedRequest(row, now), now)).toMatchObject({ kind: "assumed-role" });
  });
});
