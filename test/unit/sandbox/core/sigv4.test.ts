// SigV4 verification: AWS's published test vectors, requests signed by the SDK's own signer
// (odd paths and queries included), and the failure reasons.
import { describe, expect, it } from "vitest";
import { SignatureV4 } from "@smithy/signature-v4";
import { createHash, createHmac } from "node:crypto";
import { canonicalQuery, canonicalUri, hmacWithKey, parseAmzDate, parseAuthorization, sameSignature, signingKey, verifySignature } from "@/sandbox/core/sigv4";
import type { SignedRequest } from "@/sandbox/core/sigv4";
import { Sha256 } from "@/test/support/hand-signer";


const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const AT = Date.UTC(2015, 7, 30, 12, 36, 0);

function verify(req: SignedRequest, authorization: string, secret = SECRET, now = AT) {
  const parsed = parseAuthorization(authorization);
  if (!parsed.ok) throw new Error(parsed.message);
  return verifySignature(req, parsed.auth, secret, now);
}

describe("SigV4 verification", () => {
  it("accepts AWS's get-vanilla test vector", () => {
    const req: SignedRequest = { method: "GET", rawPath: "/", rawQuery: "", body: Buffer.alloc(0), headers: { host: "example.amazonaws.com", "x-amz-date": "20150830T123600Z" } };
    const authz = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
    expect(verify(req, authz)).toEqual({ ok: true });
    expect(verify(req, authz, SECRET.replace("w", "W")).ok).toBe(false);
  });

  it("accepts AWS's IAM ListUsers example (query string, content-type signed)", () => {
    const req: SignedRequest = {
      method: "GET", rawPath: "/", rawQuery: "Action=ListUsers&Version=2010-05-08", body: Buffer.alloc(0),
      headers: { host: "iam.amazonaws.com", "x-amz-date": "20150830T123600Z", "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    };
    const authz = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";
    expect(verify(req, authz)).toEqual({ ok: true });
  });

  it("accepts what the SDK's signer signs, with encoded paths, queries and bodies", async () => {
    const signer = new SignatureV4({ credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET }, region: "eu-west-1", service: "lambda", sha256: Sha256 });
    const body = JSON.stringify({ a: "b ü" });
    const signed = await signer.sign(
      {
        method: "POST", protocol: "http:", hostname: "127.0.0.1", port: 4566,
        path: "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Af/invocations",
        query: { Qualifier: "$LATEST", "a b": ["x y", "c"] },
        headers: { host: "127.0.0.1:4566", "content-type": "application/json", "x-amz-invocation-type": "RequestResponse" },
        body,
      },
      { signingDate: new Date(AT) },
    );
    const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
    const rawQuery = "Qualifier=%24LATEST&a%20b=x%20y&a%20b=c";
    const req: SignedRequest = { method: "POST", rawPath: signed.path, rawQuery, body: Buffer.from(body), headers };
    expect(verify(req, headers.authorization as string)).toEqual({ ok: true });
    expect(verify({ ...req, body: Buffer.from(body + " ") }, headers.authorization as string).ok).toBe(false);
  });

  it("says why it refuses: clock skew, missing date, unsigned host, bad content hash", () => {
    const base: SignedRequest = { method: "GET", rawPath: "/", rawQuery: "", body: Buffer.alloc(0), headers: { host: "example.amazonaws.com", "x-amz-date": "20150830T123600Z" } };
    const authz = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
    expect(verify(base, authz, SECRET, AT + 16 * 60_000)).toMatchObject({ ok: false, reason: "expired" });
    expect(verify(base, authz, SECRET, AT + 14 * 60_000)).toEqual({ ok: true });
    expect(verify({ ...base, headers: { host: "example.amazonaws.com" } }, authz)).toMatchObject({ ok: false, reason: "incomplete" });
    expect(verify(base, authz.replace("host;x-amz-date", "x-amz-date"))).toMatchObject({ ok: false, reason: "incomplete" });
    expect(verify({ ...base, headers: { ...base.headers, "x-amz-content-sha256": "0".repeat(64) } }, authz)).toMatchObject({ ok: false, reason: "mismatch" });
  });

  it("compares a signature's hex with the expected bytes exactly", () => {
    const expected = createHash("sha256").update("x").digest();
    const hex = expected.toString("hex");
    expect(sameSignature(expected, hex)).toBe(true);
    for (let i = 0; i < hex.length; i++) {
      // Every position counts: one digit changed anywhere is a mismatch.
      const changed = hex.slice(0, i) + (hex[i] === "0" ? "1" : "0") + hex.slice(i + 1);
      expect(sameSignature(expected, changed)).toBe(false);
    }
    expect(sameSignature(expected, hex.toUpperCase())).toBe(false);
    expect(sameSignature(expected, hex.slice(0, -2))).toBe(false);
    expect(sameSignature(expected, `${hex}00`)).toBe(false);
    expect(sameSignature(expected, `${hex.slice(0, -1)}g`)).toBe(false);
    expect(sameSignature(expected, `${hex.slice(0, -2)}Ā`)).toBe(false);
    expect(sameSignature(expected, "")).toBe(false);
  });

  it("parses Authorization headers and refuses incomplete ones", () => {
    expect(parseAuthorization("AWS4-HMAC-SHA256 Credential=AK/20261126/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=ab")).toMatchObject({
      ok: true, auth: { accessKeyId: "AK", date: "20261126", region: "us-east-1", service: "sqs", signedHeaders: ["host"], signature: "ab" },
    });
    expect(parseAuthorization("AWS4-HMAC-SHA256 Credential=AK/20261126/us-east-1/sqs/aws4_request")).toMatchObject({ ok: false });
    expect(parseAuthorization("AWS4-HMAC-SHA256 Credential=AK/bad, SignedHeaders=host, Signature=ab")).toMatchObject({ ok: false });
    expect(parseAuthorization("AWS AK:sig")).toMatchObject({ ok: false });
  });

  it("folds whitespace in signed header values as the SDK's signer does, and only there", async () => {
    const signer = new SignatureV4({ credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET }, region: "us-east-1", service: "sqs", sha256: Sha256 });
    const signed = await signer.sign(
      { method: "POST", protocol: "http:", hostname: "127.0.0.1", port: 4566, path: "/", headers: { host: "127.0.0.1:4566", "x-amz-target": "  AmazonSQS.SendMessage \t x " }, body: "{}" },
      { signingDate: new Date(AT) },
    );
    const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
    const req: SignedRequest = { method: "POST", rawPath: "/", rawQuery: "", body: Buffer.from("{}"), headers };
    expect(verify(req, headers.authorization as string)).toEqual({ ok: true });
    // The folded form is equivalent; a value that differs in more than whitespace is not.
    expect(verify({ ...req, headers: { ...headers, "x-amz-target": "AmazonSQS.SendMessage x" } }, headers.authorization as string)).toEqual({ ok: true });
    expect(verify({ ...req, headers: { ...headers, "x-amz-target": "AmazonSQS.SendMessagex" } }, headers.authorization as string).ok).toBe(false);
  });

  it("keeps each Authorization header's own fields and each secret's own key across repeated calls", () => {
    const a = parseAuthorization("AWS4-HMAC-SHA256 Credential=AKA/20261126/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=01");
    const a2 = parseAuthorization("AWS4-HMAC-SHA256 Credential=AKA/20261126/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=02");
    // Same length as the prefix above, different key and region: must not be served from the last parse.
    const b = parseAuthorization("AWS4-HMAC-SHA256 Credential=AKB/20261126/us-east-2/sqs/aws4_request, SignedHeaders=host, Signature=03");
    expect(a).toMatchObject({ ok: true, auth: { accessKeyId: "AKA", region: "us-east-1", signature: "01" } });
    expect(a2).toMatchObject({ ok: true, auth: { accessKeyId: "AKA", region: "us-east-1", signature: "02" } });
    expect(b).toMatchObject({ ok: true, auth: { accessKeyId: "AKB", region: "us-east-2", signature: "03" } });

    const req: SignedRequest = { method: "GET", rawPath: "/", rawQuery: "", body: Buffer.alloc(0), headers: { host: "example.amazonaws.com", "x-amz-date": "20150830T123600Z" } };
    const authz = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
    for (let i = 0; i < 2; i++) {
      expect(verify(req, authz)).toEqual({ ok: true });
      expect(verify(req, authz, SECRET.replace("w", "W")).ok).toBe(false);
    }
  });

  it("builds canonical URIs and queries as the SDKs do", () => {
    expect(canonicalUri("/")).toBe("/");
    expect(canonicalUri("/a/./b/../c//d/")).toBe("/a/c/d/");
    expect(canonicalUri("/f/arn%3Aaws")).toBe("/f/arn%253Aaws");
    expect(canonicalQuery("b=2&a=1&a=0&X-Amz-Signature=zz&c")).toBe("a=0&a=1&b=2&c=");
    expect(canonicalQuery("k=a%20b&k2=%7E*")).toBe("k=a%20b&k2=~%2A");
  });

  it("computes HMAC-SHA256 from the key's pads exactly as createHmac does, for short, long and non-ASCII messages", () => {
    const k = signingKey(SECRET, "20261127", "us-east-1", "sqs");
    const messages = ["", "a", "x".repeat(63), "x".repeat(64), "y".repeat(5000), "AWS4-HMAC-SHA256\n20261127T000000Z\nscope\nhash", "ünïcødé ✓ 🚀"];
    for (const m of messages) expect(hmacWithKey(k, m).toString("hex")).toBe(createHmac("sha256", k.key).update(m, "utf8").digest("hex"));
    // The scratch buffer is reused: a long message then a short one must not leak bytes.
    expect(hmacWithKey(k, "short").toString("hex")).toBe(createHmac("sha256", k.key).update("short").digest("hex"));
    const other = signingKey(SECRET, "20261128", "us-east-1", "sqs");
    expect(hmacWithKey(other, "short").equals(hmacWithKey(k, "short"))).toBe(false);
  });

  it("parses X-Amz-Date and the HTTP date form, the same when asked twice", () => {
    expect(parseAmzDate("20261127T101500Z")).toBe(Date.UTC(2026, 10, 27, 10, 15, 0));
    expect(parseAmzDate("20261127T101500Z")).toBe(Date.UTC(2026, 10, 27, 10, 15, 0));
    expect(parseAmzDate("Fri, 27 Nov 2026 10:15:01 GMT")).toBe(Date.UTC(2026, 10, 27, 10, 15, 1));
    expect(parseAmzDate("yesterday")).toBeUndefined();
    expect(parseAmzDate("yesterday")).toBeUndefined();
    expect(parseAmzDate("20261127T101500Z")).toBe(Date.UTC(2026, 10, 27, 10, 15, 0));
  });
});
