// Local mode answers only requests addressed to the sandbox itself (its listen address, the
// loopback aliases, SANDBOX_PUBLIC_URL) and refuses web pages of other origins — so a page the
// learner visits can neither post forms to it nor reach it by DNS rebinding. SDK requests, the
// queue URLs it hands out and the admin API keep working.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { TestSandbox } from "@/test/support/sandbox";
import { startTestSandbox } from "@/test/support/sandbox";

let sb: TestSandbox;
let port: number;
beforeAll(async () => {
  sb = await startTestSandbox({ publicUrl: "https://sandbox.example.edu" });
  port = Number(new URL(sb.endpoint).port);
});
afterAll(async () => {
  await sb?.close();
});

const AUTH = (service: string) => `AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`;

/** A raw request whose Host and Origin headers we choose (fetch would set Host itself). */
function raw(opts: { path?: string; method?: string; headers: Record<string, string>; body?: string }): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: opts.path ?? "/", method: opts.method ?? "POST", headers: opts.headers, setHost: false }, (res) => {
      let text = "";
      res.on("data", (d: Buffer) => (text += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

const stsForm = (headers: Record<string, string>) =>
  raw({ headers: { "content-type": "application/x-www-form-urlencoded", authorization: AUTH("sts"), ...headers }, body: "Action=GetCallerIdentity&Version=2011-06-15" });

describe("local mode: Host and Origin", () => {
  it("answers its own addresses and the public URL's host", async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, "sandbox.example.edu"]) {
      const r = await stsForm({ host });
      expect(r.status, `${host}: ${r.text}`).toBe(200);
      expect(r.text).toContain("<Account>000000000000</Account>");
    }
  });

  it("refuses a foreign Host with a 403 in the protocol's format", async () => {
    const query = await stsForm({ host: "evil.example" });
    expect(query.status).toBe(403);
    expect(query.text).toContain("<Code>AccessDenied</Code>");
    expect(query.text).toContain("not Host &quot;evil.example&quot;");
    const json = await raw({
      headers: { host: `evil.example:${port}`, authorization: AUTH("events"), "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSEvents.ListRules" },
      body: "{}",
    });
    expect(json.status).toBe(403);
    expect(JSON.parse(json.text)).toMatchObject({ __type: "com.amazonaws.events#AccessDeniedException" });
    const sqs = await raw({
      headers: { host: "evil.example", authorization: AUTH("sqs"), "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.ListQueues" },
      body: "{}",
    });
    expect(sqs.status).toBe(403);
    expect(sqs.headers["x-amzn-query-error"]).toBe("AccessDenied;Sender");
    const rest = await raw({ method: "GET", path: "/2015-03-31/functions/", headers: { host: "evil.example", authorization: AUTH("lambda") } });
    expect(rest.status).toBe(403);
    expect(rest.headers["x-amzn-errortype"]).toBe("AccessDeniedException");
  });

  it("refuses a browser request from another origin, even to its own address", async () => {
    const r = await stsForm({ host: `127.0.0.1:${port}`, origin: "https://evil.example" });
    expect(r.status).toBe(403);
    expect(r.text).toContain("<Code>AccessDenied</Code>");
    expect(r.text).toContain("https://evil.example");
    // The unsigned SNS link too, as a form post from a web page would send it.
    const link = await raw({ path: "/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:000000000000:t:x", headers: { host: `localhost:${port}`, origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" }, body: "" });
    expect(link.status).toBe(403);
    expect((await stsForm({ host: `localhost:${port}`, origin: `http://localhost:${port}` })).status).toBe(200);
  });

  it("guards the admin API the same way", async () => {
    const auth = { authorization: `Bearer ${sb.adminToken}` };
    const foreign = await raw({ method: "POST", path: "/_sandbox/accounts", headers: { host: "evil.example", ...auth } });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.text)).toMatchObject({ error: "Forbidden" });
    const page = await raw({ method: "POST", path: "/_sandbox/accounts", headers: { host: `127.0.0.1:${port}`, origin: "https://evil.example", ...auth } });
    expect(page.status).toBe(403);
    expect((await raw({ method: "GET", path: "/_sandbox/health", headers: { host: `127.0.0.1:${port}` } })).status).toBe(200);
  });

  it("keeps SDK requests and the queue URLs it hands out working, by either loopback name", async () => {
    const a = await sb.createAccount();
    for (const endpoint of [sb.endpoint, `http://localhost:${port}`]) {
      const sqs = new SQSClient({ ...sb.clientConfig(a), endpoint });
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "orders" }));
      expect(QueueUrl).toBe(`${endpoint}/${a.accountId}/orders`);
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "hi" }));
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
      expect(got.Messages?.[0]?.Body).toBe("hi");
      sqs.destroy();
    }
    const sts = new STSClient(sb.clientConfig(a));
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe(a.accountId);
  });
});
