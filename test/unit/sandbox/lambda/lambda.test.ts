// The Lambda service through its handlers (no HTTP): functions, resource policies and Invoke
// running real Node.js and Python handlers in child processes.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { RequestContext, ServiceModule } from "@/sandbox/core/contracts";
import { AwsError } from "@/sandbox/core/contracts";
import { rootContext } from "@/sandbox/core/memory-environment";
import { createLambdaService } from "@/sandbox/services/lambda";
import { REPORT_FUNCTION, startLambdaRecorder, type LambdaRecorder } from "@/test/support/lambda-recorder";
import { ROLE, solutionZip, tempEnvironment, zipOf, removeTempDirs } from "./helpers";

// Child processes (and, for the first definition, asl-validator) take seconds on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

const services: ServiceModule[] = [];
const recorders: LambdaRecorder[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) s.close?.();
  removeTempDirs();
  await Promise.all(recorders.splice(0).map((r) => r.close()));
});

/** What jailed functions report (they cannot write to the host's files). */
async function record(): Promise<LambdaRecorder> {
  const recorder = await startLambdaRecorder();
  recorders.push(recorder);
  return recorder;
}

function setup(options: Parameters<typeof tempEnvironment>[0] = {}) {
  const env = tempEnvironment(options);
  const lambda = createLambdaService(env);
  services.push(lambda);
  env.register(lambda);
  const ctx = rootContext();
  const call = (op: string, input: Record<string, unknown>, c: RequestContext = ctx) => env.call("lambda", op, input, c);
  return { env, lambda, ctx, call };
}

async function rejection(p: Promise<unknown>): Promise<AwsError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AwsError);
  return err as AwsError;
}

const create = (call: ReturnType<typeof setup>["call"], name: string, zip: string, extra: Record<string, unknown> = {}) =>
  call("CreateFunction", { FunctionName: name, Runtime: "nodejs20.x", Role: ROLE, Handler: "index.handler", Code: { ZipFile: zip }, ...extra });

const payloadOf = (out: Record<string, unknown>) => JSON.parse(String(out.Payload)) as Record<string, unknown>;

describe("Lambda functions", () => {
  it("creates, gets, lists and deletes a function", async () => {
    const { call } = setup();
    const created = await create(call, "validate-order", solutionZip("validate-order"), { Timeout: 10, Environment: { Variables: { STAGE: "lab" } } });
    expect(created).toMatchObject({
      FunctionName: "validate-order",
      FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:validate-order",
      Runtime: "nodejs20.x", Handler: "index.handler", Timeout: 10, MemorySize: 128, State: "Active", LastUpdateStatus: "Successful",
      Environment: { Variables: { STAGE: "lab" } },
    });
    expect(created.LastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    const got = await call("GetFunction", { FunctionName: "arn:aws:lambda:us-east-1:000000000000:function:validate-order" });
    expect((got.Configuration as Record<string, unknown>).CodeSha256).toBe(created.CodeSha256);
    const listed = await call("ListFunctions", {});
    expect((listed.Functions as { FunctionName: string }[]).map((f) => f.FunctionName)).toEqual(["validate-order"]);
    expect((await rejection(create(call, "validate-order", solutionZip("validate-order")))).code).toBe("ResourceConflictException");
    await call("DeleteFunction", { FunctionName: "validate-order" });
    const missing = await rejection(call("GetFunction", { FunctionName: "validate-order" }));
    expect([missing.code, missing.status, missing.message]).toEqual([
      "ResourceNotFoundException", 404, "Function not found: arn:aws:lambda:us-east-1:000000000000:function:validate-order",
    ]);
  });

  it("updates configuration and code, and pages ListFunctions", async () => {
    const { call } = setup();
    for (const name of ["a", "b", "c"]) await create(call, name, zipOf({ "index.mjs": "export const handler = async () => 'v1';" }));
    const updated = await call("UpdateFunctionConfiguration", { FunctionName: "a", Timeout: 30, MemorySize: 256, Environment: { Variables: { KEY: "v" } }, Runtime: "nodejs22.x" });
    expect(updated).toMatchObject({ Timeout: 30, MemorySize: 256, Runtime: "nodejs22.x", Environment: { Variables: { KEY: "v" } } });
    expect(await call("GetFunctionConfiguration", { FunctionName: "a" })).toMatchObject({ Timeout: 30, RevisionId: updated.RevisionId });
    await call("UpdateFunctionCode", { FunctionName: "a", ZipFile: zipOf({ "index.mjs": "export const handler = async () => 'v2';" }) });
    expect(String((await call("Invoke", { FunctionName: "a" })).Payload)).toBe('"v2"');
    const page = await call("ListFunctions", { MaxItems: 2 });
    expect((page.Functions as { FunctionName: string }[]).map((f) => f.FunctionName)).toEqual(["a", "b"]);
    const rest = await call("ListFunctions", { MaxItems: 2, Marker: page.NextMarker });
    expect((rest.Functions as { FunctionName: string }[]).map((f) => f.FunctionName)).toEqual(["c"]);
    expect(rest.NextMarker).toBeUndefined();
  });

  it("refuses other runtimes, bad zips and out-of-range settings as AWS does", async () => {
    const { call } = setup();
    const java = await rejection(create(call, "f", zipOf({ "index.mjs": "" }), { Runtime: "java21" }));
    expect([java.code, java.message]).toEqual(["InvalidParameterValueException", "Runtime java21 is not supported by this sandbox: use a Node.js or Python runtime."]);
    const zip = await rejection(create(call, "f", Buffer.from("not a zip").toString("base64")));
    expect([zip.code, zip.message]).toEqual(["InvalidParameterValueException", "Could not unzip uploaded file. Please check your file, then try to upload again."]);
    expect((await rejection(create(call, "f", zipOf({ "index.mjs": "" }), { Timeout: 901 }))).code).toBe("ValidationException");
    expect((await rejection(create(call, "f", zipOf({ "index.mjs": "" }), { MemorySize: 64 }))).code).toBe("ValidationException");
    expect((await rejection(create(call, "f", zipOf({ "../evil.mjs": "" })))).code).toBe("InvalidParameterValueException");
    const reserved = await rejection(create(call, "f", zipOf({ "index.mjs": "" }), { Environment: { Variables: { AWS_REGION: "x" } } }));
    expect(reserved.message).toContain("Reserved keys used in this request: AWS_REGION");
  });

  it("keeps functions and policies across a restart on the same store", async () => {
    const { env, call } = setup();
    await create(call, "keep", zipOf({ "index.mjs": "export const handler = async () => 1;" }));
    await call("AddPermission", { FunctionName: "keep", StatementId: "s1", Action: "lambda:InvokeFunction", Principal: "sns.amazonaws.com" });
    const again = createLambdaService(env);
    services.push(again);
    env.register(again);
    expect((await call("GetFunction", { FunctionName: "keep" })).Configuration).toMatchObject({ FunctionName: "keep" });
    expect(JSON.parse(String((await call("GetPolicy", { FunctionName: "keep" })).Policy)).Statement).toHaveLength(1);
    expect(String((await call("Invoke", { FunctionName: "keep" })).Payload)).toBe("1");
  });
});

describe("Invoke", () => {
  it("runs the lab's Node.js handler and returns its result", async () => {
    const { call } = setup();
    await create(call, "validate-order", solutionZip("validate-order"));
    const out = await call("Invoke", { FunctionName: "validate-order", Payload: JSON.stringify({ orderId: "o-1", order: { amount: 5 } }) });
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBeUndefined();
    expect(payloadOf(out)).toMatchObject({ orderId: "o-1", order: { amount: 5 } });
    expect((out.__headers as Record<string, string>)["X-Amz-Executed-Version"]).toBe("$LATEST");
  });

  it("reports a thrown error as Unhandled with errorType from the error's name", async () => {
    const { call } = setup();
    await create(call, "validate-order", solutionZip("validate-order"));
    const out = await call("Invoke", { FunctionName: "validate-order", Payload: "{}" });
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe("Unhandled");
    expect((out.__headers as Record<string, string>)["X-Amz-Function-Error"]).toBe("Unhandled");
    const error = payloadOf(out);
    expect(error.errorType).toBe("ValidationError");
    expect(error.errorMessage).toBe("The order has no orderId, so it cannot be processed.");
    expect(Array.isArray(error.trace)).toBe(true);
  });

  it("runs the lab's Python handler, errors included", async () => {
    const { call } = setup();
    await create(call, "validate-order", solutionZip("validate-order", "lambda_function.py"), { Runtime: "python3.12", Handler: "lambda_function.lambda_handler" });
    const ok = await call("Invoke", { FunctionName: "validate-order", Payload: JSON.stringify({ orderId: "py-1" }) });
    expect(payloadOf(ok)).toMatchObject({ orderId: "py-1" });
    expect(String(payloadOf(ok).validatedAt)).toMatch(/^\d{4}-/);
    const bad = await call("Invoke", { FunctionName: "validate-order", Payload: JSON.stringify({ orderId: " " }) });
    expect(bad.FunctionError).toBe("Unhandled");
    expect(payloadOf(bad)).toMatchObject({ errorType: "ValidationError", errorMessage: "The order has no orderId, so it cannot be processed." });
  });

  it("runs CommonJS handlers and callback-style handlers", async () => {
    const { call } = setup();
    await create(call, "cjs", zipOf({ "index.js": "exports.handler = async (e) => ({ cjs: true, got: e.x });" }));
    expect(payloadOf(await call("Invoke", { FunctionName: "cjs", Payload: '{"x":2}' }))).toEqual({ cjs: true, got: 2 });
    await create(call, "cb", zipOf({ "app.js": "exports.run = (e, ctx, cb) => cb(null, { name: ctx.functionName });" }), { Handler: "app.run" });
    expect(payloadOf(await call("Invoke", { FunctionName: "cb" }))).toEqual({ name: "cb" });
  });

  it("gives the handler only its own variables and Lambda's", async () => {
    const { call } = setup();
    process.env.SANDBOX_TEST_SECRET = "do-not-leak";
    try {
      await create(call, "envy", zipOf({ "index.mjs": "export const handler = async () => process.env;" }), { Environment: { Variables: { TABLE: "orders" } } });
      const seen = payloadOf(await call("Invoke", { FunctionName: "envy" }));
      expect(seen).toMatchObject({ TABLE: "orders", AWS_REGION: "us-east-1", AWS_LAMBDA_FUNCTION_NAME: "envy", AWS_ACCESS_KEY_ID: "test" });
      expect(seen.AWS_ENDPOINT_URL).toMatch(/^http:\/\//);
      expect(seen.SANDBOX_TEST_SECRET).toBeUndefined();
    } finally {
      delete process.env.SANDBOX_TEST_SECRET;
    }
  });

  it("kills a handler that runs past its Timeout", async () => {
    const { call } = setup();
    await create(call, "slow", zipOf({ "index.mjs": "export const handler = () => new Promise(() => setInterval(() => {}, 1000));" }), { Timeout: 1 });
    const started = Date.now();
    const out = await call("Invoke", { FunctionName: "slow" });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(out.FunctionError).toBe("Unhandled");
    expect(payloadOf(out)).toMatchObject({ errorType: "Sandbox.Timedout", errorMessage: "Task timed out after 1.00 seconds" });
  });

  it("bounds the heap by MemorySize", async () => {
    const { call } = setup();
    const hog = "export const handler = async () => { const a = []; for (;;) a.push(new Array(1e6).fill(Math.random())); };";
    await create(call, "hog", zipOf({ "index.mjs": hog }), { MemorySize: 128, Timeout: 30 });
    const out = await call("Invoke", { FunctionName: "hog" });
    expect(out.FunctionError).toBe("Unhandled");
    expect(String(payloadOf(out).errorType)).toMatch(/^Runtime\./);
  });

  it("answers Event with 202 and runs it in the background; DryRun with 204", async () => {
    const recorder = await record();
    const { env, call } = setup(recorder.options);
    await create(call, "bg", zipOf({ "index.mjs": `${REPORT_FUNCTION} export const handler = async (e) => { await report(e.v); };` }));
    const out = await call("Invoke", { FunctionName: "bg", InvocationType: "Event", Payload: '{"v":"yes"}' });
    expect([out.StatusCode, out.__status]).toEqual([202, 202]);
    await env.scheduler.advance(0);
    for (let i = 0; i < 100 && recorder.reports().length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(recorder.reports()).toEqual(["yes"]);
    expect((await call("Invoke", { FunctionName: "bg", InvocationType: "DryRun" })).__status).toBe(204);
  });

  it("tries a failing Event invocation twice more, a minute and two minutes later", async () => {
    const recorder = await record();
    const { env, call } = setup(recorder.options);
    await create(call, "flaky", zipOf({ "index.mjs": `${REPORT_FUNCTION} export const handler = async () => { await report("attempt"); throw new Error("down"); };` }));
    await call("Invoke", { FunctionName: "flaky", InvocationType: "Event", Payload: "{}" });
    const attempts = () => recorder.reports().length;
    const until = async (n: number) => {
      for (let i = 0; i < 100 && attempts() < n; i++) await new Promise((r) => setTimeout(r, 30));
      // Let the child exit, so the retry timer is set before the clock moves.
      await new Promise((r) => setTimeout(r, 300));
    };
    await env.scheduler.advance(0);
    await until(1);
    expect(attempts()).toBe(1);
    const settle = () => new Promise((r) => setTimeout(r, 300));
    await env.scheduler.advance(59_000);
    await settle();
    expect(attempts()).toBe(1);
    await env.scheduler.advance(1_000);
    await until(2);
    expect(attempts()).toBe(2);
    await env.scheduler.advance(119_000);
    await settle();
    expect(attempts()).toBe(2);
    await env.scheduler.advance(1_000);
    await until(3);
    expect(attempts()).toBe(3);
    await env.scheduler.advance(600_000);
    await settle();
    expect(attempts()).toBe(3);
  }, 20_000);

  it("refuses to run code on a hosted sandbox unless the operator allows it", async () => {
    const { call } = setup({ mode: "hosted", lambdaExec: false });
    await create(call, "f", zipOf({ "index.mjs": "export const handler = async () => 1;" }));
    const err = await rejection(call("Invoke", { FunctionName: "f" }));
    expect([err.code, err.status]).toEqual(["ServiceException", 400]);
    expect(err.message).toBe("Running function code is turned off on this sandbox (SANDBOX_LAMBDA_EXEC=off).");
    const allowed = setup({ mode: "hosted", lambdaExec: true });
    await create(allowed.call, "f", zipOf({ "index.mjs": "export const handler = async () => 1;" }));
    expect(String((await allowed.call("Invoke", { FunctionName: "f" })).Payload)).toBe("1");
  });

  it("rejects a payload that is not JSON", async () => {
    const { call } = setup();
    await create(call, "f", zipOf({ "index.mjs": "export const handler = async () => 1;" }));
    expect((await rejection(call("Invoke", { FunctionName: "f", Payload: "{nope" }))).code).toBe("InvalidRequestContentException");
  });
});

describe("resource policies", () => {
  const RULE = "arn:aws:events:us-east-1:000000000000:rule/high-value-orders";
  const events = (ctx: RequestContext, sourceArn = RULE): RequestContext => ({
    ...ctx, principal: { kind: "service", service: "events.amazonaws.com", accountId: "000000000000", arn: "events.amazonaws.com", sourceArn },
  });

  it("refuses events.amazonaws.com until AddPermission allows it, then honours SourceArn", async () => {
    const { call, ctx } = setup();
    await create(call, "premium-order-processor", solutionZip("premium-order-processor"));
    const payload = JSON.stringify({ source: "orders", detail: { orderId: "p-1", amount: 500 } });
    const denied = await rejection(call("Invoke", { FunctionName: "premium-order-processor", InvocationType: "RequestResponse", Payload: payload }, events(ctx)));
    expect([denied.code, denied.status]).toEqual(["AccessDeniedException", 403]);
    expect(denied.message).toContain("events.amazonaws.com is not authorized to perform: lambda:InvokeFunction");
    expect((await rejection(call("GetPolicy", { FunctionName: "premium-order-processor" }))).code).toBe("ResourceNotFoundException");

    const added = await call("AddPermission", {
      FunctionName: "premium-order-processor", StatementId: "allow-rule", Action: "lambda:InvokeFunction", Principal: "events.amazonaws.com", SourceArn: RULE,
    });
    expect(JSON.parse(String(added.Statement))).toMatchObject({
      Sid: "allow-rule", Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "lambda:InvokeFunction",
      Resource: "arn:aws:lambda:us-east-1:000000000000:function:premium-order-processor",
      Condition: { ArnLike: { "AWS:SourceArn": RULE } },
    });
    const out = await call("Invoke", { FunctionName: "premium-order-processor", Payload: payload }, events(ctx));
    expect(payloadOf(out)).toMatchObject({ orderId: "p-1", amount: 500, priority: "high", source: "orders" });
    // Another rule is not the one the statement names.
    const other = await rejection(call("Invoke", { FunctionName: "premium-order-processor", Payload: payload }, events(ctx, `${RULE}-other`)));
    expect(other.code).toBe("AccessDeniedException");

    const policy = await call("GetPolicy", { FunctionName: "premium-order-processor" });
    expect(JSON.parse(String(policy.Policy))).toMatchObject({ Version: "2012-10-17", Statement: [{ Sid: "allow-rule" }] });
    expect(typeof policy.RevisionId).toBe("string");
    const dup = await rejection(call("AddPermission", { FunctionName: "premium-order-processor", StatementId: "allow-rule", Action: "lambda:InvokeFunction", Principal: "sns.amazonaws.com" }));
    expect(dup.code).toBe("ResourceConflictException");
    await call("RemovePermission", { FunctionName: "premium-order-processor", StatementId: "allow-rule" });
    expect((await rejection(call("Invoke", { FunctionName: "premium-order-processor", Payload: payload }, events(ctx)))).code).toBe("AccessDeniedException");
    expect((await rejection(call("RemovePermission", { FunctionName: "premium-order-processor", StatementId: "allow-rule" }))).code).toBe("ResourceNotFoundException");
  });

  it("lets same-account callers and Step Functions of the same account invoke without a policy", async () => {
    const { call, ctx } = setup();
    await create(call, "f", zipOf({ "index.mjs": "export const handler = async () => 'ok';" }));
    const role: RequestContext = {
      ...ctx,
      principal: { kind: "assumed-role", accountId: "000000000000", roleArn: "arn:aws:iam::000000000000:role/r", roleName: "r", sessionName: "s", arn: "arn:aws:sts::000000000000:assumed-role/r/s" },
    };
    expect(String((await call("Invoke", { FunctionName: "f" }, role)).Payload)).toBe('"ok"');
    // A Step Functions task calls as the session of the state machine's role (core/service-roles.ts).
    const states: RequestContext = {
      ...ctx,
      principal: { kind: "assumed-role", accountId: "000000000000", roleArn: "arn:aws:iam::000000000000:role/s", roleName: "s", sessionName: "task", arn: "arn:aws:sts::000000000000:assumed-role/s/task" },
    };
    expect(String((await call("Invoke", { FunctionName: "f" }, states)).Payload)).toBe('"ok"');
    // A service acting on its own behalf, not with a role, needs the resource policy.
    const bare: RequestContext = { ...ctx, principal: { kind: "service", service: "states.amazonaws.com", accountId: "000000000000", arn: "states.amazonaws.com" } };
    expect((await rejection(call("Invoke", { FunctionName: "f" }, bare))).code).toBe("AccessDeniedException");
    const stranger: RequestContext = { ...ctx, accountId: "111111111111", principal: { kind: "account", accountId: "111111111111", arn: "arn:aws:iam::111111111111:root" } };
    expect((await rejection(call("Invoke", { FunctionName: "arn:aws:lambda:us-east-1:000000000000:function:f" }, stranger))).code).toBe("AccessDeniedException");
  });
});
