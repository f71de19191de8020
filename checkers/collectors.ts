// Fetchers the step checkers share. Each returns `undefined` for a resource that does not
// exist (so a check can say "create it") and lets every other failure through to run-check,
// which reports it as an error naming the action.
import { ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { ListTopicsCommand } from "@aws-sdk/client-sns";
import { GetQueueAttributesCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import type { Connection } from "./context";
import { classifyError } from "./errors";

export function isNotFound(err: unknown): boolean {
  return classifyError(err).kind === "not-found";
}

/** The call's result, or undefined when the target says the resource does not exist. */
export async function unlessNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export interface QueueInfo {
  name: string;
  url: string;
  arn: string;
  attributes: Record<string, string>;
}

export async function queueUrl(c: Connection, name: string, ownerAccount?: string): Promise<string | undefined> {
  const out = await unlessNotFound(
    c.clients.sqs.send(new GetQueueUrlCommand({ QueueName: name, ...(ownerAccount ? { QueueOwnerAWSAccountId: ownerAccount } : {}) })),
  );
  return out?.QueueUrl;
}

/** GetQueueUrl then GetQueueAttributes(All): two calls per queue, once per connection. */
export function queueInfo(c: Connection, name: string, ownerAccount?: string): Promise<QueueInfo | undefined> {
  return c.memo(`sqs-queue:${ownerAccount ?? ""}:${name}`, () => fetchQueueInfo(c, name, ownerAccount));
}

async function fetchQueueInfo(c: Connection, name: string, ownerAccount?: string): Promise<QueueInfo | undefined> {
  const url = await queueUrl(c, name, ownerAccount);
  if (url === undefined) return undefined;
  const out = await unlessNotFound(c.clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] })));
  if (out === undefined) return undefined;
  const attributes = out.Attributes ?? {};
  return { name, url, arn: attributes.QueueArn ?? "", attributes };
}

/** The parts of an ARN: arn:partition:service:region:account:resource. */
export function parseArn(arn: string): { partition: string; service: string; region: string; account: string; resource: string } | undefined {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  return {
    partition: parts[1] ?? "",
    service: parts[2] ?? "",
    region: parts[3] ?? "",
    account: parts[4] ?? "",
    resource: parts.slice(5).join(":"),
  };
}

/** ARNs built from the caller's account, as the lab's own scripts do. */
export async function arnFor(c: Connection, service: string, resource: string): Promise<string> {
  const id = await c.identity();
  return `arn:${id.partition}:${service}:${c.region}:${id.account}:${resource}`;
}

/** The role-based part of a check id: "inventory", "shipping", else the queue's own name. */
export function roleKey(roles: readonly string[], index: number, name: string): string {
  return roles[index] ?? name;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A name the step's front matter must give; a missing one is a content bug, reported as an error. */
export function named<T>(value: T | undefined, field: string): T {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) {
    throw new Error(`the step's front matter gives no ${field.includes(".") ? field : `resources.${field}`}, so this check cannot run`);
  }
  return value;
}

/** Every topic ARN in the region (ListTopics, paged), once per connection. */
export function topicArns(c: Connection): Promise<string[]> {
  return c.memo("sns-topics", async () => {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const page = await c.clients.sns.send(new ListTopicsCommand(token ? { NextToken: token } : {}));
      for (const t of page.Topics ?? []) if (t.TopicArn) out.push(t.TopicArn);
      token = page.NextToken;
    } while (token);
    return out;
  });
}

/** The ARN of the topic of this name in the connection's region, if there is one. */
export async function findTopicArn(c: Connection, name: string): Promise<string | undefined> {
  return (await topicArns(c)).find((arn) => parseArn(arn)?.resource === name);
}

/** Every Lambda function in the region, name → ARN (ListFunctions, paged), once per connection. */
export function lambdaFunctions(c: Connection): Promise<Map<string, string>> {
  return c.memo("lambda-functions", async () => {
    const out = new Map<string, string>();
    let marker: string | undefined;
    do {
      const page = await c.clients.lambda.send(new ListFunctionsCommand(marker ? { Marker: marker } : {}));
      for (const f of page.Functions ?? []) if (f.FunctionName && f.FunctionArn) out.set(f.FunctionName, f.FunctionArn);
      marker = page.NextMarker;
    } while (marker);
    return out;
  });
}
