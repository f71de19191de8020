// Lambda's tenant isolation at the handlers (no HTTP): how other services' principals reach a
// function (aws:SourceArn/aws:SourceAccount, roles acting through a service), the event source
// poller acting only as the function's own role, the handler never loading code outside its
// folder, and the folder names built only from validated parts.
import { existsSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Principal, RequestContext, ServiceModule } from "@/sandbox/core/contracts";
import { AwsError } from "@/sandbox/core/contracts";
import { rootContext } from "@/sandbox/core/memory-environment";
import { createLambdaService } from "@/sandbox/services/lambda";
import { parseFunctionRef } from "@/sandbox/services/lambda/access";
import { FUNCTIONS_TABLE, functionArn, MAPPINGS_TABLE, type FunctionRecord, type MappingRecord } from "@/sandbox/services/lambda/models";
import { accountDir, codeDir } from "@/sandbox/services/lambda/paths";
import { createSqsService } from "@/sandbox/services/sqs";
import { lambdaWithSqs, removeTempDirs, tempEnvironment, zipOf } from "./helpers";

vi.setConfig({ testTimeout: 30_000 });

const VICTIM = "111111111111";
const ATTACKER = "222222222222";
const REGION = "us-east-1";

const services: ServiceModule[] = [];
afterEach(() => {
  for (const s of services.splice(0)) s.close?.();
  removeTempDirs();
});

function setup() {
  const { env, lambda, sqs } = lambdaWithSqs();
  services.push(lambda, sqs);
  const call = (op: string, input: Record<string, unknown>, ctx: RequestContext) => env.call("lambda", op, input, ctx);
  return { env, call };
}

async function rejection(p: Promise<unknown>): Promise<AwsError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AwsError);
  return err as AwsError;
}

const as = (principal: Principal, accountId = principal.accountId): RequestContext => ({ ...rootContext(accountId, REGION), principal });
const service = (name: string, accountId: string, sourceArn?: string): Principal =>
  ({ kind: "service", service: name, accountId, arn: name, ...(sourceArn !== undefined ? { sourceArn } : {}) });
/** A service acting with a role (a Step Functions task): that role's session, claiming `accountId`. */
const viaRole = (accountId: string, roleArn: string): Principal => {
  const roleName = roleArn.slice(roleArn.lastIndexOf("/") + 1);
  return { kind: "assumed-role", accountId, roleArn, roleName, sessionName: "task", arn: `arn:aws:sts::${roleArn.split(":")[4]}:assumed-role/${roleName}/task` };
};

async function victimFunction(call: ReturnType<typeof setup>["call"], name: string, permission?: Record<string, unknown>) {
  const ctx = rootContext(VICTIM, REGION);
  await call("CreateFunction", {
    FunctionName: name, Runtime: "nodejs20.x", Role: `arn:aws:iam::${VICTIM}:role/worker`, Handler: "index.handler",
    Code: { ZipFile: zipOf({ "index.mjs": "export const handler = async () => 'victim';" }) },
  }, ctx);
  if (permission) await call("AddPermission", { FunctionName: name, StatementId: "s", Action: "lambda:InvokeFunction", ...permission }, ctx);
  return functionArn(VICTIM, REGION, name);
}

describe("invocations from other services", () => {
  it("evaluates the policy with aws:SourceArn/aws:SourceAccount, and a service reaches another account only for a resource of its own account", async () => {
    const { call } = setup();
    // An unconditioned statement: AWS lets any account's SNS topic in (its documented confused
    // deputy), but only a principal whose source ARN is of the account it acts for.
    const open = await victimFunction(call, "open", { Principal: "sns.amazonaws.com" });
    const attackerTopic = `arn:aws:sns:${REGION}:${ATTACKER}:t`;
    const victimTopic = `arn:aws:sns:${REGION}:${VICTIM}:t`;
    const noSource = await rejection(call("Invoke", { FunctionName: open }, as(service("sns.amazonaws.com", ATTACKER), VICTIM)));
    expect([noSource.code, noSource.status]).toEqual(["AccessDeniedException", 403]);
    expect(noSource.message).toBe(`User: sns.amazonaws.com is not authorized to perform: lambda:InvokeFunction on resource: ${open} because no resource-based policy allows the lambda:InvokeFunction action`);
    const forged = await rejection(call("Invoke", { FunctionName: open }, as(service("sns.amazonaws.com", ATTACKER, victimTopic), VICTIM)));
    expect(forged.code).toBe("AccessDeniedException");
    expect(String((await call("Invoke", { FunctionName: open }, as(service("sns.amazonaws.com", VICTIM, victimTopic)))).Payload)).toBe('"victim"');
    expect(String((await call("Invoke", { FunctionName: open }, as(service("sns.amazonaws.com", ATTACKER, attackerTopic), VICTIM))).Payload)).toBe('"victim"');

    // SourceAccount pins the account; SourceArn pins the resource.
    const mine = await victimFunction(call, "mine", { Principal: "sns.amazonaws.com", SourceAccount: VICTIM });
    expect((await rejection(call("Invoke", { FunctionName: mine }, as(service("sns.amazonaws.com", ATTACKER, attackerTopic), VICTIM)))).code).toBe("AccessDeniedException");
    expect(String((await call("Invoke", { FunctionName: mine }, as(service("sns.amazonaws.com", VICTIM, victimTopic)))).Payload)).toBe('"victim"');
    const rule = `arn:aws:events:${REGION}:${VICTIM}:rule/r`;
    const pinned = await victimFunction(call, "pinned", { Principal: "events.amazonaws.com", SourceArn: rule });
    expect((await rejection(call("Invoke", { FunctionName: pinned }, as(service("events.amazonaws.com", ATTACKER, `arn:aws:events:${REGION}:${ATTACKER}:rule/r`), VICTIM)))).code).toBe("AccessDeniedException");
    expect(String((await call("Invoke", { FunctionName: pinned }, as(service("events.amazonaws.com", VICTIM, rule)))).Payload)).toBe('"victim"');
  });

  it("treats a service acting with a role as that role, only in the role's own account", async () => {
    const { call } = setup();
    const victimRole = `arn:aws:iam::${VICTIM}:role/sfn`;
    const partnerRole = `arn:aws:iam::${ATTACKER}:role/sfn`;
    const fn = await victimFunction(call, "f", { Principal: victimRole });
    await call("AddPermission", { FunctionName: fn, StatementId: "partner", Action: "lambda:InvokeFunction", Principal: partnerRole }, rootContext(VICTIM, REGION));
    // A principal naming the victim's role while acting for the attacker's account is refused.
    const borrowed = await rejection(call("Invoke", { FunctionName: fn }, as(viaRole(ATTACKER, victimRole), ATTACKER)));
    expect(borrowed.code).toBe("AccessDeniedException");
    // The partner's own role, which the policy names, may invoke across accounts.
    expect(String((await call("Invoke", { FunctionName: fn }, as(viaRole(ATTACKER, partnerRole), ATTACKER))).Payload)).toBe('"victim"');
    // Another role of the partner's account may not.
    const other = await rejection(call("Invoke", { FunctionName: fn }, as(viaRole(ATTACKER, `arn:aws:iam::${ATTACKER}:role/other`), ATTACKER)));
    expect(other.code).toBe("AccessDeniedException");
    // And nothing but Invoke: the policy grants InvokeFunction only.
    expect((await rejection(call("GetFunction", { FunctionName: fn }, as(viaRole(ATTACKER, partnerRole), ATTACKER)))).code).toBe("AccessDeniedException");
  });
});

describe("event source mappings", () => {
  it("never polls a queue as a role of another account than the function's (a record from before roles were checked)", async () => {
    const env = tempEnvironment();
    const victimRole = `arn:aws:iam::${VICTIM}:role/worker`;
    const fn: FunctionRecord = {
      accountId: ATTACKER, region: REGION, name: "thief", arn: functionArn(ATTACKER, REGION, "thief"), runtime: "nodejs20.x",
      role: victimRole, handler: "index.handler", description: "", timeout: 3, memorySize: 128, environment: {},
      codeSha256: "", codeSize: 0, lastModified: 0, revisionId: "r", policy: null, tags: {},
    };
    env.store.put(FUNCTIONS_TABLE, `${ATTACKER}/${REGION}/thief`, fn);
    const mapping: MappingRecord = {
      uuid: "u-1", accountId: ATTACKER, region: REGION, functionName: "thief", eventSourceArn: `arn:aws:sqs:${REGION}:${VICTIM}:jobs`,
      batchSize: 10, maximumBatchingWindowInSeconds: 0, enabled: true, functionResponseTypes: [], lastModified: 0, lastProcessingResult: "",
    };
    env.store.put(MAPPINGS_TABLE, `${ATTACKER}/${REGION}/u-1`, mapping);
    const lambda = createLambdaService(env);
    const sqs = createSqsService(env);
    services.push(lambda, sqs);
    env.register(lambda);
    env.register(sqs);
    const victim = rootContext(VICTIM, REGION);
    const { QueueUrl } = await env.call("sqs", "CreateQueue", { QueueName: "jobs" }, victim);
    const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: victimRole }, Action: "sqs:*", Resource: `arn:aws:sqs:${REGION}:${VICTIM}:jobs` }] };
    await env.call("sqs", "SetQueueAttributes", { QueueUrl, Attributes: { Policy: JSON.stringify(policy) } }, victim);
    await env.call("sqs", "SendMessage", { QueueUrl, MessageBody: "private" }, victim);
    for (let i = 0; i < 3; i++) {
      await env.scheduler.advance(1000);
      await new Promise((r) => setTimeout(r, 50));
    }
    const counts = (await env.call("sqs", "GetQueueAttributes", { QueueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }, victim)).Attributes;
    expect(counts).toMatchObject({ ApproximateNumberOfMessages: "1", ApproximateNumberOfMessagesNotVisible: "0" });
  });
});

describe("code on disk", () => {
  it("does not load a handler module outside the function's own folder", async () => {
    const { call } = setup();
    await victimFunction(call, "secret");
    const attacker = rootContext(ATTACKER, REGION);
    await call("CreateFunction", {
      FunctionName: "reader", Runtime: "nodejs20.x", Role: `arn:aws:iam::${ATTACKER}:role/r`,
      Handler: `../../../${VICTIM}/${REGION}/secret/index.handler`, Code: { ZipFile: zipOf({ "index.mjs": "export const handler = async () => 'own';" }) },
    }, attacker);
    const out = await call("Invoke", { FunctionName: "reader" }, attacker);
    expect(out.FunctionError).toBe("Unhandled");
    expect(JSON.parse(String(out.Payload))).toMatchObject({ errorType: "Runtime.ImportModuleError" });
  });

  it("refuses a credential scope whose region is not a region before anything touches the disk", async () => {
    const { env, call } = setup();
    const ctx: RequestContext = { ...rootContext(ATTACKER, ".."), region: ".." };
    const err = await rejection(call("CreateFunction", {
      FunctionName: VICTIM, Runtime: "nodejs20.x", Role: `arn:aws:iam::${ATTACKER}:role/r`, Handler: "index.handler",
      Code: { ZipFile: zipOf({ "index.mjs": "" }) },
    }, ctx));
    expect([err.code, err.status, err.message]).toEqual(["InvalidSignatureException", 403, "Credential should be scoped to a valid region, not '..'."]);
    expect(existsSync(path.join(env.options.dataDir, "lambda", VICTIM))).toBe(false);
    expect((await rejection(call("ListFunctions", {}, ctx))).code).toBe("InvalidSignatureException");
  });

  it("builds folders only from an account id, a region and a function name, and keeps them inside the data folder", () => {
    const data = "/srv/sandbox";
    expect(codeDir(data, VICTIM, REGION, "my-fn")).toBe(`/srv/sandbox/lambda/${VICTIM}/${REGION}/my-fn`);
    expect(codeDir(data, VICTIM, "us-gov-west-1", "f")).toBe(`/srv/sandbox/lambda/${VICTIM}/us-gov-west-1/f`);
    for (const [account, region, name] of [
      [ATTACKER, "..", VICTIM], [ATTACKER, ".", "f"], [ATTACKER, "us-east-1/..", "f"], [ATTACKER, REGION, ".."], [ATTACKER, REGION, "a/b"],
      ["..", REGION, "f"], ["12345", REGION, "f"], [`${VICTIM}/..`, REGION, "f"],
    ]) {
      expect(() => codeDir(data, account!, region!, name!)).toThrow(/Refusing a Lambda path/);
    }
    expect(accountDir(data, VICTIM)).toBe(`/srv/sandbox/lambda/${VICTIM}`);
    expect(() => accountDir(data, "..")).toThrow(/Refusing a Lambda path/);
  });
});

describe("function references", () => {
  const ctx = rootContext(ATTACKER, REGION);
  it("parses names, partial ARNs, full ARNs and qualifiers, with a bare name in the caller's account", () => {
    expect(parseFunctionRef("f", ctx)).toEqual({ accountId: ATTACKER, region: REGION, name: "f" });
    expect(parseFunctionRef("f:prod", ctx)).toEqual({ accountId: ATTACKER, region: REGION, name: "f", qualifier: "prod" });
    expect(parseFunctionRef(`${VICTIM}:function:f`, ctx)).toEqual({ accountId: VICTIM, region: REGION, name: "f" });
    expect(parseFunctionRef(`${VICTIM}:f`, ctx)).toEqual({ accountId: VICTIM, region: REGION, name: "f" });
    expect(parseFunctionRef(`arn:aws:lambda:eu-west-1:${VICTIM}:function:f:$LATEST`, ctx)).toEqual({ accountId: VICTIM, region: "eu-west-1", name: "f", qualifier: "$LATEST" });
    expect(parseFunctionRef(VICTIM, ctx)).toEqual({ accountId: ATTACKER, region: REGION, name: VICTIM });
    expect(parseFunctionRef("f", ctx, "live")).toMatchObject({ qualifier: "live" });
  });

  it("refuses what Lambda's pattern refuses: other region shapes, half ARNs, path characters", () => {
    for (const raw of [`arn:aws:lambda:..:${VICTIM}:function:f`, "arn:aws:lambda:f", `arn:aws:lambda:${REGION}:function:f`, "../f", "a/b", "", "x".repeat(65)]) {
      const err = (() => {
        try {
          parseFunctionRef(raw, ctx);
          return undefined;
        } catch (e) {
          return e as AwsError;
        }
      })();
      expect({ raw, code: err?.code }).toEqual({ raw, code: "ValidationException" });
    }
  });
});
