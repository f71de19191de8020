// http/https subscriptions: confirmation, notifications with SNS's headers, retries, and the
// outbound-address policy (a refused address never receives a request).
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { setup } from "./harness";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  servers = [];
});

async function receiver(status: () => number = () => 200) {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      got.push({ headers: req.headers, body });
      res.statusCode = status();
      res.end();
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sns`, got };
}

describe("SNS http subscriptions", () => {
  it("sends SubscriptionConfirmation, then notifications once confirmed", async () => {
    const t = setup();
    const r = await receiver();
    const TopicArn = await t.topic();
    const out = await t.call("Subscribe", { TopicArn, Protocol: "http", Endpoint: r.url });
    expect(out.SubscriptionArn).toBe("pending confirmation");
    await t.flush();
    expect(r.got).toHaveLength(1);
    const confirmation = r.got[0] as Received;
    expect(confirmation.headers["x-amz-sns-message-type"]).toBe("SubscriptionConfirmation");
    expect(confirmation.headers["x-amz-sns-topic-arn"]).toBe(TopicArn);
    expect(confirmation.headers["content-type"]).toBe("text/plain; charset=UTF-8");
    const body = JSON.parse(confirmation.body) as Record<string, string>;
    expect(body).toMatchObject({ Type: "SubscriptionConfirmation", TopicArn });
    const subscribeUrl = new URL(body.SubscribeURL ?? "");
    expect(subscribeUrl.searchParams.get("Action")).toBe("ConfirmSubscription");
    expect(subscribeUrl.searchParams.get("Token")).toBe(body.Token);

    // Not confirmed yet: nothing is delivered.
    await t.call("Publish", { TopicArn, Message: "early" });
    await t.flush();
    expect(r.got).toHaveLength(1);

    const confirmed = await t.call("ConfirmSubscription", { TopicArn, Token: body.Token });
    const arn = confirmed.SubscriptionArn as string;
    expect(arn.startsWith(`${TopicArn}:`)).toBe(true);
    expect(await t.call("ConfirmSubscription", { TopicArn, Token: body.Token })).toEqual(confirmed);
    await expect(t.call("ConfirmSubscription", { TopicArn, Token: "nope" })).rejects.toMatchObject({ code: "InvalidParameter" });

    await t.call("Publish", { TopicArn, Message: "hello", Subject: "s" });
    await t.flush();
    expect(r.got).toHaveLength(2);
    const n = r.got[1] as Received;
    expect(n.headers).toMatchObject({
      "x-amz-sns-message-type": "Notification",
      "x-amz-sns-topic-arn": TopicArn,
      "x-amz-sns-subscription-arn": arn,
    });
    expect(JSON.parse(n.body)).toMatchObject({ Type: "Notification", Message: "hello", Subject: "s", TopicArn });

    await t.call("SetSubscriptionAttributes", { SubscriptionArn: arn, AttributeName: "RawMessageDelivery", AttributeValue: "true" });
    await t.call("Publish", { TopicArn, Message: "raw body" });
    await t.flush();
    expect(r.got[2]?.body).toBe("raw body");
    expect(r.got[2]?.headers["x-amz-sns-rawdelivery"]).toBe("true");
  });

  it("an address the outbound policy refuses never gets a request, and is not retried", async () => {
    const t = setup();
    const r = await receiver();
    const asked: string[] = [];
    t.env.checkOutbound = async (url) => {
      asked.push(url);
      return { ok: false, reason: "loopback addresses are not allowed in hosted mode" };
    };
    const TopicArn = await t.topic();
    await t.call("Subscribe", { TopicArn, Protocol: "http", Endpoint: r.url });
    await t.flush();
    await t.flush(60_000);
    expect(asked).toEqual([r.url]);
    expect(r.got).toHaveLength(0);
    expect(t.sns.deliveries.pending()).toBe(0);
  });

  it("an endpoint answering 500 is retried with backoff, three times", async () => {
    const t = setup();
    const r = await receiver(() => 500);
    const TopicArn = await t.topic();
    await t.call("Subscribe", { TopicArn, Protocol: "http", Endpoint: r.url });
    await t.flush();
    expect(r.got).toHaveLength(1);
    await t.flush(1000);
    expect(r.got).toHaveLength(2);
    await t.flush(2000);
    await t.flush(4000);
    expect(r.got).toHaveLength(4);
    await t.flush(60_000);
    expect(r.got).toHaveLength(4);
    expect(t.sns.deliveries.pending()).toBe(0);
  });

  it("credentials in the endpoint URL are sent as Basic auth, not in the URL", async () => {
    const t = setup();
    const r = await receiver();
    const TopicArn = await t.topic();
    await t.call("Subscribe", { TopicArn, Protocol: "http", Endpoint: r.url.replace("http://", "http://user:p%40ss@") });
    await t.flush();
    expect(r.got[0]?.headers.authorization).toBe(`Basic ${Buffer.from("user:p@ss").toString("base64")}`);
  });
});
