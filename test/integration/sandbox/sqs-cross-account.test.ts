// SQS across accounts, as on AWS: another account reaches a queue exactly as the queue policy
// allows (SendMessage here, not ReceiveMessage), finds it by name with QueueOwnerAWSAccountId,
// and never performs the owner-only operations, even under a policy that allows sqs:*.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AddPermissionCommand,
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  TagQueueCommand,
} from "@aws-sdk/client-sqs";
import type { AccountKeys, TestSandbox } from "@/test/support/sandbox";
import { startTestSandbox } from "@/test/support/sandbox";
import { errorOf } from "@/test/support/aws-errors";

let sb: TestSandbox;
let owner: AccountKeys;
let sender: AccountKeys;
let ownerSqs: SQSClient;
let senderSqs: SQSClient;
let url: string;
let arn: string;


beforeAll(async () => {
  sb = await startTestSandbox();
  [owner, sender] = await Promise.all([sb.createAccount(), sb.createAccount()]);
  ownerSqs = new SQSClient(sb.clientConfig(owner));
  senderSqs = new SQSClient(sb.clientConfig(sender));
  url = (await ownerSqs.send(new CreateQueueCommand({ QueueName: "shared-inbox" }))).QueueUrl!;
  arn = (await ownerSqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
});
afterAll(async () => {
  ownerSqs?.destroy();
  senderSqs?.destroy();
  await sb?.close();
});

describe("SQS across accounts (SDK v3)", () => {
  it("lets another account send once the queue policy allows it, and only send", async () => {
    expect(await errorOf(senderSqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "early" })))).toMatchObject({ name: "AccessDenied", status: 403 });
    const policy = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${sender.accountId}:root` }, Action: ["sqs:SendMessage", "sqs:GetQueueUrl"], Resource: arn }],
    };
    await ownerSqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: JSON.stringify(policy) } }));

    const found = await senderSqs.send(new GetQueueUrlCommand({ QueueName: "shared-inbox", QueueOwnerAWSAccountId: owner.accountId }));
    expect(found.QueueUrl).toBe(url);
    await senderSqs.send(new SendMessageCommand({ QueueUrl: found.QueueUrl, MessageBody: "from the sender" }));
    expect(await errorOf(senderSqs.send(new ReceiveMessageCommand({ QueueUrl: url })))).toMatchObject({ name: "AccessDenied", status: 403 });

    const got = await ownerSqs.send(new ReceiveMessageCommand({ QueueUrl: url, MessageSystemAttributeNames: ["SenderId"] }));
    expect(got.Messages?.map((m) => [m.Body, m.Attributes?.SenderId])).toEqual([["from the sender", sender.accountId]]);
  });

  it("grants through AddPermission the same way", async () => {
    await ownerSqs.send(new AddPermissionCommand({ QueueUrl: url, Label: "receive", AWSAccountIds: [sender.accountId], Actions: ["ReceiveMessage"] }));
    await ownerSqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "for the sender" }));
    const got = await senderSqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(got.Messages?.[0]?.Body).toBe("for the sender");
  });

  it("keeps the owner-only operations to the owner under a policy that allows sqs:*", async () => {
    const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: sender.accountId }, Action: "sqs:*", Resource: arn }] };
    await ownerSqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: JSON.stringify(policy) } }));
    expect(await errorOf(senderSqs.send(new DeleteQueueCommand({ QueueUrl: url })))).toMatchObject({ name: "AccessDenied", status: 403 });
    expect(await errorOf(senderSqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { a: "b" } })))).toMatchObject({ name: "AccessDenied", status: 403 });
    expect(await errorOf(senderSqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: "" } })))).toMatchObject({ name: "AccessDenied" });
    await senderSqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "still allowed" }));
  });
});
