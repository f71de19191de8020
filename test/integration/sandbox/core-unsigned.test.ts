// One decision per request, over real HTTP: the only calls answered without credentials are
// SNS's SubscribeURL (ConfirmSubscription) and unsubscribe link (Unsubscribe), and a request that
// looks like one of them in its URL cannot run anything else through its body. Each forged
// request gets an error and leaves the victim's topic, subscriptions and queue as they were.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateTopicCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  SNSClient,
  SubscribeCommand,
} from "@aws-sdk/client-sns";
import { SetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { AccountKeys, TestSandbox } from "@/test/support/sandbox";
import { startTestSandbox } from "@/test/support/sandbox";
import { drain, makeQueue, onlyTopicPolicy } from "./sns-support";

let sb: TestSandbox;
let victim: AccountKeys;
let sns: SNSClient;
let sqs: SQSClient;
let topicArn: string;
let queue: { url: string; arn: string };
let subscriptionArn: string;
/** Where the victim's http subscription posts its SubscriptionConfirmation. */
let hook: http.Server;
const confirmations: Array<{ SubscribeURL: string; Token: string }> = [];

const FORM = { "content-type": "application/x-www-form-urlencoded; charset=utf-8" };
const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

/** A request with no Authorization header, as a web page's form post would send it. */
async function unsigned(query: Record<string, string>, body?: Record<string, string>) {
  const res = await fetch(`${sb.endpoint}/?${q(query)}`, { method: body ? "POST" : "GET", headers: FORM, ...(body ? { body: q(body) } : {}) });
  return { status: res.status, text: await res.text() };
}

async function subscriptions(): Promise<string[]> {
  const out = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
  return (out.Subscriptions ?? []).map((s) => `${s.Protocol} ${s.Endpoint} ${s.SubscriptionArn}`).sort();
}

beforeAll(async () => {
  sb = await startTestSandbox();
  victim = await sb.createAccount();
  sns = new SNSClient(sb.clientConfig(victim));
  sqs = new SQSClient(sb.clientConfig(victim));
  topicArn = (await sns.send(new CreateTopicCommand({ Name: "orders" }))).TopicArn as string;
  queue = await makeQueue(sqs, "inventory");
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: { Policy: onlyTopicPolicy(queue.arn, topicArn) } }));
  subscriptionArn = (await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: queue.arn }))).SubscriptionArn as string;
  hook = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      const message = JSON.parse(body) as { Type: string; SubscribeURL: string; Token: string };
      if (message.Type === "SubscriptionConfirmation") confirmations.push(message);
      res.end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
});

afterAll(async () => {
  hook?.close();
  sns?.destroy();
  sqs?.destroy();
  await sb?.close();
});

describe("unsigned requests", () => {
  it("cannot smuggle another action in the body of an unsubscribe link", async () => {
    const before = await subscriptions();
    const link = { Action: "Unsubscribe", SubscriptionArn: subscriptionArn };
    const forged: Array<Record<string, string>> = [
      { Action: "Publish", TopicArn: topicArn, Message: "forged" },
      { Action: "DeleteTopic", TopicArn: topicArn },
      { Action: "Subscribe", TopicArn: topicArn, Protocol: "sqs", Endpoint: "arn:aws:sqs:us-east-1:000000000000:attacker" },
      { Action: "SetTopicAttributes", TopicArn: topicArn, AttributeName: "DisplayName", AttributeValue: "owned" },
    ];
    for (const body of forged) {
      const r = await unsigned(link, body);
      expect(r.status, `${body.Action}: ${r.text}`).toBe(403);
      expect(r.text).toContain("<Code>MissingAuthenticationToken</Code>");
    }
    expect(await drain(sqs, queue.url, 1500)).toEqual([]);
    expect(await subscriptions()).toEqual(before);
    const attrs = await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }));
    expect(attrs.Attributes?.DisplayName ?? "").toBe("");
  });

  it("refuses any other unsigned action, and a link whose ARN is not AWS's grammar", async () => {
    const publish = await unsigned({ Action: "Publish", TopicArn: topicArn, Message: "forged" });
    expect(publish.status).toBe(403);
    expect(publish.text).toContain("<Code>MissingAuthenticationToken</Code>");
    const bodyOnly = await unsigned({}, { Action: "Publish", TopicArn: topicArn, Message: "forged" });
    expect(bodyOnly.status).toBe(403);
    const badRegion = await unsigned({ Action: "Unsubscribe", SubscriptionArn: subscriptionArn.replace(":us-east-1:", ":..:") });
    expect(badRegion.status).toBe(403);
    expect(await drain(sqs, queue.url, 1000)).toEqual([]);
  });

  it("confirms with the SubscribeURL, and a forged body changes neither the operation nor the subscription", async () => {
    const endpoint = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "http", Endpoint: endpoint }));
    const deadline = Date.now() + 10_000;
    while (confirmations.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const { SubscribeURL, Token } = confirmations[0] ?? { SubscribeURL: "", Token: "" };
    expect(SubscribeURL).toContain("Action=ConfirmSubscription");
    const pending = async () => (await subscriptions()).filter((s) => s.startsWith("http ")).map((s) => s.endsWith(" PendingConfirmation"));

    // The link's parameters in the URL, another action in the body: refused, still pending.
    const forged = await unsigned({ Action: "ConfirmSubscription", TopicArn: topicArn, Token }, { Action: "Publish", TopicArn: topicArn, Message: "forged" });
    expect(forged.status).toBe(403);
    expect(await pending()).toEqual([true]);

    // The link itself, as a browser opens it.
    const res = await fetch(SubscribeURL.replace(/^http:\/\/[^/]+/, sb.endpoint));
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(text).toContain("<ConfirmSubscriptionResult><SubscriptionArn>");
    expect(await pending()).toEqual([false]);
    expect(await drain(sqs, queue.url, 1000)).toEqual([]);
  });

  it("answers the unsubscribe link itself: that subscription, and nothing more", async () => {
    const second = await makeQueue(sqs, "shipping");
    const arn = (await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: second.arn }))).SubscriptionArn as string;
    const r = await unsigned({ Action: "Unsubscribe", SubscriptionArn: arn });
    expect(r.status, r.text).toBe(200);
    expect(r.text).toContain("<UnsubscribeResponse");
    const left = await subscriptions();
    expect(left.some((s) => s.endsWith(arn))).toBe(false);
    expect(left.some((s) => s.endsWith(subscriptionArn))).toBe(true);
  });
});

describe("signed requests", () => {
  it("refuses a request whose query string and body name different actions", async () => {
    const test = new SNSClient(sb.clientConfig());
    const { TopicArn } = await test.send(new CreateTopicCommand({ Name: "kept" }));
    const auth = `AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1/sns/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`;
    const res = await fetch(`${sb.endpoint}/?${q({ Action: "ListTopics" })}`, {
      method: "POST",
      headers: { ...FORM, authorization: auth },
      body: q({ Action: "DeleteTopic", TopicArn: TopicArn as string }),
    });
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(text).toContain("<Code>InvalidAction</Code>");
    expect(text).toContain("ListTopics");
    const topics = await test.send(new ListTopicsCommand({}));
    expect(topics.Topics?.map((t) => t.TopicArn)).toContain(TopicArn);
    test.destroy();
  });
});
