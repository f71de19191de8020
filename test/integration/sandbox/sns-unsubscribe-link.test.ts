// SNS's unsubscribe link over real HTTP: the UnsubscribeURL of a notification, opened with no
// credentials as a mail client or a browser opens it. It removes the subscription, unless the
// subscription was confirmed by a signed ConfirmSubscription with AuthenticateOnUnsubscribe=true:
// then AWS wants a signature ("only the topic owner and the subscription owner can unsubscribe")
// and answers the link AuthorizationError, and the signed Unsubscribe still works.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from "@aws-sdk/client-sns";
import type { TestSandbox } from "@/test/support/sandbox";
import { startTestSandbox } from "@/test/support/sandbox";

interface Message {
  Type: string;
  Token?: string;
  SubscribeURL?: string;
  UnsubscribeURL?: string;
}

let sb: TestSandbox;
let sns: SNSClient;
let server: Server;
let hookUrl: string;
/** Everything SNS posted to the endpoint, by the path it was posted to. */
const received = new Map<string, Message[]>();

beforeAll(async () => {
  sb = await startTestSandbox();
  sns = new SNSClient(sb.clientConfig(await sb.createAccount()));
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      const path = req.url ?? "/";
      received.set(path, [...(received.get(path) ?? []), JSON.parse(body) as Message]);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  sns?.destroy();
  await new Promise((resolve) => server?.close(resolve));
  await sb?.close();
});

/** The first message of `type` SNS posted to `path`. */
async function next(path: string, type: string): Promise<Message> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = (received.get(path) ?? []).find((m) => m.Type === type);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no ${type} reached ${path}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A link as SNS hands it out, opened with no Authorization header (at the test sandbox's address). */
async function open(link: string): Promise<{ status: number; text: string }> {
  const res = await fetch(link.replace(/^http:\/\/[^/]+/, sb.endpoint));
  return { status: res.status, text: await res.text() };
}

async function subscriptionArns(topicArn: string): Promise<string[]> {
  const out = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
  return (out.Subscriptions ?? []).map((s) => s.SubscriptionArn ?? "");
}

/** An http subscription at `path`, confirmed as `confirm` says; then its notification's UnsubscribeURL. */
async function subscribed(name: string, confirm: (m: Message, topicArn: string) => Promise<void>) {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  const topicArn = TopicArn as string;
  const path = `/${name}`;
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "http", Endpoint: `${hookUrl}${path}` }));
  await confirm(await next(path, "SubscriptionConfirmation"), topicArn);
  const [subscriptionArn] = await subscriptionArns(topicArn);
  await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "hello" }));
  const unsubscribeUrl = (await next(path, "Notification")).UnsubscribeURL ?? "";
  expect(unsubscribeUrl).toContain("Action=Unsubscribe");
  return { topicArn, subscriptionArn: subscriptionArn as string, unsubscribeUrl };
}

describe("the unsubscribe link", () => {
  it("is refused with AuthorizationError for a subscription confirmed with AuthenticateOnUnsubscribe=true", async () => {
    const { topicArn, subscriptionArn, unsubscribeUrl } = await subscribed("guarded", async (m, TopicArn) => {
      await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: m.Token, AuthenticateOnUnsubscribe: "true" }));
    });
    const attrs = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn }));
    expect(attrs.Attributes?.ConfirmationWasAuthenticated).toBe("true");

    const r = await open(unsubscribeUrl);
    expect(r.status, r.text).toBe(403);
    expect(r.text).toContain("<Code>AuthorizationError</Code>");
    expect(await subscriptionArns(topicArn)).toEqual([subscriptionArn]);

    // The subscriber's signed Unsubscribe is what AWS asks for, and it works.
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
    expect(await subscriptionArns(topicArn)).toEqual([]);
  });

  it("removes a subscription confirmed by its SubscribeURL", async () => {
    const { topicArn, unsubscribeUrl } = await subscribed("open", async (m) => {
      expect((await open(m.SubscribeURL ?? "")).status).toBe(200);
    });
    const r = await open(unsubscribeUrl);
    expect(r.status, r.text).toBe(200);
    expect(r.text).toContain("<UnsubscribeResponse");
    expect(await subscriptionArns(topicArn)).toEqual([]);
  });

  it("still removes it when the unsigned SubscribeURL asked for AuthenticateOnUnsubscribe (AWS honours it only signed)", async () => {
    const { topicArn, unsubscribeUrl } = await subscribed("unsigned-ask", async (m) => {
      expect((await open(`${m.SubscribeURL ?? ""}&AuthenticateOnUnsubscribe=true`)).status).toBe(200);
    });
    expect((await open(unsubscribeUrl)).status).toBe(200);
    expect(await subscriptionArns(topicArn)).toEqual([]);
  });
});
