// The admin API: health without auth; everything else only with the bearer token (401 without
// it, with a wrong one, or with AWS credentials); accounts created, read, reset and deleted.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { TestSandbox } from "@/test/support/sandbox";
import { startTestSandbox } from "@/test/support/sandbox";

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox({ adminToken: "the-admin-token" });
});
afterAll(async () => {
  await sb?.close();
});

const call = async (method: string, path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(sb.endpoint + path, { method, headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe("sandbox admin API", () => {
  it("answers health without a token, naming the services", async () => {
    const r = await call("GET", "/_sandbox/health");
    expect(r.status).toBe(200);
    expect(r.body.status).toBe("ok");
    expect(r.body.services).toEqual(expect.arrayContaining(["iam", "sts", "sqs"]));
  });

  it("refuses no token, a wrong token and AWS credentials with 401", async () => {
    expect((await call("POST", "/_sandbox/accounts")).status).toBe(401);
    expect((await call("POST", "/_sandbox/accounts", { authorization: "Bearer wrong" })).status).toBe(401);
    expect((await call("POST", "/_sandbox/accounts", { authorization: "Bearer the-admin-token-and-more" })).status).toBe(401);
    const aws = await call("GET", "/_sandbox/grader", {
      authorization: "AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=abc",
    });
    expect(aws.status).toBe(401);
    expect(aws.body.message).toContain("Bearer");
  });

  it("creates accounts with their own ids and keys, and gives the grader's keys", async () => {
    const a = await sb.createAccount();
    const b = await sb.createAccount();
    expect(a.accountId).not.toBe(b.accountId);
    expect(a.accountId).not.toBe("000000000000");
    const g1 = await sb.grader();
    const g2 = await sb.grader();
    expect(g1).toEqual(g2);
    expect(g1.accessKeyId).toMatch(/^AKIA/);
    const shown = await sb.admin("GET", `/_sandbox/accounts/${a.accountId}`);
    expect(shown.body).toEqual(a);
  });

  it("resets an account (keys kept) and deletes it (keys gone)", async () => {
    const a = await sb.createAccount();
    await sb.resetAccount(a.accountId);
    const sts = new STSClient(sb.clientConfig(a));
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe(a.accountId);
    const del = await sb.admin("DELETE", `/_sandbox/accounts/${a.accountId}`);
    expect(del.status).toBe(200);
    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: "InvalidClientTokenId" });
    expect((await sb.admin("POST", `/_sandbox/accounts/${a.accountId}/reset`)).status).toBe(404);
  });

  it("answers clear JSON errors for unknown routes, bad ids and wrong methods", async () => {
    expect((await sb.admin("GET", "/_sandbox/nope")).status).toBe(404);
    expect((await sb.admin("POST", "/_sandbox/accounts/abc/reset")).body.error).toBe("InvalidAccountId");
    expect((await sb.admin("GET", "/_sandbox/accounts")).status).toBe(405);
    const g = await sb.grader();
    expect((await sb.admin("DELETE", `/_sandbox/accounts/${g.accountId}`)).status).toBe(409);
  });

  it("generates the admin token at first start, beside the data (mode 0600), and keeps it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-token-"));
    try {
      const first = await startTestSandbox({ dataDir: dir });
      const token = first.adminToken;
      await first.close();
      const file = path.join(dir, "admin-token");
      expect(fs.readFileSync(file, "utf8").trim()).toBe(token);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(token.length).toBeGreaterThanOrEqual(40);
      const second = await startTestSandbox({ dataDir: dir });
      expect(second.adminToken).toBe(token);
      expect((await second.admin("GET", "/_sandbox/grader")).status).toBe(200);
      await second.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
