// The lab's step 4 end to end with the SDK: the high-value-orders rule targets a real Lambda
// function (run by the sandbox in a child process). The function records each event it gets in a
// file, so the test sees what EventBridge delivered: nothing while the function's resource policy
// does not admit the rule, then exactly the orders of 1000 or more.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand, EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSandbox } from "@/test/support/sandbox";
import type { TestSandbox } from "@/test/support/sandbox";
import { ROLE, zipOf } from "@/test/unit/sandbox/lambda/helpers";

const PATTERN = JSON.stringify({ source: ["com.myapp.orders"], "detail-type": ["OrderCreated"], detail: { amount: [{ numeric: [">=", 1000] }] } });
const RECORDER = `import fs from "node:fs";
export const handler = async (event) => {
  fs.appendFileSync(process.env.OUT_FILE, JSON.stringify(event) + "\\n");
  return { ok: true };
};`;

let sandbox: TestSandbox;
let events: EventBridgeClient;
let lambda: LambdaClient;
let dir: string;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  events = new EventBridgeClient(sandbox.clientConfig());
  lambda = new LambdaClient(sandbox.clientConfig());
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "events-lambda-"));
});

afterAll(async () => {
  events?.destroy();
  lambda?.destroy();
  await sandbox?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const order = (amount: number) => ({ Source: "com.myapp.orders", DetailType: "OrderCreated", Detail: JSON.stringify({ orderId: `o-${amount}`, amount, status: "confirmed" }) });

function recorded(file: string): Array<{ detail: { amount: number } }> {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { detail: { amount: number } });
}

async function waitFor(file: string, count: number, ms: number) {
  const until = Date.now() + ms;
  while (recorded(file).length < count && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  return recorded(file);
}

describe("EventBridge → Lambda", () => {
  it("invokes the function only once its policy admits the rule, and only for orders of 1000 or more", { timeout: 60_000 }, async () => {
    const out = path.join(dir, "events.jsonl");
    const fn = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: "premium-order-processor",
        Runtime: "nodejs20.x",
        Role: ROLE,
        Handler: "index.handler",
        Code: { ZipFile: Buffer.from(zipOf({ "index.mjs": RECORDER }), "base64") },
        Environment: { Variables: { OUT_FILE: out } },
        Timeout: 10,
      }),
    );
    const { RuleArn } = await events.send(new PutRuleCommand({ Name: "high-value-orders", EventBusName: "default", EventPattern: PATTERN, State: "ENABLED" }));
    expect((await events.send(new PutTargetsCommand({ Rule: "high-value-orders", Targets: [{ Id: "premium", Arn: fn.FunctionArn }] }))).FailedEntryCount).toBe(0);

    // No permission yet: EventBridge's invocation is refused and the event is dropped.
    await events.send(new PutEventsCommand({ Entries: [order(2000)] }));
    expect(await waitFor(out, 1, 2_000)).toEqual([]);

    // A statement for another rule does not help either.
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: "premium-order-processor",
        StatementId: "other-rule",
        Action: "lambda:InvokeFunction",
        Principal: "events.amazonaws.com",
        SourceArn: "arn:aws:events:us-east-1:000000000000:rule/some-other-rule",
      }),
    );
    await events.send(new PutEventsCommand({ Entries: [order(3000)] }));
    expect(await waitFor(out, 1, 2_000)).toEqual([]);

    await lambda.send(
      new AddPermissionCommand({
        FunctionName: "premium-order-processor",
        StatementId: "high-value-orders-invoke",
        Action: "lambda:InvokeFunction",
        Principal: "events.amazonaws.com",
        SourceArn: RuleArn,
      }),
    );
    await events.send(new PutEventsCommand({ Entries: [order(999), order(1000), order(1500)] }));
    const got = await waitFor(out, 2, 20_000);
    await new Promise((r) => setTimeout(r, 500)); // nothing more arrives
    expect(recorded(out).map((e) => e.detail.amount).sort()).toEqual([1000, 1500]);
    expect(got[0]).toMatchObject({ source: "com.myapp.orders", "detail-type": "OrderCreated", account: "000000000000" });
  });
});
