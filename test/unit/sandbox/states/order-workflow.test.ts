// The lab's order-processing state machine on the sandbox's Step Functions, with the lab's own
// Lambda handlers running in child processes and fake SNS/SQS/EventBridge that record calls.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { RequestContext, ServiceModule } from "@/sandbox/core/contracts";
import { rootContext } from "@/sandbox/core/memory-environment";
import { createLambdaService } from "@/sandbox/services/lambda";
import { createStatesService } from "@/sandbox/services/states";
import { ROLE, SOLUTION, solutionZip, tempEnvironment, removeTempDirs } from "../lambda/helpers";
import { describeUntilDone, recorder, registerIdentity } from "./helpers";

// Child processes (and, for the first definition, asl-validator) take seconds on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

const REGION = "us-east-1";
const ACCOUNT = "000000000000";
const STATES_ROLE = `arn:aws:iam::${ACCOUNT}:role/lab-states-role`;
const FUNCTIONS = ["validate-order", "check-inventory", "reserve-payment", "ship-express", "ship-standard"];
const definition = readFileSync(path.join(SOLUTION, "order-processing.asl.json"), "utf8")
  .replaceAll("${Region}", REGION)
  .replaceAll("${AccountId}", ACCOUNT);

const services: ServiceModule[] = [];
afterEach(() => {
  for (const s of services.splice(0)) s.close?.();
  removeTempDirs();
});

async function labSetup(options: { pythonValidate?: boolean } = {}) {
  const env = tempEnvironment();
  const lambda = createLambdaService(env);
  const states = createStatesService(env);
  const sns = recorder("sns", ["Publish"], () => ({ MessageId: "m-1" }));
  services.push(lambda, states);
  for (const s of [lambda, states, sns.module]) env.register(s);
  const ctx = rootContext(ACCOUNT, REGION);
  // The workflow's role, trusting Step Functions as the lab's reference solution creates it.
  await registerIdentity(env).role("lab-states-role", ctx);
  for (const fn of FUNCTIONS) {
    const python = fn === "validate-order" && options.pythonValidate === true;
    await env.call("lambda", "CreateFunction", {
      FunctionName: fn, Role: ROLE,
      Runtime: python ? "python3.12" : "nodejs20.x",
      Handler: python ? "lambda_function.lambda_handler" : "index.handler",
      Code: { ZipFile: python ? solutionZip(fn, "lambda_function.py") : solutionZip(fn) },
    }, ctx);
  }
  const { stateMachineArn } = await env.call("states", "CreateStateMachine", { name: "order-processing", definition, roleArn: STATES_ROLE }, ctx);
  const start = async (input: unknown, c: RequestContext = ctx) => {
    const out = await env.call("states", "StartExecution", { stateMachineArn, input: JSON.stringify(input) }, c);
    return describeUntilDone(env, String(out.executionArn), ctx);
  };
  return { env, ctx, sns, stateMachineArn: String(stateMachineArn), start };
}

describe("the lab's order workflow", () => {
  it("sends a premium order express and notifies the customer, keeping orderId", async () => {
    const { sns, start, env, ctx } = await labSetup();
    const done = await start({ orderId: "ord-premium", order: { isPremium: true, amount: 250, items: ["lamp"] } });
    expect(done.status).toBe("SUCCEEDED");
    const output = JSON.parse(String(done.output)) as Record<string, unknown>;
    expect(output.orderId).toBe("ord-premium");
    expect(output.shipment).toMatchObject({ orderId: "ord-premium", service: "express", carrier: "AirFast" });
    expect(output.checks).toMatchObject([{ orderId: "ord-premium", inStock: true }, { orderId: "ord-premium", amount: 250 }]);
    expect(sns.calls).toHaveLength(1);
    const publish = sns.calls[0]!;
    expect(publish.input.TopicArn).toBe(`arn:aws:sns:${REGION}:${ACCOUNT}:order-notifications`);
    expect(JSON.parse(String(publish.input.Message))).toMatchObject({ orderId: "ord-premium", shipment: { service: "express" } });
    // Published as the workflow's role (an assumed-role session in its account), not as a bare service.
    expect(publish.ctx.principal).toMatchObject({ kind: "assumed-role", accountId: ACCOUNT, roleArn: STATES_ROLE, roleName: "lab-states-role" });

    const history = await env.call("states", "GetExecutionHistory", { executionArn: done.executionArn }, ctx);
    const events = history.events as { type: string; stateEnteredEventDetails?: { name: string }; timestamp: number }[];
    const entered = events.filter((e) => e.stateEnteredEventDetails).map((e) => e.stateEnteredEventDetails!.name);
    expect(entered).toEqual(expect.arrayContaining(["Validate", "ReserveStockAndFunds", "CountStock", "HoldFunds", "PremiumOrNot", "SendExpress", "AwaitPickup", "TellCustomer", "Done"]));
    expect(entered).not.toContain("SendStandard");
    expect(events[0]!.type).toBe("ExecutionStarted");
    expect(events[events.length - 1]!.type).toBe("ExecutionSucceeded");
    expect(typeof events[0]!.timestamp).toBe("number");
    // The Wait really waited, on the sandbox clock: 5 seconds between entering and leaving it.
    const waitIn = events.find((e) => e.type === "WaitStateEntered")!;
    const waitOut = events.find((e) => e.type === "WaitStateExited")!;
    expect(waitOut.timestamp - waitIn.timestamp).toBeGreaterThanOrEqual(5);
  });

  it("sends a standard order down the standard branch", async () => {
    const { sns, start } = await labSetup();
    const done = await start({ orderId: "ord-std", order: { isPremium: false, amount: 20 } });
    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(String(done.output))).toMatchObject({ orderId: "ord-std", shipment: { service: "standard", carrier: "GroundLine" } });
    expect(sns.calls.map((c) => c.input.TopicArn)).toEqual([`arn:aws:sns:${REGION}:${ACCOUNT}:order-notifications`]);
  });

  it("catches validate-order's ValidationError, reports the order to order-failures and fails", async () => {
    const { sns, start, env, ctx } = await labSetup();
    const done = await start({ order: { isPremium: true, amount: 5 } });
    expect(done.status).toBe("FAILED");
    expect(done.error).toBe("Rejected");
    expect(done.cause).toBe("The order failed validation or processing; see the failure notification.");
    expect(sns.calls).toHaveLength(1);
    expect(sns.calls[0]!.input.TopicArn).toBe(`arn:aws:sns:${REGION}:${ACCOUNT}:order-failures`);
    const message = JSON.parse(String(sns.calls[0]!.input.Message)) as { order: unknown; error: { Error: string; Cause: string } };
    expect(message.order).toEqual({ isPremium: true, amount: 5 });
    expect(message.error.Error).toBe("ValidationError");
    expect(JSON.parse(message.error.Cause)).toMatchObject({ errorType: "ValidationError", errorMessage: "The order has no orderId, so it cannot be processed." });
    // ValidationError is not retried: validate-order ran exactly once.
    const history = await env.call("states", "GetExecutionHistory", { executionArn: done.executionArn }, ctx);
    const types = (history.events as { type: string }[]).map((e) => e.type);
    expect(types.filter((t) => t === "LambdaFunctionScheduled")).toHaveLength(1);
    expect(types).toContain("LambdaFunctionFailed");
    expect(types[types.length - 1]).toBe("ExecutionFailed");
  });

  it("works the same with the Python validate-order", async () => {
    const { sns, start } = await labSetup({ pythonValidate: true });
    const ok = await start({ orderId: "ord-py", order: { isPremium: true, amount: 1 } });
    expect(ok.status).toBe("SUCCEEDED");
    expect(JSON.parse(String(ok.output))).toMatchObject({ orderId: "ord-py", validation: { orderId: "ord-py" } });
    const bad = await start({ order: { isPremium: false } });
    expect(bad.status).toBe("FAILED");
    expect(sns.calls.map((c) => String(c.input.TopicArn).split(":").pop())).toEqual(["order-notifications", "order-failures"]);
    const failure = JSON.parse(String(sns.calls[1]!.input.Message)) as { error: { Error: string } };
    expect(failure.error.Error).toBe("ValidationError");
  });
});
