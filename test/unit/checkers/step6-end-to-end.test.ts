import { describe, expect, it } from "vitest";
import type { HistoryEvent } from "@aws-sdk/client-sfn";
import type { Message } from "@aws-sdk/client-sqs";
import type { StepFrontMatter } from "@/lib/content/step-schema";
import { CallCounter, type AwsClients } from "@/checkers/clients";
import { connectionFromClients, contextFor } from "@/checkers/context";
import { PROBE_ATTRIBUTE, PROBE_ORDERS } from "@/checkers/samples";
import { calledFunctions, decideExecution, decideProbeRouting, probeLabel, step6 } from "@/checkers/steps/step6-end-to-end";

const queues = [{ role: "inventory", name: "inventory-updates" }, { role: "shipping", name: "shipping-orders" }];
const [a, b, c] = PROBE_ORDERS as [typeof PROBE_ORDERS[0], typeof PROBE_ORDERS[0], typeof PROBE_ORDERS[0]];
const names = { express: "ship-express", standard: "ship-standard" };

describe("step6.probe-<label>", () => {
  it("passes when each probe reaches exactly its queues", () => {
    const arrivals = { a: ["inventory-updates", "shipping-orders"], b: ["inventory-updates"], c: ["shipping-orders"] };
    for (const p of [a, b, c]) expect(decideProbeRouting(p, queues, arrivals).status).toBe("pass");
  });
  it("fails when a probe never arrives, pointing at step 3", () => {
    const v = decideProbeRouting(a, queues, { a: ["inventory-updates"] });
    expect(v.status).toBe("fail");
    expect(v.message).toContain("never reached shipping-orders");
    expect(v.hint).toContain("aws:SourceArn");
  });
  it("fails when a probe reaches a queue it should not", () => {
    const v = decideProbeRouting(b, queues, { b: ["inventory-updates", "shipping-orders"] });
    expect(v.message).toContain("also reached shipping-orders");
  });
});

describe("step6.execution-express", () => {
  it("passes for a SUCCEEDED run through ship-express", () => {
    expect(decideExecution({ machine: "order-processing", status: "SUCCEEDED", called: ["validate-order", "check-inventory", "reserve-payment", "ship-express"] }, names).status).toBe("pass");
  });
  it("fails for a FAILED run with its error, a standard-branch run, and one still running", () => {
    expect(decideExecution({ machine: "m", status: "FAILED", error: "States.Runtime", cause: "Invalid path '$.order.isPremium'", called: [] }, names).message).toContain("States.Runtime");
    expect(decideExecution({ machine: "m", status: "SUCCEEDED", called: ["ship-standard"] }, names).status).toBe("fail");
    expect(decideExecution({ machine: "m", status: "RUNNING", called: [] }, names).message).toContain("still running");
  });
});

describe("calledFunctions", () => {
  it("reads Lambda ARNs and lambda:invoke parameters from a history", () => {
    const events = [
      { id: 1, type: "LambdaFunctionScheduled", timestamp: new Date(), lambdaFunctionScheduledEventDetails: { resource: "arn:aws:lambda:us-east-1:1:function:validate-order" } },
      { id: 2, type: "TaskScheduled", timestamp: new Date(), taskScheduledEventDetails: { resourceType: "lambda", resource: "invoke", region: "us-east-1", parameters: JSON.stringify({ FunctionName: "arn:aws:lambda:us-east-1:1:function:ship-express:live" }) } },
    ] as HistoryEvent[];
    expect(calledFunctions(events)).toEqual(["validate-order", "ship-express"]);
  });
});

describe("probeLabel", () => {
  const tag = "0123456789abcdef";
  it("recognises a probe in an SNS envelope and in raw delivery", () => {
    const envelope: Message = { Body: JSON.stringify({ Type: "Notification", Message: JSON.stringify({ orderId: `probe-${tag}-b` }), MessageAttributes: { [PROBE_ATTRIBUTE]: { Type: "String", Value: tag } } }) };
    expect(probeLabel(envelope, tag)).toBe("b");
    const raw: Message = { Body: JSON.stringify({ orderId: `probe-${tag}-c` }), MessageAttributes: { [PROBE_ATTRIBUTE]: { DataType: "String", StringValue: tag } } };
    expect(probeLabel(raw, tag)).toBe("c");
  });
  it("leaves a learner's message alone (and another probe run's)", () => {
    expect(probeLabel({ Body: JSON.stringify({ orderId: "o-3001" }) }, tag)).toBeUndefined();
    expect(probeLabel({ Body: JSON.stringify({ orderId: "probe-ffffffffffffffff-a" }) }, tag)).toBeUndefined();
  });
});

describe("step6 without the learner's request", () => {
  it("calls nothing and explains what the probe will do, as skips", async () => {
    const fm: StepFrontMatter = {
      step: 6, slug: "end-to-end", title: "End to end", summary: "Test the whole order system end to end.",
      resources: { topic: "order-events", queues: ["inventory-updates", "shipping-orders"], stateMachine: "order-processing" }, expect: {}, hints: ["A hint long enough."],
    };
    const calls = new CallCounter();
    // No clients at all: any AWS call would throw.
    const ctx = contextFor(connectionFromClients({ target: "sandbox", region: "us-east-1" }, {} as AwsClients, calls), fm);
    const results = await step6.run(ctx);
    expect(results.map((r) => r.status)).toEqual(["skip", "skip", "skip", "skip"]);
    expect(results[0]?.message).toMatch(/publishes three tagged orders to order-events.*60 seconds\.$/);
    expect(calls.total).toBe(0);
  });
});
