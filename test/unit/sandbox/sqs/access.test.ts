// SQS's one rule for queue references (sandbox/services/sqs/access.ts): another account reaches a
// queue only as its policy allows, and never for the operations AWS keeps to the queue's owner.
import { describe, expect, it } from "vitest";
import type { Principal } from "@/sandbox/core/contracts";
import { ACCOUNT, errorOf, setup } from "./helpers";

const OTHER = "111111111111";
const otherRoot: Principal = { kind: "account", accountId: OTHER, arn: `arn:aws:iam::${OTHER}:root` };

/** A queue (and its dead-letter queue) whose policy lets the other account do everything. */
async function sharedQueue() {
  const t = setup();
  const dlq = await t.queue("shared-dlq");
  const dlqArn = (await t.attr(dlq, "QueueArn"))!;
  const url = await t.queue("shared", { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) });
  const arn = (await t.attr(url, "QueueArn"))!;
  for (const [u, a] of [[url, arn], [dlq, dlqArn]] as const) {
    const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: "sqs:*", Resource: a }] };
    await t.call("SetQueueAttributes", { QueueUrl: u, Attributes: { Policy: JSON.stringify(policy) } });
  }
  const other = t.ctx({ accountId: OTHER, principal: otherRoot });
  return { t, url, arn, dlq, dlqArn, other };
}

describe("SQS queue references across accounts", () => {
  it("keeps the owner-only operations to the owner even when the queue policy allows everything", async () => {
    const { t, url, dlqArn, other } = await sharedQueue();
    const ownerOnly: Array<[string, Record<string, unknown>]> = [
      ["DeleteQueue", { QueueUrl: url }],
      ["SetQueueAttributes", { QueueUrl: url, Attributes: { VisibilityTimeout: "5" } }],
      ["TagQueue", { QueueUrl: url, Tags: { a: "b" } }],
      ["UntagQueue", { QueueUrl: url, TagKeys: ["a"] }],
      ["ListQueueTags", { QueueUrl: url }],
      ["AddPermission", { QueueUrl: url, Label: "x", AWSAccountIds: [OTHER], Actions: ["SendMessage"] }],
      ["RemovePermission", { QueueUrl: url, Label: "x" }],
      ["StartMessageMoveTask", { SourceArn: dlqArn }],
      ["ListMessageMoveTasks", { SourceArn: dlqArn }],
    ];
    for (const [op, input] of ownerOnly) {
      const err = await errorOf(t.call(op, input, other));
      expect({ op, code: err.code, status: err.status }).toEqual({ op, code: "AccessDenied", status: 403 });
      expect(err.message).toContain(`perform: sqs:${op} on resource:`);
    }
    // What the policy may grant, it grants.
    await t.call("SendMessage", { QueueUrl: url, MessageBody: "m" }, other);
    expect((await t.call("GetQueueAttributes", { QueueUrl: url, AttributeNames: ["VisibilityTimeout"] }, other)).Attributes).toEqual({ VisibilityTimeout: "30" });
    expect((await t.call("GetQueueUrl", { QueueName: "shared", QueueOwnerAWSAccountId: ACCOUNT }, other)).QueueUrl).toBe(url);
    expect((await t.call("ReceiveMessage", { QueueUrl: url }, other)).Messages?.[0]?.Body).toBe("m");
  });

  it("does not count a service principal as the queue's owner, even acting for one of the owner's resources", async () => {
    const t = setup();
    const url = await t.queue("orders");
    const principal: Principal = {
      kind: "service",
      accountId: ACCOUNT,
      service: "states.amazonaws.com",
      arn: "states.amazonaws.com",
      sourceArn: `arn:aws:states:us-east-1:${ACCOUNT}:execution:m:e`,
    };
    expect((await errorOf(t.call("SendMessage", { QueueUrl: url, MessageBody: "x" }, t.ctx({ principal })))).code).toBe("AccessDenied");
  });

  it("reads the account from the URL's path and the region from the request, whatever the URL's host", async () => {
    const t = setup();
    const url = await t.queue("orders");
    const elsewhere = `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/orders`;
    expect((await t.call("SendMessage", { QueueUrl: elsewhere, MessageBody: "x" })).MessageId).toBeDefined();
    // Signed for another region, the same URL names no queue: the queue lives in us-east-1.
    const err = await errorOf(t.call("SendMessage", { QueueUrl: url, MessageBody: "x" }, t.ctx({ region: "eu-west-1" })));
    expect(err).toMatchObject({ code: "QueueDoesNotExist", queryCode: "AWS.SimpleQueueService.NonExistentQueue" });
    expect((await errorOf(t.call("SendMessage", { QueueUrl: "http://h/12345/orders", MessageBody: "x" }))).code).toBe("InvalidAddress");
  });

  it("checks QueueOwnerAWSAccountId against AWS's account id grammar", async () => {
    const t = setup();
    await t.queue("orders");
    const err = await errorOf(t.call("GetQueueUrl", { QueueName: "orders", QueueOwnerAWSAccountId: "../000000000000" }));
    expect(err.code).toBe("InvalidParameterValue");
  });

  it("finds a queue by ARN only in the request's region and with a well-formed ARN", async () => {
    const t = setup();
    const dlq = await t.queue("dlq");
    const arn = (await t.attr(dlq, "QueueArn"))!;
    await t.queue("src", { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: 1 }) });
    for (const bad of [arn.replace("us-east-1", "eu-west-1"), arn.replace("us-east-1", ".."), `${arn}:extra`]) {
      expect((await errorOf(t.call("ListMessageMoveTasks", { SourceArn: bad }))).code).toBe("ResourceNotFoundException");
    }
    expect((await t.call("ListMessageMoveTasks", { SourceArn: arn })).Results).toEqual([]);
  });
});
