// Routing and protocol errors over raw HTTP: unknown operations named in the service's own
// protocol, malformed bodies, missing or broken Authorization, oversized bodies and broken
// HTTP — each answered AWS-style, and the server stays up.
import http from "node:http";
import type { AddressInfo } from "node:net";
import net from "node:net";
import { CreateTopicCommand, ListSubscriptionsByTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestSandbox } from "@/test/support/sandbox";
import { startTestSandbox } from "@/test/support/sandbox";

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(async () => {
  await sb?.close();
});

const auth = (service: string, key = "test") =>
  `AWS4-HMAC-SHA256 Credential=${key}/20261126/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`;

async function send(init: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer }) {
  const res = await fetch(sb.endpoint + (init.path ?? "/"), {
    method: init.method ?? "POST",
    headers: init.headers ?? {},
    ...(init.body !== undefined ? { body: typeof init.body === "string" ? init.body : new Blob([new Uint8Array(init.body)]) } : {}),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const json = (service: string, target: string, body: string) =>
  send({ headers: { authorization: auth(service), "content-type": "application/x-amz-json-1.0", "x-amz-target": target }, body });
const form = (service: string, body: string, key?: string) =>
  send({ headers: { authorization: auth(service, key), "content-type": "application/x-www-form-urlencoded; charset=utf-8" }, body });

async function healthy() {
  const r = await send({ method: "GET", path: "/_sandbox/health" });
  expect(r.status).toBe(200);
}

describe("sandbox routing and protocol errors", () => {
  it("names an unknown JSON operation (UnknownOperationException)", async () => {
    const r = await json("sqs", "AmazonSQS.FlyToTheMoon", "{}");
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toEqual({ __type: "com.amazonaws.sqs#UnknownOperationException", message: "The operation AmazonSQS.FlyToTheMoon is not valid for this web service." });
    const wrongPrefix = await json("sqs", "AWSEvents.PutEvents", "{}");
    expect(JSON.parse(wrongPrefix.text).__type).toContain("UnknownOperationException");
  });

  it("names an unknown query action (InvalidAction)", async () => {
    const r = await form("sts", "Action=FlyToTheMoon&Version=2011-06-15");
    expect(r.status).toBe(400);
    expect(r.headers.get("content-type")).toContain("xml");
    expect(r.text).toContain("<Code>InvalidAction</Code>");
    expect(r.text).toContain("<Message>The action FlyToTheMoon is not valid for this web service.</Message>");
    expect(r.text).toMatch(/<RequestId>[0-9a-f-]{36}<\/RequestId>/);
    const none = await form("iam", "Version=2010-05-08");
    expect(none.text).toContain("<Code>MissingAction</Code>");
  });

  it("answers a service the sandbox does not provide", async () => {
    const r = await form("s3", "Action=ListBuckets");
    expect(r.status).toBe(400);
    expect(r.text).toContain("does not provide the service");
  });

  it("refuses a request without Authorization (MissingAuthenticationToken)", async () => {
    const q = await send({ headers: { "content-type": "application/x-www-form-urlencoded" }, body: "Action=GetCallerIdentity&Version=2011-06-15" });
    expect(q.status).toBe(403);
    expect(q.text).toContain("<Code>MissingAuthenticationToken</Code>");
    const j = await send({ headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSEvents.ListRules" }, body: "{}" });
    expect(j.status).toBe(403);
    expect(JSON.parse(j.text).__type).toContain("MissingAuthenticationTokenException");
  });

  it("refuses a malformed Authorization header (IncompleteSignature)", async () => {
    const r = await send({ headers: { authorization: "AWS4-HMAC-SHA256 Credential=garbage", "content-type": "application/x-www-form-urlencoded" }, body: "Action=GetCallerIdentity" });
    expect(r.status).toBe(403);
    expect(r.text).toContain("<Code>IncompleteSignature</Code>");
    const other = await send({ headers: { authorization: "Basic dXNlcjpwYXNz", "content-type": "application/x-www-form-urlencoded" }, body: "Action=GetCallerIdentity" });
    expect(other.text).toContain("<Code>IncompleteSignature</Code>");
  });

  it("refuses an issued key whose request is not signed properly", async () => {
    const acct = await sb.createAccount();
    const r = await form("sts", "Action=GetCallerIdentity&Version=2011-06-15", acct.accessKeyId);
    expect(r.status).toBe(403);
    expect(r.text).toMatch(/<Code>(IncompleteSignature|SignatureDoesNotMatch)<\/Code>/);
  });

  it("answers bad JSON, a JSON array and bad URL encoding with 400s", async () => {
    const bad = await json("sqs", "AmazonSQS.ListQueues", "{not json");
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).__type).toContain("SerializationException");
    const arr = await json("sqs", "AmazonSQS.ListQueues", "[1,2]");
    expect(arr.status).toBe(400);
    const enc = await form("sts", "Action=GetCallerIdentity&X=%E0%A4%A");
    expect(enc.status).toBe(400);
    expect(enc.text).toContain("<Code>MalformedQueryString</Code>");
    await healthy();
  });

  it("answers garbage bodies and random bytes without falling over", async () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    for (const service of ["sqs", "sns", "sts", "iam", "events", "states", "lambda"]) {
      const r1 = await send({ headers: { authorization: auth(service), "content-type": "application/x-www-form-urlencoded" }, body: bytes });
      expect(r1.status).toBeGreaterThanOrEqual(400);
      expect(r1.status).toBeLessThan(600);
      const r2 = await send({ headers: { authorization: auth(service), "content-type": "application/x-amz-json-1.0", "x-amz-target": "X.Y" }, body: bytes });
      expect(r2.status).toBeGreaterThanOrEqual(400);
      const r3 = await send({ method: "PUT", path: "/%%%/../x", headers: { authorization: auth(service) }, body: bytes });
      expect(r3.status).toBeGreaterThanOrEqual(400);
    }
    await healthy();
  });

  it("answers an unknown REST path (Lambda) with x-amzn-errortype", async () => {
    const r = await send({ method: "GET", path: "/2015-03-31/nothing-here", headers: { authorization: auth("lambda") } });
    expect(r.status).toBe(404);
    expect(r.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
  });

  it("refuses a body over the limit with 413", async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 0x61);
    const r = await send({ headers: { authorization: auth("sqs"), "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.SendMessage" }, body: big });
    expect(r.status).toBe(413);
    await healthy();
  });

  it("answers broken HTTP with 400 and stays up", async () => {
    const port = Number(new URL(sb.endpoint).port);
    const reply = await new Promise<string>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => socket.write("THIS IS NOT HTTP\r\n\r\n"));
      let out = "";
      socket.on("data", (d) => (out += d.toString()));
      socket.on("close", () => resolve(out));
      socket.on("error", () => resolve(out));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    await healthy();
  });

  it("lets an SNS SubscribeURL confirm without credentials, as on AWS", async () => {
    const got: string[] = [];
    const receiver = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        got.push(body);
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    try {
      const sns = new SNSClient(sb.clientConfig());
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "confirm-me" }));
      const port = (receiver.address() as AddressInfo).port;
      await sns.send(new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: `http://127.0.0.1:${port}/hook` }));
      for (let i = 0; i < 100 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      const { SubscribeURL } = JSON.parse(got[0] ?? "{}") as { SubscribeURL: string };
      const url = new URL(SubscribeURL);
      const res = await fetch(`${sb.endpoint}/${url.search}`);
      const text = await res.text();
      expect(res.status, text).toBe(200);
      expect(text).toContain("<ConfirmSubscriptionResponse");
      const subs = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
      expect(subs.Subscriptions?.[0]?.SubscriptionArn).toMatch(new RegExp(`^${TopicArn}:`));
      // Anything else unsigned is still refused.
      const other = await fetch(`${sb.endpoint}/?Action=ListTopics`);
      expect(other.status).toBe(403);
    } finally {
      receiver.close();
    }
  });
});
