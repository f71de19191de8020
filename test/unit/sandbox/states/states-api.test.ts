// The Step Functions operations through their handlers: validation and errors as AWS words
// them, executions in the background, stop, history, sync Express runs, the service
// integrations made as the state machine's role, and how a running execution survives a restart.
import { afterEach, describe, expect, it, vi } from "vitest";
import { AwsError } from "@/sandbox/core/contracts";
import type { ServiceModule } from "@/sandbox/core/contracts";
import { memoryEnvironment, rootContext } from "@/sandbox/core/memory-environment";
import { createLambdaService } from "@/sandbox/services/lambda";
import { createStatesService } from "@/sandbox/services/states";
import { ROLE, tempEnvironment, zipOf, removeTempDirs } from "../lambda/helpers";
import { describeUntilDone, recorder, registerIdentity } from "./helpers";

// Child processes (and, for the first definition, asl-validator) take seconds on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

const ROLE_ARN = "arn:aws:iam::000000000000:role/states-role";
const services: ServiceModule[] = [];
afterEach(() => {
  for (const s of services.splice(0)) s.close?.();
  removeTempDirs();
});

function setup(env: ReturnType<typeof memoryEnvironment> = memoryEnvironment()) {
  const states = createStatesService(env);
  services.push(states);
  env.register(states);
  const sns = recorder("sns", ["Publish"], () => ({ MessageId: "sns-1" }));
  const sqs = recorder("sqs", ["SendMessage"], () => ({ MessageId: "sqs-1", MD5OfMessageBody: "md5" }));
  const events = recorder("events", ["PutEvents"], (_op, input) => ({
    FailedEntryCount: (input.Entries as unknown[]).some((e) => (e as { Source?: string }).Source === "bad") ? 1 : 0,
    Entries: (input.Entries as unknown[]).map(() => ({ EventId: "ev-1" })),
  }));
  for (const m of [sns.module, sqs.module, events.module]) env.register(m);
  const ctx = rootContext();
  // The state machines' role, which Step Functions assumes to run tasks (kept across a restart).
  const identity = registerIdentity(env);
  const roleReady = identity.role("states-role", ctx).catch((e: unknown) => {
    if (!(e instanceof AwsError && e.code === "EntityAlreadyExists")) throw e;
  });
  // Requests carry the sandbox clock's time, as the core stamps them.
  const call = (op: string, input: Record<string, unknown>) => env.call("states", op, input, { ...ctx, now: env.scheduler.now() });
  const machine = async (definition: unknown, name = "m", type?: string) => {
    await roleReady;
    return String((await call("CreateStateMachine", { name, definition: JSON.stringify(definition), roleArn: ROLE_ARN, ...(type ? { type } : {}) })).stateMachineArn);
  };
  const run = async (arn: string, input: unknown = {}) => {
    const { executionArn } = await call("StartExecution", { stateMachineArn: arn, input: JSON.stringify(input) });
    return describeUntilDone(env, String(executionArn), ctx);
  };
  return { env, states, ctx, call, machine, run, sns, sqs, events };
}

async function rejection(p: Promise<unknown>): Promise<AwsError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AwsError);
  return err as AwsError;
}

const pass = { StartAt: "P", States: { P: { Type: "Pass", End: true } } };
const waiting = { StartAt: "W", States: { W: { Type: "Wait", Seconds: 60, Next: "Done" }, Done: { Type: "Succeed" } } };

describe("state machines", () => {
  it("creates, describes, lists, updates and deletes", async () => {
    const { call, machine } = setup();
    const arn = await machine(pass, "order-processing");
    expect(arn).toBe("arn:aws:states:us-east-1:000000000000:stateMachine:order-processing");
    const described = await call("DescribeStateMachine", { stateMachineArn: arn });
    expect(described).toMatchObject({ name: "order-processing", status: "ACTIVE", type: "STANDARD", roleArn: ROLE_ARN, definition: JSON.stringify(pass) });
    expect(typeof described.creationDate).toBe("number");
    // The same request again is idempotent; a different definition is a conflict.
    expect(await machine(pass, "order-processing")).toBe(arn);
    const exists = await rejection(machine(waiting, "order-processing"));
    expect([exists.code, exists.message]).toEqual(["StateMachineAlreadyExists", `State Machine Already Exists: '${arn}'`]);
    expect((await call("ListStateMachines", {})).stateMachines).toMatchObject([{ stateMachineArn: arn, name: "order-processing", type: "STANDARD" }]);
    const updated = await call("UpdateStateMachine", { stateMachineArn: arn, definition: JSON.stringify(waiting) });
    expect(typeof updated.updateDate).toBe("number");
    expect((await call("DescribeStateMachine", { stateMachineArn: arn })).definition).toBe(JSON.stringify(waiting));
    expect((await rejection(call("UpdateStateMachine", { stateMachineArn: arn }))).code).toBe("MissingRequiredParameter");
    await call("DeleteStateMachine", { stateMachineArn: arn });
    const gone = await rejection(call("DescribeStateMachine", { stateMachineArn: arn }));
    expect([gone.code, gone.message]).toEqual(["StateMachineDoesNotExist", `State Machine Does Not Exist: '${arn}'`]);
  });

  it("rejects invalid definitions, names, role ARNs and ARNs as AWS does", async () => {
    const { call, machine } = setup();
    const bad = await rejection(machine({ StartAt: "Nope", States: { P: { Type: "Pass", End: true } } }));
    expect(bad.code).toBe("InvalidDefinition");
    expect(bad.message).toMatch(/^Invalid State Machine Definition: '.*MISSING_TRANSITION_TARGET: Missing 'Next' target: Nope at \/StartAt/);
    expect((await rejection(call("CreateStateMachine", { name: "x", definition: "{not json", roleArn: ROLE_ARN }))).code).toBe("InvalidDefinition");
    const name = await rejection(machine(pass, "has space"));
    expect([name.code, name.message]).toEqual(["InvalidName", "Invalid Name: 'has space'"]);
    expect((await rejection(call("CreateStateMachine", { name: "x", definition: JSON.stringify(pass) }))).code).toBe("ValidationException");
    expect((await rejection(call("CreateStateMachine", { name: "x", definition: JSON.stringify(pass), roleArn: "role" }))).code).toBe("InvalidArn");
    expect((await rejection(call("DescribeStateMachine", { stateMachineArn: "nope" }))).code).toBe("InvalidArn");
    expect((await rejection(call("CreateStateMachine", { name: "x", definition: JSON.stringify(pass), roleArn: ROLE_ARN, type: "FAST" }))).code).toBe("ValidationException");
  });
});

describe("executions", () => {
  it("starts, names, lists by status and refuses a reused name", async () => {
    const { call, machine, run, env, ctx } = setup();
    const arn = await machine({ StartAt: "P", States: { P: { Type: "Pass", Result: { ok: true }, ResultPath: "$.r", End: true } } });
    const started = await call("StartExecution", { stateMachineArn: arn, name: "first", input: '{"orderId":"o-1"}' });
    expect(started.executionArn).toBe("arn:aws:states:us-east-1:000000000000:execution:m:first");
    expect(typeof started.startDate).toBe("number");
    const done = await describeUntilDone(env, String(started.executionArn), ctx);
    expect(done).toMatchObject({ status: "SUCCEEDED", input: '{"orderId":"o-1"}', name: "first", stateMachineArn: arn });
    expect(JSON.parse(String(done.output))).toEqual({ orderId: "o-1", r: { ok: true } });
    const again = await rejection(call("StartExecution", { stateMachineArn: arn, name: "first" }));
    expect([again.code, again.message]).toEqual(["ExecutionAlreadyExists", `Execution Already Exists: '${String(started.executionArn)}'`]);
    const unnamed = await run(arn);
    expect(String(unnamed.name)).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await rejection(call("StartExecution", { stateMachineArn: arn, input: "{oops" }));
    expect(bad.code).toBe("InvalidExecutionInput");
    expect(bad.message).toMatch(/^Invalid State Machine Execution Input: '/);
    expect(((await call("ListExecutions", { stateMachineArn: arn })).executions as unknown[]).length).toBe(2);
    expect((await call("ListExecutions", { stateMachineArn: arn, statusFilter: "FAILED" })).executions).toEqual([]);
    const page = await call("ListExecutions", { stateMachineArn: arn, maxResults: 1 });
    expect((page.executions as unknown[]).length).toBe(1);
    const rest = await call("ListExecutions", { stateMachineArn: arn, maxResults: 1, nextToken: page.nextToken });
    expect((rest.executions as unknown[]).length).toBe(1);
    expect(rest.nextToken).toBeUndefined();
    expect((await rejection(call("DescribeExecution", { executionArn: "arn:aws:states:us-east-1:000000000000:execution:m:nope" }))).code).toBe("ExecutionDoesNotExist");
  });

  it("honours a Wait on the sandbox clock and stops with StopExecution", async () => {
    const { call, machine, env } = setup();
    const arn = await machine(waiting);
    const { executionArn } = await call("StartExecution", { stateMachineArn: arn });
    await env.scheduler.advance(30_000);
    expect((await call("DescribeExecution", { executionArn })).status).toBe("RUNNING");
    const stopped = await call("StopExecution", { executionArn, error: "Operator", cause: "enough" });
    expect(typeof stopped.stopDate).toBe("number");
    const d = await call("DescribeExecution", { executionArn });
    expect(d).toMatchObject({ status: "ABORTED", error: "Operator", cause: "enough" });
    await env.scheduler.advance(60_000);
    await new Promise((r) => setTimeout(r, 20));
    expect((await call("DescribeExecution", { executionArn })).status).toBe("ABORTED");
    const history = await call("GetExecutionHistory", { executionArn, reverseOrder: true });
    expect((history.events as { type: string }[])[0]!.type).toBe("ExecutionAborted");
    expect((await call("ListExecutions", { stateMachineArn: arn, statusFilter: "ABORTED" })).executions).toHaveLength(1);
  });

  it("pages the history and can leave out execution data", async () => {
    const { call, machine, run } = setup();
    const arn = await machine({ StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", End: true } } });
    const done = await run(arn, { secret: 1 });
    const all = (await call("GetExecutionHistory", { executionArn: done.executionArn })).events as { id: number; type: string }[];
    expect(all.map((e) => e.type)).toEqual(["ExecutionStarted", "PassStateEntered", "PassStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]);
    const first = await call("GetExecutionHistory", { executionArn: done.executionArn, maxResults: 4 });
    expect((first.events as unknown[]).length).toBe(4);
    const second = await call("GetExecutionHistory", { executionArn: done.executionArn, maxResults: 4, nextToken: first.nextToken });
    expect((second.events as { id: number }[]).map((e) => e.id)).toEqual([5, 6]);
    const lean = (await call("GetExecutionHistory", { executionArn: done.executionArn, includeExecutionData: false })).events as Record<string, Record<string, unknown>>[];
    expect(lean[0]!.executionStartedEventDetails!.input).toBeUndefined();
  });

  it("times out a machine past its TimeoutSeconds", async () => {
    const { machine, run } = setup();
    const arn = await machine({ TimeoutSeconds: 5, StartAt: "W", States: { W: { Type: "Wait", Seconds: 10, Next: "P" }, P: { Type: "Pass", End: true } } });
    expect((await run(arn)).status).toBe("TIMED_OUT");
  });

  it("runs Express machines synchronously and refuses StartSyncExecution on Standard ones", async () => {
    const { call, machine } = setup();
    const express = await machine({ StartAt: "P", States: { P: { Type: "Pass", Result: 42, End: true } } }, "fast", "EXPRESS");
    const out = await call("StartSyncExecution", { stateMachineArn: express, input: "{}" });
    expect(out).toMatchObject({ status: "SUCCEEDED", output: "42", stateMachineArn: express });
    expect(String(out.executionArn)).toMatch(/^arn:aws:states:us-east-1:000000000000:express:fast:/);
    const failing = await machine({ StartAt: "F", States: { F: { Type: "Fail", Error: "Nope", Cause: "because" } } }, "fails", "EXPRESS");
    expect(await call("StartSyncExecution", { stateMachineArn: failing })).toMatchObject({ status: "FAILED", error: "Nope", cause: "because" });
    const standard = await machine(pass, "std");
    expect((await rejection(call("StartSyncExecution", { stateMachineArn: standard }))).code).toBe("StateMachineTypeNotSupported");
  });
});

describe("service integrations", () => {
  it("calls SNS, SQS and EventBridge as Step Functions with the state's parameters", async () => {
    const { machine, run, sns, sqs, events } = setup();
    const arn = await machine({
      StartAt: "Notify",
      States: {
        Notify: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { TopicArn: "arn:aws:sns:us-east-1:000000000000:t", "Message.$": "$.order", Subject: "s" }, ResultPath: "$.sns", Next: "Queue" },
        Queue: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", Parameters: { QueueUrl: "http://q", "MessageBody.$": "$.order" }, ResultPath: "$.sqs", Next: "Event" },
        Event: { Type: "Task", Resource: "arn:aws:states:::events:putEvents", Parameters: { Entries: [{ Source: "orders", DetailType: "OrderPlaced", "Detail.$": "$.order" }] }, ResultPath: "$.events", End: true },
      },
    });
    const done = await run(arn, { order: { orderId: "o-9" } });
    expect(done.status).toBe("SUCCEEDED");
    expect(sns.calls[0]!.input).toEqual({ TopicArn: "arn:aws:sns:us-east-1:000000000000:t", Message: '{"orderId":"o-9"}', Subject: "s" });
    expect(sqs.calls[0]!.input).toEqual({ QueueUrl: "http://q", MessageBody: '{"orderId":"o-9"}' });
    expect(events.calls[0]!.input).toEqual({ Entries: [{ Source: "orders", DetailType: "OrderPlaced", Detail: '{"orderId":"o-9"}' }] });
    // Each call is made as the state machine's role, an assumed-role session in its account.
    for (const c of [sns, sqs, events]) {
      expect(c.calls[0]!.ctx.principal).toMatchObject({ kind: "assumed-role", accountId: "000000000000", roleArn: ROLE_ARN, roleName: "states-role" });
      expect(c.calls[0]!.ctx.principal.arn).toMatch(/^arn:aws:sts::000000000000:assumed-role\/states-role\/[A-Za-z]{32}$/);
    }
    expect(JSON.parse(String(done.output))).toMatchObject({ sns: { MessageId: "sns-1" }, sqs: { MessageId: "sqs-1" }, events: { FailedEntryCount: 0 } });
  });

  it("serves aws-sdk integrations and starts nested executions", async () => {
    const { machine, run, sqs, call, env, ctx } = setup();
    const child = await machine({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }, "child");
    const arn = await machine({
      StartAt: "Sdk",
      States: {
        Sdk: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:sqs:sendMessage", Parameters: { QueueUrl: "http://q", MessageBody: "raw" }, ResultPath: "$.sdk", Next: "Nested" },
        Nested: { Type: "Task", Resource: "arn:aws:states:::states:startExecution", Parameters: { StateMachineArn: child, Input: { from: "parent" }, Name: "kid" }, ResultPath: "$.nested", Next: "Describe" },
        Describe: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:sfn:describeStateMachine", Parameters: { StateMachineArn: child }, ResultSelector: { "name.$": "$.Name", "type.$": "$.Type" }, ResultPath: "$.described", Next: "Odd" },
        Odd: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:dynamodb:putItem", Catch: [{ ErrorEquals: ["States.TaskFailed"], ResultPath: "$.odd", Next: "End" }], End: true },
        End: { Type: "Succeed" },
      },
    });
    const done = await run(arn);
    expect(done.status).toBe("SUCCEEDED");
    expect(sqs.calls[0]!.input).toEqual({ QueueUrl: "http://q", MessageBody: "raw" });
    const output = JSON.parse(String(done.output)) as { sdk: unknown; nested: { ExecutionArn: string }; described: unknown; odd: { Cause: string } };
    expect(output.sdk).toEqual({ MessageId: "sqs-1", MD5OfMessageBody: "md5" });
    expect(output.nested.ExecutionArn).toBe("arn:aws:states:us-east-1:000000000000:execution:child:kid");
    expect(output.described).toEqual({ name: "child", type: "STANDARD" });
    expect(output.odd.Cause).toContain("no dynamodb service");
    const kid = await describeUntilDone(env, output.nested.ExecutionArn, ctx);
    expect(kid).toMatchObject({ status: "SUCCEEDED", input: '{"from":"parent"}' });
    expect((await call("ListExecutions", { stateMachineArn: child })).executions).toHaveLength(1);
  });

  it("fails a task on a failed PutEvents entry and on an unknown resource, with a clear cause", async () => {
    const { machine, run } = setup();
    const put = await machine({ StartAt: "E", States: { E: { Type: "Task", Resource: "arn:aws:states:::events:putEvents", Parameters: { Entries: [{ Source: "bad" }] }, End: true } } }, "put");
    expect((await run(put)).error).toBe("EventBridge.FailedEntry");
    const odd = await machine({ StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:states:::dynamodb:putItem", End: true } } }, "odd");
    const done = await run(odd);
    expect(done).toMatchObject({ status: "FAILED", error: "States.TaskFailed" });
    expect(String(done.cause)).toContain("cannot run the resource arn:aws:states:::dynamodb:putItem");
  });

  it("runs lambda:invoke and turns a function error into a catchable task error", async () => {
    const env = tempEnvironment();
    const lambda = createLambdaService(env);
    services.push(lambda);
    env.register(lambda);
    const { machine, run, ctx } = setup(env);
    const code = "export const handler = async (e) => { if (e.fail) { const err = new Error('no'); err.name = 'OrderError'; throw err; } return { doubled: e.n * 2 }; };";
    await env.call("lambda", "CreateFunction", { FunctionName: "calc", Runtime: "nodejs22.x", Role: ROLE, Handler: "index.handler", Code: { ZipFile: zipOf({ "index.mjs": code }) } }, ctx);
    const arn = await machine({
      StartAt: "Call",
      States: {
        Call: {
          Type: "Task", Resource: "arn:aws:states:::lambda:invoke",
          Parameters: { FunctionName: "calc", "Payload.$": "$" }, ResultSelector: { "value.$": "$.Payload.doubled", "status.$": "$.StatusCode" },
          Catch: [{ ErrorEquals: ["OrderError"], ResultPath: "$.caught", Next: "Caught" }], End: true,
        },
        Caught: { Type: "Pass", End: true },
      },
    });
    expect(JSON.parse(String((await run(arn, { n: 21 })).output))).toEqual({ value: 42, status: 200 });
    const caught = JSON.parse(String((await run(arn, { fail: true })).output)) as { caught: { Error: string; Cause: string } };
    expect(caught.caught.Error).toBe("OrderError");
    expect(JSON.parse(caught.caught.Cause)).toMatchObject({ errorType: "OrderError", errorMessage: "no" });
    const missing = await machine({ StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:000000000000:function:nope", End: true } } }, "missing");
    expect(await run(missing)).toMatchObject({ status: "FAILED", error: "Lambda.ResourceNotFoundException" });
  });
});

describe("durability", () => {
  it("resumes an execution RUNNING at a restart where it was, and keeps finished ones", async () => {
    const env = memoryEnvironment();
    const first = setup(env);
    const arn = await first.machine(waiting);
    const finished = await first.machine(pass, "quick");
    const quick = await first.run(finished);
    const { executionArn } = await first.call("StartExecution", { stateMachineArn: arn });
    await env.scheduler.advance(1000);
    first.states.close?.();
    const second = setup(env);
    expect((await second.call("DescribeExecution", { executionArn })).status).toBe("RUNNING");
    // The 60-second Wait began before the restart: it ends 60 seconds after it began.
    const done = await describeUntilDone(env, String(executionArn), second.ctx);
    expect(done.status).toBe("SUCCEEDED");
    expect(Number(done.stopDate) - Number(done.startDate)).toBeLessThan(62);
    const history = (await second.call("GetExecutionHistory", { executionArn })).events as { type: string }[];
    expect(history.map((e) => e.type)).toEqual(["ExecutionStarted", "WaitStateEntered", "WaitStateExited", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"]);
    expect((await second.call("DescribeExecution", { executionArn: quick.executionArn })).status).toBe("SUCCEEDED");
  });

  it("forgets an account's machines and executions on reset", async () => {
    const { states, call, machine, run } = setup();
    const arn = await machine(pass);
    await run(arn);
    states.resetAccount("000000000000");
    expect((await call("ListStateMachines", {})).stateMachines).toEqual([]);
  });
});
