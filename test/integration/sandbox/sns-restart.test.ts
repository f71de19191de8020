// SNS durability across a SIGKILL: topics, subscriptions and published messages acknowledged
// before the kill are all there after the restart, and a delivery still pending at the kill
// is made by the restarted process.
import fs from "node:fs";
import { createServer, type Server } from "node:http";
import { CreateTopicCommand, ListSubscriptionsByTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { SetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, describe, expect, it } from "vitest";
import { spawnSandboxProcess, type SandboxProcess } from "@/test/support/sandbox";
import { drain, makeQueue, onlyTopicPolicy, orderIds } from "./sns-support";
import { freePort } from "@/test/support/free-port";

const running: SandboxProcess[] = [];
let server: Server | undefined;
afterAll(async () => {
  for (const p of running) await p.kill("SIGKILL");
  if (server) await new Promise((r) => server?.close(r));
  const dir = running[0]?.dataDir;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A port nothing listens on (yet). */

describe("SNS after SIGKILL", () => {
  it("keeps topics, subscriptions and published messages; a pending delivery is made after the restart", async () => {
    const first = await spawnSandboxProcess();
    running.push(first);
    const sns = new SNSClient(first.clientConfig());
    const sqs = new SQSClient(first.clientConfig());
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "order-events" }));
    const q = await makeQueue(sqs, "inventory-updates");
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { Policy: onlyTopicPolicy(q.arn, TopicArn as string) } }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: q.arn }));
    // An http endpoint that is down: its SubscriptionConfirmation stays pending, retried with backoff.
    const port = await freePort();
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: `http://127.0.0.1:${port}/hook` }));
    for (const id of ["o-1", "o-2", "o-3"]) await sns.send(new PublishCommand({ TopicArn, Message: JSON.stringify({ orderId: id }) }));
    await first.kill("SIGKILL");
    sns.destroy();
    sqs.destroy();

    const got: string[] = [];
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        got.push(body);
        res.end();
      });
    });
    await new Promise<void>((r) => server?.listen(port, "127.0.0.1", r));

    const second = await spawnSandboxProcess({ dataDir: first.dataDir, port: first.port });
    running.push(second);
    const sns2 = new SNSClient(second.clientConfig());
    const sqs2 = new SQSClient(second.clientConfig());
    const subs = await sns2.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    expect(subs.Subscriptions?.map((s) => s.Protocol).sort()).toEqual(["http", "sqs"]);
    expect(orderIds(await drain(sqs2, q.url, 8000, 3))).toEqual(["o-1", "o-2", "o-3"]);
    const deadline = Date.now() + 8000;
    while (got.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(got.map((b) => (JSON.parse(b) as { Type: string }).Type)).toContain("SubscriptionConfirmation");
    sns2.destroy();
    sqs2.destroy();
  }, 120_000);
});
