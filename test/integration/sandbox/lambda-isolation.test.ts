// Tenant isolation in Lambda, over the wire with the real SDK and two issued accounts: an attacker
// calls every operation of the service's own table on a victim's function (by name, partial ARN,
// full ARN and qualified ARN) and gets AWS's error, and the victim's function, policy, mapping and
// code on disk are unchanged. What AWS does allow across accounts (the operations its docs list,
// when the function's resource policy grants them) still works.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SignatureV4 } from "@smithy/signature-v4";
import {
  AddPermissionCommand, CreateEventSourceMappingCommand, CreateFunctionCommand, DeleteEventSourceMappingCommand, DeleteFunctionCommand,
  GetEventSourceMappingCommand, GetFunctionCommand, GetFunctionConfigurationCommand, GetPolicyCommand, InvokeCommand, LambdaClient,
  ListEventSourceMappingsCommand, ListFunctionsCommand, RemovePermissionCommand, UpdateEventSourceMappingCommand, UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { AttachRolePolicyCommand, CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { memoryEnvironment } from "@/sandbox/core/memory-environment";
import { createLambdaService } from "@/sandbox/services/lambda";
import { startTestSandbox } from "@/test/support/sandbox";
import type { AccountKeys, TestSandbox } from "@/test/support/sandbox";
import { zipOf } from "@/test/unit/sandbox/lambda/helpers";
import { Sha256 } from "@/test/support/hand-signer";

vi.setConfig({ testTimeout: 60_000 });

const REGION = "us-east-1";
const bytes = (b64: string) => Buffer.from(b64, "base64");
const VICTIM_CODE = "export const handler = async () => 'victim-original';";
const ATTACKER_ZIP = bytes(zipOf({ "index.mjs": "export const handler = async () => 'pwned';" }));

let sandbox: TestSandbox;
let victim: AccountKeys;
let attacker: AccountKeys;
let victimLambda: LambdaClient;
let attackerLambda: LambdaClient;
let victimSqs: SQSClient;
let victimMapping: string;
let attackerQueueArn: string;

const roleOf = (a: AccountKeys, name = "worker") => `arn:aws:iam::${a.accountId}:role/${name}`;
const fnArn = (a: AccountKeys, name: string) => `arn:aws:lambda:${REGION}:${a.accountId}:function:${name}`;

async function failure(p: Promise<unknown>): Promise<{ name: string; status: number | undefined; message: string }> {
  const err = await p.then(() => undefined, (e: unknown) => e as Error & { $metadata?: { httpStatusCode?: number } });
  if (!err) throw new Error("the call succeeded");
  return { name: err.name, status: err.$metadata?.httpStatusCode, message: err.message };
}

const text = (p: Uint8Array | undefined) => Buffer.from(p ?? []).toString("utf8");

const LAMBDA_TRUST = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] });
const SQS_EXECUTION_POLICY = "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole";

/** An execution role of the account that Lambda may assume, with the policies given (ARNs). */
async function createRole(owner: AccountKeys, name: string, policies: string[]) {
  const iam = new IAMClient(sandbox.clientConfig(owner));
  try {
    await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: LAMBDA_TRUST }));
    for (const PolicyArn of policies) await iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn }));
  } finally {
    iam.destroy();
  }
}

async function createFunction(client: LambdaClient, owner: AccountKeys, name: string, code: string, extra: Record<string, unknown> = {}) {
  return client.send(new CreateFunctionCommand({
    FunctionName: name, Runtime: "nodejs20.x", Role: roleOf(owner), Handler: "index.handler",
    Code: { ZipFile: bytes(zipOf({ "index.mjs": code })) }, ...extra,
  }));
}

async function createQueue(client: SQSClient, name: string, attributes: Record<string, string> = {}) {
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const arn = (await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes?.QueueArn ?? "";
  return { url: QueueUrl ?? "", arn };
}

async function messagesIn(client: SQSClient, url: string): Promise<number> {
  const a = (await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }))).Attributes;
  return Number(a?.ApproximateNumberOfMessages ?? 0) + Number(a?.ApproximateNumberOfMessagesNotVisible ?? 0);
}

/** Everything the victim can observe about its function, to compare before and after an attack. */
async function victimState() {
  const got = await victimLambda.send(new GetFunctionCommand({ FunctionName: "victim-fn" }));
  const policy = await victimLambda.send(new GetPolicyCommand({ FunctionName: "victim-fn" }));
  const mappings = await victimLambda.send(new ListEventSourceMappingsCommand({ FunctionName: "victim-fn" }));
  const invoked = await victimLambda.send(new InvokeCommand({ FunctionName: "victim-fn" }));
  const c = got.Configuration;
  return {
    config: { sha: c?.CodeSha256, revision: c?.RevisionId, role: c?.Role, env: c?.Environment?.Variables, timeout: c?.Timeout },
    policy: policy.Policy,
    mappings: mappings.EventSourceMappings?.map((m) => [m.UUID, m.State, m.BatchSize]),
    invoked: text(invoked.Payload),
    onDisk: fs.readFileSync(path.join(sandbox.dataDir, "lambda", victim.accountId, REGION, "victim-fn", "index.mjs"), "utf8"),
  };
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  [victim, attacker] = await Promise.all([sandbox.createAccount(), sandbox.createAccount()]);
  victimLambda = new LambdaClient(sandbox.clientConfig(victim));
  attackerLambda = new LambdaClient(sandbox.clientConfig(attacker));
  victimSqs = new SQSClient(sandbox.clientConfig(victim));
  // Event source mappings poll as the function's role: each account's may read queues.
  await Promise.all([createRole(victim, "worker", [SQS_EXECUTION_POLICY]), createRole(attacker, "worker", [SQS_EXECUTION_POLICY])]);
  await createFunction(victimLambda, victim, "victim-fn", VICTIM_CODE, { Environment: { Variables: { SECRET: "victim-secret" } } });
  await victimLambda.send(new AddPermissionCommand({
    FunctionName: "victim-fn", StatementId: "keep", Action: "lambda:InvokeFunction", Principal: "sns.amazonaws.com",
    SourceArn: `arn:aws:sns:${REGION}:${victim.accountId}:orders`,
  }));
  const jobs = await createQueue(victimSqs, "victim-jobs");
  victimMapping = (await victimLambda.send(new CreateEventSourceMappingCommand({ FunctionName: "victim-fn", EventSourceArn: jobs.arn, BatchSize: 3 }))).UUID ?? "";
  await createFunction(attackerLambda, attacker, "attacker-fn", "export const handler = async () => 'attacker';");
  const attackerSqs = new SQSClient(sandbox.clientConfig(attacker));
  attackerQueueArn = (await createQueue(attackerSqs, "attacker-jobs")).arn;
  attackerSqs.destroy();
});

afterAll(async () => {
  victimLambda?.destroy();
  attackerLambda?.destroy();
  victimSqs?.destroy();
  await sandbox?.close();
});

type Row = (client: LambdaClient, ref: string) => Promise<unknown>;

/** Every operation that names a function, called by the attacker on `ref`. */
const FUNCTION_ROWS: Record<string, Row> = {
  CreateFunction: (c, ref) => c.send(new CreateFunctionCommand({ FunctionName: ref, Runtime: "nodejs20.x", Role: roleOf(attacker), Handler: "index.handler", Code: { ZipFile: ATTACKER_ZIP } })),
  GetFunction: (c, ref) => c.send(new GetFunctionCommand({ FunctionName: ref })),
  GetFunctionConfiguration: (c, ref) => c.send(new GetFunctionConfigurationCommand({ FunctionName: ref })),
  UpdateFunctionCode: (c, ref) => c.send(new UpdateFunctionCodeCommand({ FunctionName: ref, ZipFile: ATTACKER_ZIP })),
  UpdateFunctionConfiguration: (c, ref) => c.send(new UpdateFunctionConfigurationCommand({ FunctionName: ref, Environment: { Variables: { SECRET: "attacker" } }, Timeout: 60 })),
  DeleteFunction: (c, ref) => c.send(new DeleteFunctionCommand({ FunctionName: ref })),
  AddPermission: (c, ref) => c.send(new AddPermissionCommand({ FunctionName: ref, StatementId: "attacker", Action: "lambda:*", Principal: attacker.accountId })),
  RemovePermission: (c, ref) => c.send(new RemovePermissionCommand({ FunctionName: ref, StatementId: "keep" })),
  GetPolicy: (c, ref) => c.send(new GetPolicyCommand({ FunctionName: ref })),
  Invoke: (c, ref) => c.send(new InvokeCommand({ FunctionName: ref, Payload: Buffer.from("{}") })),
  CreateEventSourceMapping: (c, ref) => c.send(new CreateEventSourceMappingCommand({ FunctionName: ref, EventSourceArn: attackerQueueArn })),
  ListEventSourceMappings: (c, ref) => c.send(new ListEventSourceMappingsCommand({ FunctionName: ref })),
};

/** Operations that name an event source mapping by UUID, called by the attacker on the victim's. */
const MAPPING_ROWS: Record<string, (client: LambdaClient, uuid: string) => Promise<unknown>> = {
  GetEventSourceMapping: (c, uuid) => c.send(new GetEventSourceMappingCommand({ UUID: uuid })),
  UpdateEventSourceMapping: (c, uuid) => c.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false, BatchSize: 1 })),
  DeleteEventSourceMapping: (c, uuid) => c.send(new DeleteEventSourceMappingCommand({ UUID: uuid })),
};

/** Operations that take no resource reference at all: they act on the caller's own account. */
const ACCOUNT_ROWS = ["ListFunctions"];

describe("Lambda tenant isolation", () => {
  it("has a row for every operation in the service's table", () => {
    const service = createLambdaService(memoryEnvironment({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "lambda-ops-")) }));
    try {
      const operations = Object.keys(service.definition.operations).sort();
      expect([...Object.keys(FUNCTION_ROWS), ...Object.keys(MAPPING_ROWS), ...ACCOUNT_ROWS].sort()).toEqual(operations);
    } finally {
      service.close?.();
    }
  });

  it("refuses every operation on another account's function, by partial, full and qualified ARN, and leaves it unchanged", async () => {
    const before = await victimState();
    expect(before.invoked).toBe('"victim-original"');
    const refs = [
      fnArn(victim, "victim-fn"),
      `${fnArn(victim, "victim-fn")}:$LATEST`,
      `${victim.accountId}:function:victim-fn`,
      `${victim.accountId}:victim-fn`,
    ];
    for (const [operation, row] of Object.entries(FUNCTION_ROWS)) {
      for (const ref of refs) {
        const err = await failure(row(attackerLambda, ref));
        expect({ operation, ref, name: err.name, status: err.status }).toEqual({ operation, ref, name: "AccessDeniedException", status: 403 });
        expect(err.message).toContain(`User: arn:aws:iam::${attacker.accountId}:root is not authorized to perform: lambda:`);
      }
    }
    expect(await victimState()).toEqual(before);
  });

  it("resolves a bare name in the caller's own account, never the victim's", async () => {
    const before = await victimState();
    for (const [operation, row] of Object.entries(FUNCTION_ROWS)) {
      if (operation === "CreateFunction") continue; // a bare name creates the caller's own function
      const err = await failure(row(attackerLambda, "victim-fn"));
      expect({ operation, name: err.name, status: err.status }).toEqual({ operation, name: "ResourceNotFoundException", status: 404 });
    }
    for (const [operation, row] of Object.entries(MAPPING_ROWS)) {
      const err = await failure(row(attackerLambda, victimMapping));
      expect({ operation, name: err.name, status: err.status }).toEqual({ operation, name: "ResourceNotFoundException", status: 404 });
    }
    const listed = await attackerLambda.send(new ListFunctionsCommand({}));
    expect(listed.Functions?.map((f) => f.FunctionName)).toEqual(["attacker-fn"]);
    expect(await victimState()).toEqual(before);
  });

  it("answers the same for a function that does not exist in the other account (no existence oracle)", async () => {
    for (const ref of [fnArn(victim, "no-such-fn"), fnArn(victim, "victim-fn")]) {
      const err = await failure(attackerLambda.send(new GetFunctionConfigurationCommand({ FunctionName: ref })));
      expect([err.name, err.status]).toEqual(["AccessDeniedException", 403]);
      expect(err.message).toBe(
        `User: arn:aws:iam::${attacker.accountId}:root is not authorized to perform: lambda:GetFunctionConfiguration on resource: ${ref} because no resource-based policy allows the lambda:GetFunctionConfiguration action`,
      );
    }
  });

  it("refuses a function ARN from another region than the request's, as AWS does", async () => {
    const west = new LambdaClient(sandbox.clientConfig(victim, "us-west-2"));
    try {
      const err = await failure(west.send(new GetFunctionCommand({ FunctionName: fnArn(victim, "victim-fn") })));
      expect([err.name, err.status, err.message]).toEqual(["ResourceNotFoundException", 404, "Functions from 'us-east-1' are not reachable in this region ('us-west-2')"]);
      const invoke = await failure(west.send(new InvokeCommand({ FunctionName: fnArn(victim, "victim-fn") })));
      expect(invoke.name).toBe("ResourceNotFoundException");
    } finally {
      west.destroy();
    }
  });

  it("never lets the signature's region reach the disk: region '..' and a function named after the victim's account", async () => {
    const before = await victimState();
    const body = JSON.stringify({
      FunctionName: victim.accountId, Runtime: "nodejs20.x", Role: roleOf(attacker), Handler: "index.handler",
      Code: { ZipFile: ATTACKER_ZIP.toString("base64") },
    });
    for (const region of ["..", ".", "../..", "us-east-1/../.."]) {
      const res = await signedFetch(attacker, region, "POST", "/2015-03-31/functions", body);
      expect({ region, status: res.status }).toMatchObject({ region });
      expect(res.status).toBeGreaterThanOrEqual(400);
      const update = await signedFetch(attacker, region, "PUT", `/2015-03-31/functions/${victim.accountId}/code`, JSON.stringify({ ZipFile: ATTACKER_ZIP.toString("base64") }));
      expect(update.status).toBeGreaterThanOrEqual(400);
      const del = await signedFetch(attacker, region, "DELETE", `/2015-03-31/functions/${victim.accountId}`, "");
      expect(del.status).toBeGreaterThanOrEqual(400);
    }
    expect(await victimState()).toEqual(before);
    // Nothing was written under the attacker's account outside a real region folder either.
    const attackerDir = path.join(sandbox.dataDir, "lambda", attacker.accountId);
    expect(fs.readdirSync(attackerDir)).toEqual([REGION]);
  });

  it("refuses a role from another account (iam:PassRole) in CreateFunction and UpdateFunctionConfiguration", async () => {
    const created = await failure(createFunction(attackerLambda, attacker, "borrowed-role", "export const handler = async () => 1;", { Role: roleOf(victim) }));
    expect([created.name, created.status, created.message]).toEqual(["AccessDeniedException", 403, "Cross-account pass role is not allowed."]);
    const updated = await failure(attackerLambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "attacker-fn", Role: roleOf(victim, "lab") })));
    expect([updated.name, updated.status, updated.message]).toEqual(["AccessDeniedException", 403, "Cross-account pass role is not allowed."]);
    const own = await attackerLambda.send(new GetFunctionConfigurationCommand({ FunctionName: "attacker-fn" }));
    expect(own.Role).toBe(roleOf(attacker));
  });

  it("allows what the victim's resource policy grants, for the operations AWS lets a policy grant across accounts", async () => {
    await createFunction(victimLambda, victim, "shared-fn", "export const handler = async (e) => ({ shared: true, e });", { Environment: { Variables: { STAGE: "shared" } } });
    const arn = fnArn(victim, "shared-fn");
    // Invoke only: reading the configuration is still refused.
    await victimLambda.send(new AddPermissionCommand({ FunctionName: "shared-fn", StatementId: "invoke", Action: "lambda:InvokeFunction", Principal: attacker.accountId }));
    const out = await attackerLambda.send(new InvokeCommand({ FunctionName: arn, Payload: Buffer.from('{"n":1}') }));
    expect(JSON.parse(text(out.Payload))).toEqual({ shared: true, e: { n: 1 } });
    expect((await failure(attackerLambda.send(new GetFunctionConfigurationCommand({ FunctionName: arn })))).name).toBe("AccessDeniedException");

    // lambda:* grants what AWS supports across accounts, and nothing else.
    await victimLambda.send(new AddPermissionCommand({ FunctionName: "shared-fn", StatementId: "all", Action: "lambda:*", Principal: `arn:aws:iam::${attacker.accountId}:root` }));
    expect((await attackerLambda.send(new GetFunctionConfigurationCommand({ FunctionName: arn }))).Environment?.Variables).toEqual({ STAGE: "shared" });
    expect((await attackerLambda.send(new GetFunctionCommand({ FunctionName: arn }))).Configuration?.FunctionArn).toBe(arn);
    expect(JSON.parse((await attackerLambda.send(new GetPolicyCommand({ FunctionName: arn }))).Policy ?? "{}").Statement).toHaveLength(2);
    for (const [operation, call] of [
      ["UpdateFunctionConfiguration", () => attackerLambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: arn, Timeout: 9 }))],
      ["AddPermission", () => attackerLambda.send(new AddPermissionCommand({ FunctionName: arn, StatementId: "more", Action: "lambda:InvokeFunction", Principal: "*" }))],
      ["RemovePermission", () => attackerLambda.send(new RemovePermissionCommand({ FunctionName: arn, StatementId: "all" }))],
      ["CreateEventSourceMapping", () => attackerLambda.send(new CreateEventSourceMappingCommand({ FunctionName: arn, EventSourceArn: attackerQueueArn }))],
    ] as const) {
      const err = await failure(call());
      expect({ operation, name: err.name, status: err.status }).toEqual({ operation, name: "AccessDeniedException", status: 403 });
    }
    expect((await victimLambda.send(new GetFunctionConfigurationCommand({ FunctionName: "shared-fn" }))).Timeout).toBe(3);
    // UpdateFunctionCode is one AWS lets a policy grant: the owner granted it, so it happens.
    await attackerLambda.send(new UpdateFunctionCodeCommand({ FunctionName: arn, ZipFile: ATTACKER_ZIP }));
    expect(text((await victimLambda.send(new InvokeCommand({ FunctionName: "shared-fn" }))).Payload)).toBe('"pwned"');
    await attackerLambda.send(new DeleteFunctionCommand({ FunctionName: arn }));
    expect((await failure(victimLambda.send(new GetFunctionCommand({ FunctionName: "shared-fn" })))).name).toBe("ResourceNotFoundException");
  });

  it("polls an event source as the function's execution role: no mapping to a queue whose policy does not allow it", async () => {
    const privateQueue = await createQueue(victimSqs, "victim-private");
    await victimSqs.send(new SendMessageCommand({ QueueUrl: privateQueue.url, MessageBody: "private" }));
    const err = await failure(attackerLambda.send(new CreateEventSourceMappingCommand({ FunctionName: "attacker-fn", EventSourceArn: privateQueue.arn })));
    expect([err.name, err.status, err.message]).toEqual([
      "InvalidParameterValueException", 400, "The function execution role does not have permissions to call GetQueueAttributes on SQS",
    ]);
    const listed = await attackerLambda.send(new ListEventSourceMappingsCommand({}));
    expect(listed.EventSourceMappings?.map((m) => m.EventSourceArn)).not.toContain(privateQueue.arn);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await messagesIn(victimSqs, privateQueue.url)).toBe(1);

    // A queue whose policy admits the attacker's function role is AWS's cross-account case.
    const shared = await createQueue(victimSqs, "victim-shared");
    await victimSqs.send(new SendMessageCommand({ QueueUrl: shared.url, MessageBody: "for the partner" }));
    const policy = {
      Version: "2012-10-17",
      Statement: [{
        Effect: "Allow", Principal: { AWS: roleOf(attacker) }, Resource: shared.arn,
        Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"],
      }],
    };
    const { SetQueueAttributesCommand } = await import("@aws-sdk/client-sqs");
    await victimSqs.send(new SetQueueAttributesCommand({ QueueUrl: shared.url, Attributes: { Policy: JSON.stringify(policy) } }));
    const mapping = await attackerLambda.send(new CreateEventSourceMappingCommand({ FunctionName: "attacker-fn", EventSourceArn: shared.arn }));
    let left = 1;
    for (let i = 0; i < 60 && left > 0; i++) {
      await new Promise((r) => setTimeout(r, 250));
      left = await messagesIn(victimSqs, shared.url);
    }
    expect(left).toBe(0);
    await attackerLambda.send(new DeleteEventSourceMappingCommand({ UUID: mapping.UUID }));
    expect(await messagesIn(victimSqs, privateQueue.url)).toBe(1);
  });

  it("holds the poller to the execution role's own policies: no SQS permission, no mapping", async () => {
    await createRole(attacker, "no-sqs", []);
    await createFunction(attackerLambda, attacker, "no-sqs-fn", "export const handler = async () => 1;", { Role: roleOf(attacker, "no-sqs") });
    const err = await failure(attackerLambda.send(new CreateEventSourceMappingCommand({ FunctionName: "no-sqs-fn", EventSourceArn: attackerQueueArn })));
    expect([err.name, err.status, err.message]).toEqual([
      "InvalidParameterValueException", 400, "The function execution role does not have permissions to call GetQueueAttributes on SQS",
    ]);
    const listed = await attackerLambda.send(new ListEventSourceMappingsCommand({ FunctionName: "no-sqs-fn" }));
    expect(listed.EventSourceMappings).toEqual([]);
  });
});

// ---- a request signed by hand, for regions the SDK itself refuses to sign ------------------------


async function signedFetch(keys: AccountKeys, region: string, method: string, pathname: string, body: string): Promise<Response> {
  const url = new URL(sandbox.endpoint);
  const signer = new SignatureV4({ credentials: keys, region, service: "lambda", sha256: Sha256 });
  const signed = await signer.sign({
    method, protocol: "http:", hostname: url.hostname, port: Number(url.port), path: pathname,
    headers: { host: url.host, "content-type": "application/json" }, body,
  });
  const headers = Object.fromEntries(Object.entries(signed.headers).filter(([k]) => k.toLowerCase() !== "host"));
  const res = await fetch(new URL(pathname, sandbox.endpoint), { method, headers, ...(body ? { body } : {}) });
  await res.arrayBuffer();
  return res;
}
