import { describe, expect, it } from "vitest";
import { fakeClock, runStateMachine } from "@/semantics/asl";
import type { ExecutionResult, TaskHandler } from "@/semantics/asl";
import { LAB_DEFINITION, labDefinitionObject } from "./lab-definition";
import type { EditableJson } from "./lab-definition";

const PREMIUM = { orderId: "o-1001", order: { isPremium: true, amount: 1500 } };
const STANDARD = { orderId: "o-1002", order: { isPremium: false, amount: 200 } };

function namedError(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

/** Stub Lambdas and SNS for the lab, recording every call. */
function labHandlers(options: { failFirst?: Record<string, string> } = {}) {
  const calls: { resource: string; input: EditableJson }[] = [];
  const failures = { ...(options.failFirst ?? {}) };
  const handler: TaskHandler = async (resource, input: EditableJson) => {
    calls.push({ resource, input });
    const fn = resource.split(":").pop() ?? "";
    const failWith = failures[fn];
    if (failWith) {
      delete failures[fn];
      throw namedError(failWith, `${fn} failed once`);
    }
    switch (fn) {
      case "validate-order":
        if (!input.orderId) throw namedError("ValidationError", "The order has no orderId.");
        return { valid: true };
      case "check-inventory": return { inStock: true };
      case "reserve-payment": return { reserved: true };
      case "ship-express": return { carrier: "express", trackingId: "T-1" };
      case "ship-standard": return { carrier: "standard", trackingId: "T-2" };
      case "publish": return { MessageId: "m-1" };
      default: throw namedError("States.TaskFailed", `unexpected ${resource}`);
    }
  };
  return { handler, calls };
}

function types(r: ExecutionResult): string[] {
  return r.history.map((e) => e.type);
}

describe("the lab's order-processing definition", () => {
  it("sends a premium order through the express branch and keeps orderId", async () => {
    const { handler, calls } = labHandlers();
    const clock = fakeClock();
    const r = await runStateMachine(LAB_DEFINITION, PREMIUM, { taskHandlers: handler, clock });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.visitedStates).toEqual(["Validate", "ReserveStockAndFunds", "CountStock", "HoldFunds", "PremiumOrNot", "SendExpress", "AwaitPickup", "TellCustomer", "Done"]);
    expect(r.output).toMatchObject({ orderId: "o-1001", order: PREMIUM.order, checks: [{ inStock: true }, { reserved: true }], shipment: { carrier: "express" } });
    expect(clock.sleeps).toEqual([5000]);
    const publish = calls.find((c) => c.resource === "arn:aws:states:::sns:publish");
    expect(publish?.input.TopicArn).toBe("arn:aws:sns:us-east-1:123456789012:order-notifications");
    expect(JSON.parse(publish?.input.Message)).toMatchObject({ orderId: "o-1001", shipment: { carrier: "express" } });
  });

  it("sends a standard order through the standard branch", async () => {
    const { handler } = labHandlers();
    const r = await runStateMachine(LAB_DEFINITION, STANDARD, { taskHandlers: handler, clock: fakeClock() });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.visitedStates).toContain("SendStandard");
    expect(r.visitedStates).not.toContain("SendExpress");
    expect(r.output).toMatchObject({ orderId: "o-1002", shipment: { carrier: "standard" } });
  });

  it("catches a ValidationError into the failure notification, keeping the order", async () => {
    const { handler, calls } = labHandlers();
    const input = { order: { isPremium: true, amount: 1500 } };
    const r = await runStateMachine(LAB_DEFINITION, input, { taskHandlers: handler, clock: fakeClock() });
    expect(r).toMatchObject({ status: "FAILED", error: "Rejected" });
    expect(r.visitedStates).toEqual(["Validate", "ReportFailure", "Rejected"]);
    // Not retried: the first retrier stops ValidationError with MaxAttempts 0.
    expect(calls.filter((c) => c.resource.endsWith("validate-order"))).toHaveLength(1);
    const publish = calls.find((c) => c.resource === "arn:aws:states:::sns:publish");
    expect(publish?.input.TopicArn).toBe("arn:aws:sns:us-east-1:123456789012:order-failures");
    expect(JSON.parse(publish?.input.Message)).toEqual({
      order: { isPremium: true, amount: 1500 },
      error: { Error: "ValidationError", Cause: "The order has no orderId." },
    });
    expect(types(r).slice(-3)).toEqual(["TaskStateExited", "FailStateEntered", "ExecutionFailed"]);
  });

  it("keeps orderId in the failure notification when a later step fails", async () => {
    const failing: TaskHandler = async (resource, input) => {
      if (resource.endsWith("reserve-payment")) throw namedError("PaymentDeclined", "card declined");
      return resource.endsWith(":publish") ? { MessageId: "m" } : input;
    };
    const calls: EditableJson[] = [];
    const r = await runStateMachine(LAB_DEFINITION, PREMIUM, {
      taskHandlers: async (res, input, ctx) => {
        calls.push(input);
        return failing(res, input, ctx);
      },
      clock: fakeClock(),
    });
    expect(r).toMatchObject({ status: "FAILED", error: "Rejected" });
    expect(JSON.parse(calls.at(-1).Message)).toMatchObject({ orderId: "o-1001", error: { Error: "PaymentDeclined" } });
  });

  it("retries a task that fails once with a retriable error, backing off through the clock", async () => {
    const { handler, calls } = labHandlers({ failFirst: { "validate-order": "Lambda.ServiceException" } });
    const clock = fakeClock();
    const r = await runStateMachine(LAB_DEFINITION, PREMIUM, { taskHandlers: handler, clock });
    expect(r.status).toBe("SUCCEEDED");
    expect(calls.filter((c) => c.resource.endsWith("validate-order"))).toHaveLength(2);
    expect(clock.sleeps).toEqual([2000, 5000]); // IntervalSeconds 2, then the Wait
    expect(types(r).slice(1, 8)).toEqual([
      "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionFailed",
      "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded",
    ]);
    expect(r.output).toMatchObject({ orderId: "o-1001" });
  });

  it("records a history shaped like GetExecutionHistory's", async () => {
    const { handler } = labHandlers();
    const clock = fakeClock(new Date("2026-03-01T10:00:00Z"));
    const r = await runStateMachine(LAB_DEFINITION, PREMIUM, { taskHandlers: handler, clock });
    const [first, second] = r.history;
    expect(first).toMatchObject({ id: 1, previousEventId: 0, type: "ExecutionStarted", executionStartedEventDetails: { input: JSON.stringify(PREMIUM) } });
    expect(first?.timestamp).toEqual(new Date("2026-03-01T10:00:00Z"));
    expect(second).toMatchObject({ id: 2, previousEventId: 1, type: "TaskStateEntered", stateEnteredEventDetails: { name: "Validate" } });
    expect(r.history.map((e) => e.id)).toEqual(r.history.map((_, i) => i + 1));
    const publish = r.history.find((e) => e.type === "TaskScheduled");
    expect(publish).toMatchObject({ taskScheduledEventDetails: { resourceType: "sns", resource: "publish", region: "us-east-1" } });
    const last = r.history.at(-1);
    expect(last?.type).toBe("ExecutionSucceeded");
    expect(last?.timestamp).toEqual(new Date("2026-03-01T10:00:05Z"));
    // Branch events chain to the Parallel's start, not to each other.
    const started = r.history.find((e) => e.type === "ParallelStateStarted")!;
    const branchEntries = r.history.filter((e) => e.type === "TaskStateEntered" && e.id > started.id).slice(0, 2);
    expect(branchEntries.map((e) => e.previousEventId)).toEqual([started.id, started.id]);
  });

  it("fails as on AWS with the source material's Parallel that has no ResultPath", async () => {
    const broken = labDefinitionObject();
    delete broken.States.ReserveStockAndFunds.ResultPath;
    const { handler } = labHandlers();
    const r = await runStateMachine(broken, PREMIUM, { taskHandlers: handler, clock: fakeClock() });
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.Runtime");
    expect(r.cause).toMatch(
      /^An error occurred while executing the state 'PremiumOrNot' \(entered at the event id #\d+\)\. Invalid path '\$\.order\.isPremium': The choice state's condition path references an invalid value\.$/,
    );
    expect(r.visitedStates.at(-1)).toBe("PremiumOrNot");
    expect(types(r).at(-1)).toBe("ExecutionFailed");
  });

  it("loses the order, as the source material does, when the Catch has no ResultPath", async () => {
    const broken = labDefinitionObject();
    delete broken.States.Validate.Catch[0].ResultPath;
    const { handler, calls } = labHandlers();
    await runStateMachine(broken, { order: { isPremium: true } }, { taskHandlers: handler, clock: fakeClock() });
    const message = JSON.parse(calls.at(-1)?.input.Message);
    expect(message).toEqual({ Error: "ValidationError", Cause: "The order has no orderId." });
  });

  it("accepts handlers keyed by function name or resource", async () => {
    const r = await runStateMachine(LAB_DEFINITION, STANDARD, {
      clock: fakeClock(),
      taskHandlers: {
        "validate-order": () => ({}),
        "check-inventory": () => ({}),
        "reserve-payment": () => ({}),
        "ship-standard": () => ({ carrier: "standard" }),
        "arn:aws:states:::sns:publish": () => ({ MessageId: "1" }),
      },
    });
    expect(r.status).toBe("SUCCEEDED");
    const missing = await runStateMachine(LAB_DEFINITION, PREMIUM, { clock: fakeClock(), taskHandlers: { "validate-order": () => ({}) } });
    // check-inventory has no handler: the Parallel's States.ALL catcher sends the order to ReportFailure, which has none either.
    expect(missing).toMatchObject({ status: "FAILED", error: "States.TaskFailed" });
  });
});

/** A one-state machine for unit tests of input/output processing. */
function single(state: Record<string, unknown>) {
  return { StartAt: "S", States: { S: { ...state, End: true } } };
}

const run = (def: unknown, input: unknown, taskHandlers?: TaskHandler, extra: Record<string, unknown> = {}) =>
  runStateMachine(def, input, { clock: fakeClock(), uuid: () => "uuid-1", ...(taskHandlers ? { taskHandlers } : {}), ...extra });

describe("input and output processing", () => {
  it("InputPath, Parameters with $ and $$, ResultSelector, ResultPath, OutputPath", async () => {
    const def = single({
      Type: "Task",
      Resource: "arn:aws:lambda:us-east-1:123456789012:function:f",
      InputPath: "$.order",
      Parameters: { "id.$": "$.id", "items.$": "$.items[0]", fixed: 1, "state.$": "$$.State.Name", nested: { "amount.$": "$.amount" } },
      ResultSelector: { "total.$": "$.Payload.total" },
      ResultPath: "$.result",
      OutputPath: "$.result",
    });
    let seen: unknown;
    const r = await run(def, { order: { id: "o-1", items: ["a", "b"], amount: 3 } }, async (_res, input) => {
      seen = input;
      return { Payload: { total: 42 }, StatusCode: 200 };
    });
    expect(seen).toEqual({ id: "o-1", items: "a", fixed: 1, state: "S", nested: { amount: 3 } });
    expect(r).toMatchObject({ status: "SUCCEEDED", output: { total: 42 } });
  });

  it("ResultPath null keeps the input and $ replaces it; Pass Result", async () => {
    expect((await run(single({ Type: "Pass", Result: { x: 1 }, ResultPath: null }), { a: 1 })).output).toEqual({ a: 1 });
    expect((await run(single({ Type: "Pass", Result: { x: 1 } }), { a: 1 })).output).toEqual({ x: 1 });
    expect((await run(single({ Type: "Pass", Result: "r", ResultPath: "$.deep.er" }), { a: 1 })).output).toEqual({ a: 1, deep: { er: "r" } });
    expect((await run(single({ Type: "Pass", InputPath: null }), { a: 1 })).output).toEqual({});
  });

  it("a Parameters path that is not in the input is States.Runtime with AWS's text", async () => {
    const r = await run(single({ Type: "Pass", Parameters: { "x.$": "$.missing" } }), { a: 1 });
    expect(r).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect(r.cause).toBe(
      `An error occurred while executing the state 'S' (entered at the event id #2). The JSONPath '$.missing' specified for the field 'x.$' could not be found in the input '{"a":1}'`,
    );
  });

  it("a missing InputPath and OutputPath are States.Runtime, which no Catch catches", async () => {
    const def = {
      StartAt: "T",
      States: {
        T: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:1:function:f", OutputPath: "$.nope", Catch: [{ ErrorEquals: ["States.ALL"], Next: "Caught" }], End: true },
        Caught: { Type: "Succeed" },
      },
    };
    const r = await run(def, {}, async () => ({ ok: 1 }));
    expect(r).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect(r.cause).toContain("Invalid path '$.nope' : No results for path: $['nope']");
    expect((await run(single({ Type: "Pass", InputPath: "$.a.b" }), { a: 1 })).error).toBe("States.Runtime");
  });

  it("a ResultPath into a non-object is States.ResultPathMatchFailure, which a Catch can catch", async () => {
    const def = {
      StartAt: "T",
      States: {
        T: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:1:function:f", ResultPath: "$.r", Catch: [{ ErrorEquals: ["States.ResultPathMatchFailure"], ResultPath: null, Next: "Caught" }], End: true },
        Caught: { Type: "Succeed" },
      },
    };
    const r = await run(def, [1, 2], async () => "x");
    expect(r).toMatchObject({ status: "SUCCEEDED", output: [1, 2] });
    expect(r.visitedStates).toEqual(["T", "Caught"]);
  });
});

describe("Choice", () => {
  async function choose(rule: Record<string, unknown>, input: unknown): Promise<string | undefined> {
    const def = {
      StartAt: "C",
      States: { C: { Type: "Choice", Choices: [{ ...rule, Next: "Yes" }], Default: "No" }, Yes: { Type: "Succeed" }, No: { Type: "Succeed" } },
    };
    const r = await run(def, input);
    if (r.status !== "SUCCEEDED") return `${r.error}`;
    return r.visitedStates[1];
  }
  const data = { s: "beta", n: 5, b: true, t: "2026-01-02T00:00:00Z", other: "beta", m: 5, z: null, files: "report.csv" };
  it.each([
    [{ Variable: "$.s", StringEquals: "beta" }, "Yes"],
    [{ Variable: "$.s", StringEquals: "BETA" }, "No"],
    [{ Variable: "$.s", StringLessThan: "gamma" }, "Yes"],
    [{ Variable: "$.s", StringGreaterThan: "alpha" }, "Yes"],
    [{ Variable: "$.s", StringLessThanEquals: "beta" }, "Yes"],
    [{ Variable: "$.s", StringGreaterThanEquals: "c" }, "No"],
    [{ Variable: "$.s", StringEqualsPath: "$.other" }, "Yes"],
    [{ Variable: "$.files", StringMatches: "*.csv" }, "Yes"],
    [{ Variable: "$.files", StringMatches: "*.txt" }, "No"],
    [{ Variable: "$.n", NumericEquals: 5 }, "Yes"],
    [{ Variable: "$.n", NumericLessThan: 5 }, "No"],
    [{ Variable: "$.n", NumericGreaterThan: 4 }, "Yes"],
    [{ Variable: "$.n", NumericLessThanEquals: 5 }, "Yes"],
    [{ Variable: "$.n", NumericGreaterThanEquals: 6 }, "No"],
    [{ Variable: "$.n", NumericEqualsPath: "$.m" }, "Yes"],
    [{ Variable: "$.s", NumericEquals: 5 }, "No"], // wrong type: false, not an error
    [{ Variable: "$.b", BooleanEquals: true }, "Yes"],
    [{ Variable: "$.b", BooleanEqualsPath: "$.b" }, "Yes"],
    [{ Variable: "$.t", TimestampEquals: "2026-01-02T00:00:00Z" }, "Yes"],
    [{ Variable: "$.t", TimestampLessThan: "2026-01-03T00:00:00Z" }, "Yes"],
    [{ Variable: "$.t", TimestampGreaterThan: "2026-01-03T00:00:00Z" }, "No"],
    [{ Variable: "$.t", TimestampGreaterThanEquals: "2026-01-02T00:00:00Z" }, "Yes"],
    [{ Variable: "$.t", TimestampLessThanEquals: "2026-01-01T00:00:00Z" }, "No"],
    [{ Variable: "$.z", IsNull: true }, "Yes"],
    [{ Variable: "$.n", IsNumeric: true }, "Yes"],
    [{ Variable: "$.s", IsString: true }, "Yes"],
    [{ Variable: "$.b", IsBoolean: false }, "No"],
    [{ Variable: "$.t", IsTimestamp: true }, "Yes"],
    [{ Variable: "$.gone", IsPresent: false }, "Yes"],
    [{ Variable: "$.s", IsPresent: true }, "Yes"],
    [{ And: [{ Variable: "$.n", NumericGreaterThan: 1 }, { Variable: "$.b", BooleanEquals: true }] }, "Yes"],
    [{ Or: [{ Variable: "$.n", NumericGreaterThan: 10 }, { Variable: "$.s", StringEquals: "x" }] }, "No"],
    [{ Not: { Variable: "$.s", StringEquals: "x" } }, "Yes"],
    [{ Variable: "$.gone", StringEquals: "x" }, "States.Runtime"],
  ])("%j → %s", async (rule, expected) => {
    expect(await choose(rule, data)).toBe(expected);
  });

  it("with no match and no Default fails with States.NoChoiceMatched", async () => {
    const def = { StartAt: "C", States: { C: { Type: "Choice", Choices: [{ Variable: "$.n", NumericEquals: 1, Next: "Y" }] }, Y: { Type: "Succeed" } } };
    expect(await run(def, { n: 2 })).toMatchObject({ status: "FAILED", error: "States.NoChoiceMatched" });
  });
});

describe("Parallel and Map", () => {
  it("Parallel gives each branch the input and collects outputs in branch order", async () => {
    const def = single({
      Type: "Parallel",
      Branches: [
        { StartAt: "A", States: { A: { Type: "Pass", Result: "a", End: true } } },
        { StartAt: "B", States: { B: { Type: "Pass", InputPath: "$.x", End: true } } },
      ],
      ResultPath: "$.out",
    });
    expect((await run(def, { x: 1 })).output).toEqual({ x: 1, out: ["a", 1] });
  });

  it("a failing branch fails the Parallel, which its Catch can catch", async () => {
    const def = {
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Branches: [
            { StartAt: "Boom", States: { Boom: { Type: "Fail", Error: "Boom", Cause: "branch failed" } } },
            { StartAt: "Ok", States: { Ok: { Type: "Pass", End: true } } },
          ],
          Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.err", Next: "Handled" }],
          End: true,
        },
        Handled: { Type: "Succeed" },
      },
    };
    const r = await run(def, { id: 1 });
    expect(r).toMatchObject({ status: "SUCCEEDED", output: { id: 1, err: { Error: "Boom", Cause: "branch failed" } } });
    expect(r.history.some((e) => e.type === "ParallelStateFailed")).toBe(true);
  });

  it("Map runs the processor per item with ItemSelector and the $$.Map context, keeping order", async () => {
    const def = single({
      Type: "Map",
      ItemsPath: "$.items",
      MaxConcurrency: 1,
      ItemSelector: { "value.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index", "tag.$": "$.tag" },
      ItemProcessor: { StartAt: "Double", States: { Double: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:1:function:double", End: true } } },
      ResultPath: "$.results",
    });
    const seen: unknown[] = [];
    const r = await run(def, { tag: "t", items: [1, 2, 3] }, async (_res, input: EditableJson) => {
      seen.push(input);
      return input.value * 2;
    });
    expect(r.output).toEqual({ tag: "t", items: [1, 2, 3], results: [2, 4, 6] });
    expect(seen).toEqual([{ value: 1, index: 0, tag: "t" }, { value: 2, index: 1, tag: "t" }, { value: 3, index: 2, tag: "t" }]);
    expect(r.history.find((e) => e.type === "MapStateStarted")).toMatchObject({ mapStateStartedEventDetails: { length: 3 } });
    expect(r.history.filter((e) => e.type === "MapIterationSucceeded")).toHaveLength(3);
  });

  it("Map with the legacy Iterator and Parameters, and a failing item", async () => {
    const def = single({
      Type: "Map",
      Parameters: { "n.$": "$$.Map.Item.Value" },
      Iterator: { StartAt: "Check", States: { Check: { Type: "Choice", Choices: [{ Variable: "$.n", NumericGreaterThan: 2, Next: "TooBig" }], Default: "Fine" }, TooBig: { Type: "Fail", Error: "TooBig" }, Fine: { Type: "Succeed" } } },
    });
    expect(await run(def, [1, 2])).toMatchObject({ status: "SUCCEEDED", output: [{ n: 1 }, { n: 2 }] });
    expect(await run(def, [1, 5])).toMatchObject({ status: "FAILED", error: "TooBig" });
  });

  it("Map over something that is not an array is States.Runtime", async () => {
    const def = single({ Type: "Map", ItemsPath: "$.items", ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } } });
    expect(await run(def, { items: "nope" })).toMatchObject({ status: "FAILED", error: "States.Runtime" });
  });
});

describe("intrinsic functions", () => {
  async function evaluate(expression: string, input: unknown = {}): Promise<unknown> {
    const r = await run(single({ Type: "Pass", Parameters: { "v.$": expression } }), input);
    if (r.status !== "SUCCEEDED") return `${r.error}: ${r.cause}`;
    return (r.output as { v: unknown }).v;
  }
  it.each([
    ["States.Format('Order {} costs {}', $.id, $.amount)", "Order o-1 costs 15"],
    ["States.Format('literal \\{} and {}', 'x')", "literal {} and x"],
    ["States.StringToJson($.json)", { a: [1, 2] }],
    ["States.JsonToString($.obj)", '{"k":"v"}'],
    ["States.Array('a', 1, true, null, $.id)", ["a", 1, true, null, "o-1"]],
    ["States.MathAdd($.amount, -5)", 10],
    ["States.UUID()", "uuid-1"],
    ["States.ArrayLength($.list)", 3],
    ["States.ArrayContains($.list, 2)", true],
    ["States.ArrayGetItem($.list, 1)", 2],
    ["States.ArrayPartition($.list, 2)", [[1, 2], [3]]],
    ["States.ArrayRange(1, 9, 4)", [1, 5, 9]],
    ["States.ArrayUnique(States.Array(1, 1, 2))", [1, 2]],
    ["States.StringSplit('a,b;c', ',;')", ["a", "b", "c"]],
    ["States.Base64Encode('hi')", "aGk="],
    ["States.Base64Decode('aGk=')", "hi"],
    ["States.Hash('abc', 'SHA-256')", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    ["States.JsonMerge($.obj, States.StringToJson('{\"z\":1}'), false)", { k: "v", z: 1 }],
    ["States.Format('{}', States.MathAdd(1, 2))", "3"],
    ["States.Format('{} {}', $$.State.Name, $$.Execution.Name)", "S uuid-1"],
  ])("%s", async (expression, expected) => {
    expect(await evaluate(expression, { id: "o-1", amount: 15, json: '{"a":[1,2]}', obj: { k: "v" }, list: [1, 2, 3] })).toEqual(expected);
  });
  it("bad calls fail with States.IntrinsicFailure or States.Runtime", async () => {
    expect(await evaluate("States.StringToJson('{nope')")).toMatch(/^States.IntrinsicFailure/);
    expect(await evaluate("States.Format('{} {}', 'one')")).toMatch(/^States.IntrinsicFailure/);
    expect(await evaluate("States.MathAdd(1.5, 2)")).toMatch(/^States.IntrinsicFailure/);
    expect(await evaluate("States.Nope(1)")).toMatch(/^States.IntrinsicFailure/);
    expect(await evaluate("States.JsonToString($.missing)")).toMatch(/^States.Runtime/);
  });
});

describe("Wait, Retry, Fail and limits through the injectable clock", () => {
  it("Wait with Seconds, SecondsPath, Timestamp and TimestampPath", async () => {
    const start = new Date("2026-01-01T00:00:00Z");
    const cases: [Record<string, unknown>, unknown, number][] = [
      [{ Seconds: 30 }, {}, 30_000],
      [{ SecondsPath: "$.s" }, { s: 7 }, 7_000],
      [{ Timestamp: "2026-01-01T00:01:00Z" }, {}, 60_000],
      [{ TimestampPath: "$.at" }, { at: "2026-01-01T00:00:10Z" }, 10_000],
      [{ Timestamp: "2025-01-01T00:00:00Z" }, {}, 0],
    ];
    for (const [fields, input, expected] of cases) {
      const clock = fakeClock(start);
      const r = await runStateMachine(single({ Type: "Wait", ...fields }), input, { clock });
      expect(r.status).toBe("SUCCEEDED");
      expect(clock.sleeps).toEqual([expected]);
    }
    const bad = await runStateMachine(single({ Type: "Wait", SecondsPath: "$.s" }), { s: "soon" }, { clock: fakeClock() });
    expect(bad).toMatchObject({ status: "FAILED", error: "States.Runtime" });
  });

  it("Retry backs off by BackoffRate up to MaxDelaySeconds, then the Catch takes over", async () => {
    const def = {
      StartAt: "T",
      States: {
        T: {
          Type: "Task", Resource: "arn:aws:lambda:us-east-1:1:function:flaky",
          Retry: [{ ErrorEquals: ["Flaky"], IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 3, MaxDelaySeconds: 3 }],
          Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Gave up" }],
          End: true,
        },
        "Gave up": { Type: "Succeed" },
      },
    };
    const clock = fakeClock();
    let attempts = 0;
    const retryCounts: unknown[] = [];
    const r = await runStateMachine(def, { id: 1 }, {
      clock,
      taskHandlers: async (_res, _input, ctx) => {
        attempts++;
        retryCounts.push((ctx.context.State as { RetryCount: number }).RetryCount);
        throw namedError("Flaky", "try again");
      },
    });
    expect(attempts).toBe(4);
    expect(retryCounts).toEqual([0, 1, 2, 3]);
    expect(clock.sleeps).toEqual([1000, 2000, 3000]);
    expect(r).toMatchObject({ status: "SUCCEEDED", output: { id: 1, error: { Error: "Flaky", Cause: "try again" } } });
  });

  it("Fail sets the execution's error and cause", async () => {
    const r = await run({ StartAt: "F", States: { F: { Type: "Fail", Error: "Custom", Cause: "because" } } }, {});
    expect(r).toMatchObject({ status: "FAILED", error: "Custom", cause: "because" });
    const byPath = await run({ StartAt: "F", States: { F: { Type: "Fail", ErrorPath: "$.e", CausePath: "$.c" } } }, { e: "E", c: "C" });
    expect(byPath).toMatchObject({ error: "E", cause: "C" });
  });

  it("stops a looping definition after maxSteps", async () => {
    const def = { StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Choice", Choices: [{ Variable: "$.stop", IsPresent: true, Next: "Done" }], Default: "A" }, Done: { Type: "Succeed" } } };
    const r = await run(def, {}, undefined, { maxSteps: 50 });
    expect(r).toMatchObject({ status: "ABORTED", error: "MaxStepsExceeded" });
    expect(r.visitedStates).toHaveLength(50);
  });

  it("times out when the machine's TimeoutSeconds passes", async () => {
    const def = { TimeoutSeconds: 10, StartAt: "W", States: { W: { Type: "Wait", Seconds: 60, Next: "P" }, P: { Type: "Pass", End: true } } };
    const r = await run(def, {});
    expect(r).toMatchObject({ status: "TIMED_OUT", error: "States.Timeout" });
    expect(r.history.at(-1)?.type).toBe("ExecutionTimedOut");
  });

  it("refuses inputs and results past the 256 KiB limit, which States.ALL does not catch", async () => {
    const big = "x".repeat(300_000);
    expect(await run(single({ Type: "Pass" }), { big })).toMatchObject({ status: "FAILED", error: "States.DataLimitExceeded" });
    const def = {
      StartAt: "T",
      States: {
        T: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:1:function:f", Catch: [{ ErrorEquals: ["States.ALL"], Next: "Caught" }], End: true },
        Caught: { Type: "Succeed" },
      },
    };
    expect(await run(def, {}, async () => big)).toMatchObject({ status: "FAILED", error: "States.DataLimitExceeded" });
  });

  it("says plainly that it does not run JSONata machines", async () => {
    const def = { QueryLanguage: "JSONata", StartAt: "P", States: { P: { Type: "Pass", Output: "{% 1 %}", End: true } } };
    const r = await run(def, {});
    expect(r).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect(r.cause).toContain("JSONPath state machines only");
  });

  it("an invalid definition or bad JSON is a failed run, not a throw", async () => {
    expect(await run("{nope", {})).toMatchObject({ status: "FAILED", error: "InvalidDefinition" });
    const r = await run({ StartAt: "X", States: {} }, {});
    expect(r.status).toBe("FAILED");
    expect(r.cause).toContain("Invalid State Machine Definition");
  });
});
