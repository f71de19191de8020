// SNS through both AWS CLIs a learner may have (SNS is query/XML for both: Debian's
// /usr/bin/aws 2.9 and the pyenv `aws` 1.45): the lab's reference scripts for steps 1–3, then
// orders published with the CLI reach exactly the queues their attributes select; AWS's errors.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { SQSClient, SetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsCli } from "@/test/support/aws-cli";
import { startTestSandbox, type TestSandbox } from "@/test/support/sandbox";
import { drain, makeQueue, onlyTopicPolicy, orderIds } from "./sns-support";

const run = promisify(execFile);
const SCRIPTS = path.resolve("labs/order-system/solution/cli");

const CLIS = [
  { label: "/usr/bin/aws 2.9", bin: "/usr/bin/aws" },
  { label: "pyenv aws 1.45", bin: "/root/.pyenv/shims/aws" },
].filter((c) => fs.existsSync(c.bin));

let sandbox: TestSandbox;
let sqs: SQSClient;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  sqs = new SQSClient(sandbox.clientConfig());
});

afterAll(async () => {
  sqs?.destroy();
  await sandbox?.close();
});

const cli = (bin: string) => awsCli(bin, sandbox);

function tmpFile(name: string, content: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sns-cli-"));
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return `file://${file}`;
}

const order = (event: string, value: number, shipping: string) => ({
  event_type: { DataType: "String", StringValue: event },
  order_value: { DataType: "Number", StringValue: String(value) },
  shipping_type: { DataType: "String", StringValue: shipping },
});

describe.skipIf(CLIS.length === 0)("SNS with the AWS CLI", () => {
  for (const { label, bin } of CLIS) {
    describe(label, () => {
      // The scripts make dozens of CLI calls (about a second each), so they run with one CLI only.
      it.skipIf(bin !== CLIS[0]?.bin)("applies the reference solution for steps 1-3, and published orders reach exactly the selected queues", async () => {
        await sandbox.resetAccount("000000000000");
        // The scripts call `aws` from PATH: point it at this CLI.
        const binDir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-bin-"));
        fs.symlinkSync(bin, path.join(binDir, "aws"));
        const env = { ...sandbox.cliEnv(), PATH: `${binDir}:${process.env.PATH ?? ""}`, AWS_ENDPOINT_URL: sandbox.endpoint };
        for (const step of ["01-sns-topic.sh", "02-sqs-queues.sh", "03-fan-out.sh", "03-fan-out.sh" /* re-running converges */]) {
          await run("bash", [path.join(SCRIPTS, step)], { env, timeout: 120_000 });
        }
        const c = cli(bin);
        const topics = (await c.json("sns", "list-topics")).Topics as Array<{ TopicArn: string }>;
        const topic = topics.map((t) => t.TopicArn).find((a) => a.endsWith(":order-events")) as string;
        const subs = (await c.json("sns", "list-subscriptions-by-topic", "--topic-arn", topic)).Subscriptions as Array<{ SubscriptionArn: string }>;
        expect(subs).toHaveLength(2);
        const attrs = (await c.json("sns", "get-subscription-attributes", "--subscription-arn", subs[0]?.SubscriptionArn ?? "")).Attributes as Record<string, string>;
        expect(attrs.FilterPolicyScope).toBe("MessageAttributes");

        const publish = (id: string, event: string, value: number, shipping: string) =>
          c.json("sns", "publish", "--topic-arn", topic, "--message", JSON.stringify({ orderId: id }), "--message-attributes", tmpFile("attrs.json", order(event, value, shipping)));
        expect((await publish("a", "order_created", 1500, "express")).MessageId).toEqual(expect.any(String));
        await publish("b", "order_updated", 999, "standard");
        await publish("c", "order_cancelled", 1200, "priority");
        await publish("d", "order_cancelled", 999, "express");

        const url = (name: string) => `${sandbox.endpoint}/000000000000/${name}`;
        expect(orderIds(await drain(sqs, url("inventory-updates"), 6000, 2))).toEqual(["a", "b"]);
        expect(orderIds(await drain(sqs, url("shipping-orders"), 6000, 2))).toEqual(["a", "c"]);
        expect(await drain(sqs, url("inventory-updates"), 800)).toEqual([]);
        expect(await drain(sqs, url("shipping-orders"), 800)).toEqual([]);
      }, 240_000);

      it("subscribes with attributes from a file, and answers AWS's errors", async () => {
        const c = cli(bin);
        const prefix = bin.includes("pyenv") ? "py" : "deb";
        const topic = (await c.json("sns", "create-topic", "--name", `${prefix}-cli-topic`)).TopicArn as string;
        expect((await c.json("sns", "create-topic", "--name", `${prefix}-cli-topic`)).TopicArn).toBe(topic);
        const q = await makeQueue(sqs, `${prefix}-cli-queue`);
        await sqs.send(new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { Policy: onlyTopicPolicy(q.arn, topic) } }));
        const sub = await c.json(
          "sns", "subscribe", "--topic-arn", topic, "--protocol", "sqs", "--notification-endpoint", q.arn,
          "--attributes", tmpFile("sub.json", { RawMessageDelivery: "true", FilterPolicy: JSON.stringify({ k: ["yes"] }) }),
          "--return-subscription-arn",
        );
        expect(String(sub.SubscriptionArn).startsWith(`${topic}:`)).toBe(true);
        const attrs = (await c.json("sns", "get-topic-attributes", "--topic-arn", topic)).Attributes as Record<string, string>;
        expect(attrs).toMatchObject({ TopicArn: topic, SubscriptionsConfirmed: "1" });
        await c.json("sns", "publish", "--topic-arn", topic, "--message", "no", "--message-attributes", tmpFile("a.json", { k: { DataType: "String", StringValue: "no" } }));
        await c.json("sns", "publish", "--topic-arn", topic, "--message", "yes", "--message-attributes", tmpFile("a.json", { k: { DataType: "String", StringValue: "yes" } }));
        expect(await drain(sqs, q.url, 4000, 1)).toEqual(["yes"]);

        expect(await c.fails("sns", "publish", "--topic-arn", `${topic}-missing`, "--message", "m")).toMatch(/NotFound.*Topic does not exist/);
        expect(await c.fails("sns", "create-topic", "--name", "bad name!")).toMatch(/InvalidParameter.*Invalid parameter: Topic Name/);
        expect(
          await c.fails("sns", "subscribe", "--topic-arn", topic, "--protocol", "sqs", "--notification-endpoint", q.arn, "--attributes", tmpFile("bad.json", { FilterPolicy: '{"k": "v"}' })),
        ).toMatch(/InvalidParameter.*Invalid parameter: Attributes Reason: FilterPolicy:/);
        expect(
          await c.fails("sns", "publish", "--topic-arn", topic, "--message", "m", "--message-attributes", tmpFile("n.json", { n: { DataType: "Number", StringValue: "abc" } })),
        ).toMatch(/ParameterValueInvalid|InvalidParameterValue/);
      }, 120_000);
    });
  }
});
