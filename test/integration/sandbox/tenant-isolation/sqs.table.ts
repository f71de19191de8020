// SQS: queues are named by URL (the account in the path decides, the host does not), by name
// with an owner account (GetQueueUrl), and by ARN (message move tasks). Another account reaches
// a queue only as its policy allows, and never for the owner-only operations; the victim's
// queues here have no policy, so every attempt is AccessDenied — or QueueDoesNotExist where
// the reference names no queue (a bare name is the caller's own; a request signed for another
// region looks there).
import * as sqs from "@aws-sdk/client-sqs";
import type { Attempt, Env, IsolationTable } from "./support";
import { OTHER_REGION } from "./support";

interface Victim {
  url: string;
  arn: string;
  name: string;
  dlqArn: string;
  taskHandle: string;
}

const DENIED = "AccessDenied";
const MISSING = "QueueDoesNotExist";

/** The ways an attacker names the victim's queue by URL, and what AWS answers to each. */
function byUrl(v: Victim, env: Env, extra: Record<string, unknown> = {}): Attempt[] {
  const foreignHost = `https://sqs.${OTHER_REGION}.amazonaws.com/${env.victim.accountId}/${v.name}`;
  return [
    { label: "by URL", input: { QueueUrl: v.url, ...extra }, expect: DENIED },
    { label: "by a URL whose host names another region", input: { QueueUrl: foreignHost, ...extra }, expect: DENIED },
    { label: "by URL, signed for another region", region: OTHER_REGION, input: { QueueUrl: v.url, ...extra }, expect: MISSING },
    { label: "by bare name (the caller's own account)", input: { QueueUrl: v.name, ...extra }, expect: MISSING },
  ];
}

/** Message move tasks name queues by ARN; only the owner may run or list them. */
function byArn(v: Victim, member: string): Attempt[] {
  return [
    { label: "by ARN", input: { [member]: v.dlqArn }, expect: DENIED },
    { label: "by ARN, signed for another region", region: OTHER_REGION, input: { [member]: v.dlqArn }, expect: "ResourceNotFoundException" },
  ];
}

const HANDLE = Buffer.from("forged-receipt-handle").toString("base64");

export const sqsTable: IsolationTable<Victim> = {
  service: "sqs",
  newClient: (config) => new sqs.SQSClient(config),
  commands: sqs,
  signatureError: ["SignatureDoesNotMatch", "InvalidSignatureException"],

  async setup(env) {
    const c = env.client(env.victim);
    const dlqUrl = (await env.send(c, "CreateQueue", { QueueName: "victim-dlq" })).QueueUrl as string;
    const attrs = await env.send(c, "GetQueueAttributes", { QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] });
    const dlqArn = (attrs.Attributes as Record<string, string>).QueueArn as string;
    const redrive = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 });
    const url = (await env.send(c, "CreateQueue", { QueueName: "victim-orders", Attributes: { RedrivePolicy: redrive }, tags: { team: "victim" } })).QueueUrl as string;
    await env.send(c, "SendMessage", { QueueUrl: url, MessageBody: "the victim's order" });
    const arn = ((await env.send(c, "GetQueueAttributes", { QueueUrl: url, AttributeNames: ["QueueArn"] })).Attributes as Record<string, string>).QueueArn as string;
    const taskHandle = (await env.send(c, "StartMessageMoveTask", { SourceArn: dlqArn })).TaskHandle as string;
    return { url, arn, name: "victim-orders", dlqArn, taskHandle };
  },

  async snapshot(env, v) {
    const c = env.client(env.victim);
    const attributes = await env.send(c, "GetQueueAttributes", { QueueUrl: v.url, AttributeNames: ["All"] });
    const tags = await env.send(c, "ListQueueTags", { QueueUrl: v.url });
    const queues = await env.send(c, "ListQueues", {});
    const tasks = await env.send(c, "ListMessageMoveTasks", { SourceArn: v.dlqArn, MaxResults: 10 });
    return { attributes: attributes.Attributes, tags: tags.Tags, queues: queues.QueueUrls, tasks: tasks.Results };
  },

  rows: {
    DeleteQueue: (v, env) => byUrl(v, env),
    GetQueueUrl: (v, env) => [
      { label: "by name and owner account", input: { QueueName: v.name, QueueOwnerAWSAccountId: env.victim.accountId }, expect: DENIED },
      { label: "by name (the caller's own account)", input: { QueueName: v.name }, expect: MISSING },
      { label: "by name and owner, signed for another region", region: OTHER_REGION, input: { QueueName: v.name, QueueOwnerAWSAccountId: env.victim.accountId }, expect: MISSING },
    ],
    GetQueueAttributes: (v, env) => byUrl(v, env, { AttributeNames: ["All"] }),
    SetQueueAttributes: (v, env) => byUrl(v, env, { Attributes: { VisibilityTimeout: "0" } }),
    PurgeQueue: (v, env) => byUrl(v, env),
    ListDeadLetterSourceQueues: (v, env) => byUrl(v, env),
    TagQueue: (v, env) => byUrl(v, env, { Tags: { owner: "attacker" } }),
    UntagQueue: (v, env) => byUrl(v, env, { TagKeys: ["team"] }),
    ListQueueTags: (v, env) => byUrl(v, env),
    AddPermission: (v, env) => byUrl(v, env, { Label: "steal", AWSAccountIds: [env.attacker.accountId], Actions: ["ReceiveMessage"] }),
    RemovePermission: (v, env) => byUrl(v, env, { Label: "any" }),
    SendMessage: (v, env) => byUrl(v, env, { MessageBody: "from the attacker" }),
    SendMessageBatch: (v, env) => byUrl(v, env, { Entries: [{ Id: "a", MessageBody: "from the attacker" }] }),
    ReceiveMessage: (v, env) => byUrl(v, env, { MaxNumberOfMessages: 10 }),
    DeleteMessage: (v, env) => byUrl(v, env, { ReceiptHandle: HANDLE }),
    DeleteMessageBatch: (v, env) => byUrl(v, env, { Entries: [{ Id: "a", ReceiptHandle: HANDLE }] }),
    ChangeMessageVisibility: (v, env) => byUrl(v, env, { ReceiptHandle: HANDLE, VisibilityTimeout: 600 }),
    ChangeMessageVisibilityBatch: (v, env) => byUrl(v, env, { Entries: [{ Id: "a", ReceiptHandle: HANDLE, VisibilityTimeout: 600 }] }),
    StartMessageMoveTask: (v) => byArn(v, "SourceArn"),
    ListMessageMoveTasks: (v) => byArn(v, "SourceArn"),
    CancelMessageMoveTask: (v) => [{ label: "by the victim's task handle", input: { TaskHandle: v.taskHandle }, expect: "ResourceNotFoundException" }],
  },

  exempt: {
    CreateQueue: "creates a queue in the caller's own account; it takes a name, and a dead-letter ARN that must be of the same account (checked by the attribute rules)",
    ListQueues: "lists the caller's own queues; it takes only a name prefix",
  },
};
