// An execution outlives the service that started it: a new Step Functions service on the same
// store (what a restart is) runs it on from its journal. Finished tasks are not repeated, Waits
// and Retry back-offs keep their deadlines, a task cut off mid-call fails the execution, and the
// run goes on with the definition it started with.
import { afterEach, describe, expect, it } from "vitest";
import { AwsError } from "@/sandbox/core/contracts";
import type { RequestContext, ServiceModule } from "@/sandbox/core/contracts";
import { memoryEnvironment, rootContext } from "@/sandbox/core/memory-environment";
import { createStatesService } from "@/sandbox/services/states";
import { RESTART_CAUSE } from "@/sandbox/services/states/durable-run";
import { describeUntilDone, recorder, registerIdentity } from "./helpers";

const ROLE_ARN = "arn:aws:iam::000000000000:role/states-role";
const services: ServiceModule[] = [];
afterEach(() => {
  for (const s of services.splice(0)) s.close?.();
});

type Env = ReturnType<typeof memoryEnvironment>;

/** One life of the sandbox: Step Functions, IAM and STS, and an SQS that records (or hangs). */
async function boot(env: Env, options: { hang?: boolean; failFirst?: number } = {}) {
  const states = createStatesService(env);
  services.push(states);
  env.register(states);
  let failures = options.failFirst ?? 0;
  const sqs = recorder("sqs", ["SendMessage"], () => {
    if (failures > 0) {
      failures--;
      throw new AwsError("ServiceUnavailable", "try again", 503);
    }
    return { MessageId: "m" };
  });
  if (options.hang) {
    sqs.module.definition.operations.SendMessage = {
      action: "sqs:SendMessage",
      handler: (input: Record<string, unknown>, ctx: RequestContext) => {
        sqs.calls.push({ operation: "SendMessage", input, ctx });
        return new Promise<never>(() => undefined);
      },
    } as unknown as (typeof sqs.module.definition.operations)[string];
  }
  env.register(sqs.module);
  const ctx = rootContext();
  const identity = registerIdentity(env);
  await identity.role("states-role", ctx).catch((e: unknown) => {
    if (!(e instanceof AwsError && e.code === "EntityAlreadyExists")) throw e;
  });
  const call = (op: string, input: Record<string, unknown>) => env.call("states", op, input, { ...ctx, now: env.scheduler.now() });
  return { states, sqs, ctx, call };
}

const send = (body: string) => ({ Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", Parameters: { QueueUrl: "http://q", MessageBody: body }, ResultPath: null });

async function settle(env: Env, ms: number) {
  await env.scheduler.advance(ms);
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

describe("an execution across a restart", () => {
  it("keeps its Wait's deadline and does not repeat the task it had finished", async () => {
    const env = memoryEnvironment();
    const first = await boot(env);
    const definition = { StartAt: "Before", States: { Before: { ...send("before"), Next: "W" }, W: { Type: "Wait", Seconds: 3600, Next: "After" }, After: { ...send("after"), End: true } } };
    const { stateMachineArn } = await first.call("CreateStateMachine", { name: "m", definition: JSON.stringify(definition), roleArn: ROLE_ARN });
    const { executionArn } = await first.call("StartExecution", { stateMachineArn, input: "{}" });
    await settle(env, 1000);
    expect(first.sqs.calls.map((c) => c.input.MessageBody)).toEqual(["before"]);
    first.states.close?.();
    await settle(env, 1800_000);

    const second = await boot(env);
    await settle(env, 1000);
    expect((await second.call("DescribeExecution", { executionArn })).status).toBe("RUNNING");
    // Half an hour was spent down; the Wait ends an hour after it began, not an hour from now.
    await settle(env, 1800_000 - 10_000);
    expect((await second.call("DescribeExecution", { executionArn })).status).toBe("RUNNING");
    const done = await describeUntilDone(env, String(executionArn), second.ctx);
    expect(done.status).toBe("SUCCEEDED");
    expect(second.sqs.calls.map((c) => c.input.MessageBody)).toEqual(["after"]);
    const events = (await second.call("GetExecutionHistory", { executionArn, maxResults: 1000 })).events as { type: string; timestamp: number }[];
    expect(events.filter((e) => e.type === "TaskSucceeded")).toHaveLength(2);
    const at = (type: string) => events.find((e) => e.type === type)?.timestamp ?? NaN;
    expect(at("WaitStateExited") - at("WaitStateEntered")).toBeGreaterThanOrEqual(3600);
    expect(at("WaitStateExited") - at("WaitStateEntered")).toBeLessThan(3600 + 5);
  });

  it("fails, rather than repeats, a task that was cut off mid-call", async () => {
    const env = memoryEnvironment();
    const first = await boot(env, { hang: true });
    const definition = { StartAt: "Send", States: { Send: { ...send("once"), Catch: [{ ErrorEquals: ["States.ALL"], Next: "Caught" }], End: true }, Caught: { Type: "Pass", End: true } } };
    const { stateMachineArn } = await first.call("CreateStateMachine", { name: "m", definition: JSON.stringify(definition), roleArn: ROLE_ARN });
    const { executionArn } = await first.call("StartExecution", { stateMachineArn });
    await settle(env, 1000);
    expect(first.sqs.calls).toHaveLength(1);
    first.states.close?.();

    const second = await boot(env);
    const done = await describeUntilDone(env, String(executionArn), second.ctx);
    // States.Runtime is not caught by States.ALL: the execution fails, the message is not sent again.
    expect(done).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect(String(done.cause)).toContain(RESTART_CAUSE);
    expect(second.sqs.calls).toHaveLength(0);
  });

  it("replays a Retry back-off and a Parallel's branches, and goes on with the definition it started with", async () => {
    const env = memoryEnvironment();
    const first = await boot(env, { failFirst: 1 });
    const definition = {
      StartAt: "Both",
      States: {
        Both: {
          Type: "Parallel",
          Branches: [
            { StartAt: "A", States: { A: { ...send("a"), Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 600, MaxAttempts: 2 }], End: true } } },
            { StartAt: "B", States: { B: { ...send("b"), Next: "BW" }, BW: { Type: "Wait", Seconds: 60, End: true } } },
          ],
          ResultPath: null,
          Next: "Last",
        },
        Last: { ...send("last"), End: true },
      },
    };
    const { stateMachineArn } = await first.call("CreateStateMachine", { name: "m", definition: JSON.stringify(definition), roleArn: ROLE_ARN });
    const { executionArn } = await first.call("StartExecution", { stateMachineArn });
    await settle(env, 1000);
    // Branch A failed once and waits out its 600 s back-off; branch B sent and is in its Wait.
    expect(first.sqs.calls.map((c) => c.input.MessageBody).sort()).toEqual(["a", "b"]);
    first.states.close?.();
    // Changed while the sandbox was down: the running execution keeps the definition it began with.
    await first.call("UpdateStateMachine", { stateMachineArn, definition: JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }) });

    const second = await boot(env);
    await settle(env, 300_000);
    expect(second.sqs.calls).toHaveLength(0);
    const done = await describeUntilDone(env, String(executionArn), second.ctx, 10_000);
    expect(done.status).toBe("SUCCEEDED");
    expect(second.sqs.calls.map((c) => c.input.MessageBody)).toEqual(["a", "last"]);
    const events = (await second.call("GetExecutionHistory", { executionArn, maxResults: 1000 })).events as { type: string }[];
    expect(events.filter((e) => e.type === "TaskFailed")).toHaveLength(1);
    expect(events.filter((e) => e.type === "TaskSucceeded")).toHaveLength(3);
  });
});
