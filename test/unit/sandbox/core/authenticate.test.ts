// Who a request is: test keys, account keys (signature checked) and STS sessions (token and
// expiry checked), with the error codes of each protocol family.
import { createHash, createHmac } from "node:crypto";
import type { Hash, Hmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SignatureV4 } from "@smithy/signature-v4";
import { AccountDirectory } from "@/sandbox/core/accounts";
import { authenticate } from "@/sandbox/core/authenticate";
import { memoryStore } from "@/sandbox/core/memory-environment";
import { parseAuthorization } from "@/sandbox/core/sigv4";
import type { WireRequest } from "@/sandbox/core/wire";

class Sha256 {
  private readonly h: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
}
function bytes(data: string | ArrayBuffer | ArrayBufferView): string | Buffer {
  if (typeof data === "string") return data;
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

async function signedRequest(creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, at: number): Promise<WireRequest> {
  const signer = new SignatureV4({ credentials: creds, region: "us-east-1", service: "sts", sha256: Sha256 });
  const body = "Action=GetCallerIdentity&Version=2011-06-15";
  const signed = await signer.sign(
    { method: "POST", protocol: "http:", hostname: "127.0.0.1", port: 4566, path: "/", headers: { host: "127.0.0.1:4566", "content-type": "application/x-www-form-urlencoded" }, body },
    { signingDate: new Date(at) },
  );
  const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method: "POST", rawPath: "/", rawQuery: "", headers, body: Buffer.from(body), requestId: "r" };
}

function run(accounts: AccountDirectory, req: WireRequest, now: number, family: "query" | "json" = "query") {
  const parsed = parseAuthorization(String(req.headers.authorization));
  if (!parsed.ok) throw new Error(parsed.message);
  return authenticate(accounts, req, parsed.auth, family, now);
}

describe("authenticate", () => {
  const now = Date.UTC(2026, 10, 26, 12, 0, 0);

  it("maps test keys to account 000000000000 without checking the signature", async () => {
    const accounts = new AccountDirectory(memoryStore());
    const req = await signedRequest({ accessKeyId: "test", secretAccessKey: "anything" }, now);
    expect(run(accounts, req, now)).toMatchObject({ kind: "account", accountId: "000000000000" });
  });

  it("checks account keys' signatures", async () => {
    const accounts = new AccountDirectory(memoryStore());
    const a = accounts.create("learner", now);
    expect(run(accounts, await signedRequest(a, now), now)).toEqual({ kind: "account", accountId: a.accountId, arn: `arn:aws:iam::${a.accountId}:root` });
    const bad = await signedRequest({ ...a, secretAccessKey: "nope" }, now);
    expect(() => run(accounts, bad, now)).toThrow(expect.objectContaining({ code: "SignatureDoesNotMatch", status: 403 }));
    expect(() => run(accounts, bad, now, "json")).toThrow(expect.objectContaining({ code: "InvalidSignatureException" }));
  });

  it("checks a session's token and expiry: ExpiredToken once it has expired", async () => {
    const accounts = new AccountDirectory(memoryStore());
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
    const accounts = new AccountDirectory(memoryStore());
    const req = await signedRequest({ accessKeyId: "AKIAUNKNOWN000000000", secretAccessKey: "x" }, now);
    expect(() => run(accounts, req, now)).toThrow(expect.objectContaining({ code: "InvalidClientTokenId" }));
    expect(() => run(accounts, req, now, "json")).toThrow(expect.objectContaining({ code: "UnrecognizedClientException" }));
  });

  it("persists accounts and sessions in the store, and keeps one grader", () => {
    const store = memoryStore();
    const first = new AccountDirectory(store);
    const a = first.create("learner", now);
    const g = first.grader(now);
    const again = new AccountDirectory(store);
    expect(again.get(a.accountId)).toEqual(a);
    expect(again.grader(now)).toEqual(g);
    again.delete(a.accountId);
    expect(new AccountDirectory(store).get(a.accountId)).toBeUndefined();
  });
});
