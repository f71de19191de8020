// The credential scope's region follows AWS's grammar before anything uses it: a request
// validly signed for region ".." (which once reached Lambda's code directory as a path
// segment) is refused as AWS refuses a scope it does not serve, with any key.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AccountKeys, Credentials, TestSandbox } from "@/test/support/sandbox";
import { startTestSandbox, TEST_CREDENTIALS } from "@/test/support/sandbox";
import { Sha256 } from "@/test/support/hand-signer";


let sb: TestSandbox;
let a: AccountKeys;
beforeAll(async () => {
  sb = await startTestSandbox();
  a = await sb.createAccount();
});
afterAll(async () => {
  await sb?.close();
});

/** A request signed for `region` and `service` exactly as an SDK would sign it, sent with fetch. */
async function signedFetch(creds: Credentials, region: string, service: string, init: { method: string; path: string; headers: Record<string, string>; body: string }) {
  const url = new URL(sb.endpoint);
  const signer = new SignatureV4({ credentials: creds, region, service, sha256: Sha256 });
  const signed = await signer.sign({
    method: init.method,
    protocol: "http:",
    hostname: url.hostname,
    port: Number(url.port),
    path: init.path,
    headers: { host: url.host, ...init.headers },
    body: init.body,
  });
  const { host: _host, ...headers } = signed.headers;
  const res = await fetch(sb.endpoint + init.path, { method: init.method, headers, ...(init.method === "GET" ? {} : { body: init.body }) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const sts = (creds: Credentials, region: string) =>
  signedFetch(creds, region, "sts", { method: "POST", path: "/", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "Action=GetCallerIdentity&Version=2011-06-15" });

describe("the credential scope's region", () => {
  it("is answered when it is an AWS region name", async () => {
    for (const region of ["us-east-1", "eu-west-3", "us-gov-west-1"]) {
      const r = await sts(a, region);
      expect(r.status, r.text).toBe(200);
      expect(r.text).toContain(`<Account>${a.accountId}</Account>`);
    }
  });

  it("is refused with SignatureDoesNotMatch otherwise, with issued keys and test keys", async () => {
    for (const creds of [a, TEST_CREDENTIALS]) {
      for (const region of ["..", "US-EAST-1", "us-east-1.."]) {
        const r = await sts(creds, region);
        expect(r.status, `${creds.accessKeyId} ${region}: ${r.text}`).toBe(403);
        expect(r.text).toContain("<Code>SignatureDoesNotMatch</Code>");
        expect(r.text).toContain("Credential should be scoped to a valid region");
      }
    }
  });

  it("is refused in the JSON and REST-JSON families too, before Lambda sees the name", async () => {
    const events = await signedFetch(a, "..", "events", {
      method: "POST",
      path: "/",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSEvents.ListRules" },
      body: "{}",
    });
    expect(events.status).toBe(403);
    expect(JSON.parse(events.text)).toMatchObject({ __type: "com.amazonaws.events#InvalidSignatureException" });
    const lambda = await signedFetch(a, "..", "lambda", {
      method: "POST",
      path: `/2015-03-31/functions/${a.accountId}/invocations`,
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(lambda.status).toBe(403);
    expect(lambda.headers.get("x-amzn-errortype")).toBe("InvalidSignatureException");
  });
});
