import { describe, expect, it } from "vitest";
import {
  choiceRules, errorHandling, findState, findTasks, listStates, parallelBranches, reachableStates, statesByType,
  taskTarget, unreachableStates, validateDefinition,
} from "@/semantics/asl";
import type { StateMachineDefinition } from "@/semantics/asl";
import { LAB_DEFINITION, LAB_DEFINITION_TEMPLATE, labDefinitionObject } from "./lab-definition";
import type { EditableJson } from "./lab-definition";

function errorOf(definition: unknown): string {
  const r = validateDefinition(definition);
  if (r.ok) throw new Error("expected the definition to be invalid");
  return r.error;
}

describe("validateDefinition", () => {
  it("accepts the lab's definition, as text, as an object and as the deploy template", () => {
    expect(validateDefinition(LAB_DEFINITION)).toMatchObject({ ok: true, diagnostics: [] });
    expect(validateDefinition(labDefinitionObject()).ok).toBe(true);
    expect(validateDefinition(LAB_DEFINITION_TEMPLATE).ok).toBe(true);
  });

  it("reports a missing Next target and the state it leaves unreachable, in AWS's words", () => {
    expect(errorOf({ StartAt: "A", States: { A: { Type: "Pass", Next: "Nope" }, B: { Type: "Succeed" } } })).toBe(
      `Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: Nope at /States/A/Next, MISSING_TRANSITION_TARGET: State "B" is not reachable. at /States/B'`,
    );
  });

  it("uses the word Next for every kind of transition, located at the field", () => {
    expect(errorOf({ StartAt: "Missing", States: { A: { Type: "Succeed" } } })).toContain("MISSING_TRANSITION_TARGET: Missing 'Next' target: Missing at /StartAt");
    const choice = { StartAt: "C", States: { C: { Type: "Choice", Choices: [{ Variable: "$.x", BooleanEquals: true, Next: "Gone" }], Default: "Away" }, D: { Type: "Succeed" } } };
    const text = errorOf(choice);
    expect(text).toContain("Missing 'Next' target: Gone at /States/C/Choices[0]/Next");
    expect(text).toContain("Missing 'Next' target: Away at /States/C/Default");
    const catcher = { StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:f", Catch: [{ ErrorEquals: ["States.ALL"], Next: "Nowhere" }], End: true } } };
    expect(errorOf(catcher)).toContain("Missing 'Next' target: Nowhere at /States/T/Catch[0]/Next");
  });

  it("reports a workflow without a terminal state alone, without location", () => {
    expect(errorOf({ StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", Next: "A" }, C: { Type: "Pass", Next: "A" } } })).toBe(
      "Invalid State Machine Definition: 'MISSING_END_STATE: Workflow has no terminal state'",
    );
  });

  it("checks transitions inside Parallel branches against their own states", () => {
    const def = labDefinitionObject();
    def.States.ReserveStockAndFunds.Branches[0].States.CountStock = { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:check-inventory", Next: "PremiumOrNot" };
    expect(errorOf(def)).toContain("Missing 'Next' target: PremiumOrNot at /States/ReserveStockAndFunds/Branches[0]/States/CountStock/Next");
  });

  it("refuses duplicate state names, across branches and in the text", () => {
    const def = labDefinitionObject();
    def.States.ReserveStockAndFunds.Branches[1].States = { Validate: { Type: "Pass", End: true } };
    def.States.ReserveStockAndFunds.Branches[1].StartAt = "Validate";
    expect(errorOf(def)).toContain("DUPLICATE_STATE_NAME: Duplicate State name: Validate at /States/ReserveStockAndFunds/Branches[1]/States/Validate");
    const text = '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true},"A":{"Type":"Succeed"}}}';
    expect(errorOf(text)).toBe("Invalid State Machine Definition: 'DUPLICATE_STATE_NAME: Duplicate State name: A at /States/A'");
  });

  it("reports schema problems with AWS's SCHEMA_VALIDATION_FAILED wording", () => {
    expect(errorOf({ StartAt: "T", States: { T: { Type: "Task", End: true } } })).toBe(
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [Resource] at /States/T'",
    );
    expect(errorOf({ StartAt: "P", States: { P: { Type: "Pass", End: true, Catch: [] } } })).toBe(
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Field 'Catch' is not supported at /States/P'",
    );
    expect(errorOf({ StartAt: "P", States: { P: { Type: "Pasta", End: true } } })).toContain("SCHEMA_VALIDATION_FAILED: The field 'Type' should have one of these values: [Task, Pass, Choice, Wait, Succeed, Fail, Parallel, Map] at /States/P/Type");
    expect(errorOf({ StartAt: "P", States: { P: { Type: "Pass" } } })).toContain("Exactly one of these fields is required: [Next, End] at /States/P");
    expect(errorOf({ StartAt: "C", States: { C: { Type: "Choice", Choices: [{ Variable: "$.x", BooleanEquals: true }], Default: "D" }, D: { Type: "Succeed" } } })).toContain(
      "SCHEMA_VALIDATION_FAILED: These fields are required: [Next] at /States/C/Choices[0]",
    );
    expect(errorOf({ StartAt: "C", States: { C: { Type: "Choice", Choices: [{ Variable: "order.isPremium", BooleanEquals: true, Next: "D" }] }, D: { Type: "Succeed" } } })).toContain(
      "The value for the field 'Variable' must be a valid JSONPath at /States/C/Choices[0]/Variable",
    );
    expect(errorOf({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 1, SecondsPath: "$.s", End: true } } })).toContain("Exactly one of these fields is required: [Seconds, SecondsPath, Timestamp, TimestampPath]");
    expect(errorOf({ StartAt: "P", States: { P: { Type: "Pass", Parameters: { "a.$": "nope" }, End: true } } })).toContain(
      "The value for the field 'a.$' must be a valid JSONPath or a valid intrinsic function call at /States/P/Parameters",
    );
    expect(errorOf({ StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:f", ResultSelector: "x", End: true } } })).toContain(
      "The value for the field 'ResultSelector' must be an OBJECT at /States/T/ResultSelector",
    );
    expect(errorOf({ StartAt: "P", Bogus: 1, States: { P: { Type: "Succeed" } } })).toContain("Field 'Bogus' is not supported at /");
    expect(errorOf({ States: {} })).toContain("These fields are required: [StartAt] at /");
  });

  it("knows which fields belong to JSONPath and which to JSONata", () => {
    expect(errorOf({ StartAt: "P", States: { P: { Type: "Pass", Output: { a: 1 }, End: true } } })).toBe(
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage at /States/P'",
    );
    const jsonata = {
      QueryLanguage: "JSONata",
      StartAt: "T",
      States: {
        T: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Arguments: { FunctionName: "f", Payload: "{% $states.input %}" }, Output: "{% $states.result.Payload %}", Next: "C" },
        C: { Type: "Choice", Choices: [{ Condition: "{% $states.input.ok %}", Next: "Done" }], Default: "Done" },
        Done: { Type: "Succeed" },
      },
    };
    expect(validateDefinition(jsonata).ok).toBe(true);
    const withPath = structuredClone(jsonata) as EditableJson;
    withPath.States.T.InputPath = "$.x";
    expect(errorOf(withPath)).toContain("The QueryLanguage is set to 'JSONata', but field 'InputPath' is only supported for the 'JSONPath' QueryLanguage at /States/T");
    const mixed = structuredClone(jsonata) as EditableJson;
    mixed.States.Done.QueryLanguage = "JSONPath";
    expect(errorOf(mixed)).toContain("'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine at /States/Done");
  });

  it("refuses States.ALL that is not alone and last", () => {
    const def = { StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:f", End: true, Retry: [{ ErrorEquals: ["States.ALL"] }, { ErrorEquals: ["X"] }] } } };
    expect(errorOf(def)).toContain("States.ALL");
  });

  it("falls back to asl-validator for what its own checks do not cover", () => {
    const def = { StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:f", TimeoutSeconds: 5, TimeoutSecondsPath: "$.t", End: true } } };
    const r = validateDefinition(def);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.diagnostics.some((d) => d.code === "SCHEMA_VALIDATION_FAILED" && d.message.includes("TimeoutSecondsPath"))).toBe(true);
  });

  it("answers bad input with an error, never a throw", () => {
    expect(errorOf("{ not json")).toMatch(/^Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: /);
    expect(errorOf("")).toBe("Invalid State Machine Definition: 'MISSING_DESCRIPTION: Received a null or empty workflow input.'");
    expect(errorOf(null)).toContain("MISSING_DESCRIPTION");
    expect(errorOf("[1,2]")).toContain("SCHEMA_VALIDATION_FAILED");
    expect(errorOf(42)).toContain("SCHEMA_VALIDATION_FAILED");
    expect(errorOf({ StartAt: "A", States: { A: "x" } })).toContain("SCHEMA_VALIDATION_FAILED");
    expect(errorOf("x".repeat(1_100_000))).toContain("1048576");
  });

  it("refuses absurd nesting instead of overflowing the stack", () => {
    let inner: Record<string, unknown> = { StartAt: "L", States: { L: { Type: "Succeed" } } };
    for (let i = 0; i < 200; i++) inner = { StartAt: `P${i}`, States: { [`P${i}`]: { Type: "Parallel", Branches: [inner], End: true } } };
    expect(errorOf(inner)).toContain("TOO_DEEPLY_NESTED");
  });
});

describe("analysis helpers on the lab's definition", () => {
  const def = labDefinitionObject() as StateMachineDefinition;

  it("lists states by type, inside Parallel branches too", () => {
    const byType = statesByType(def);
    expect(byType.Task?.map((s) => s.name)).toEqual([
      "Validate", "CountStock", "HoldFunds", "SendExpress", "SendStandard", "TellCustomer", "ReportFailure",
    ]);
    expect(byType.Parallel?.map((s) => s.name)).toEqual(["ReserveStockAndFunds"]);
    expect(byType.Choice?.[0]?.name).toBe("PremiumOrNot");
    expect(byType.Wait?.[0]?.name).toBe("AwaitPickup");
    expect(findState(def, "CountStock")?.location).toBe("/States/ReserveStockAndFunds/Branches[0]/States/CountStock");
    expect(listStates(def)).toHaveLength(12);
  });

  it("computes reachability from StartAt", () => {
    expect([...reachableStates(def)].sort()).toEqual(Object.keys(def.States).sort());
    expect(unreachableStates({ StartAt: "A", States: { A: { Type: "Succeed" }, B: { Type: "Succeed" } } })).toEqual(["B"]);
  });

  it("says which errors Validate retries and catches", () => {
    const validate = def.States.Validate!;
    expect(errorHandling(validate, "ValidationError")).toMatchObject({
      retried: false, retrier: { index: 0, maxAttempts: 0 }, caught: true, catcher: { index: 0, next: "ReportFailure", resultPath: "$.error" },
    });
    expect(errorHandling(validate, "Lambda.ServiceException")).toMatchObject({ retried: true, retrier: { index: 1, maxAttempts: 3, backoffRate: 2 } });
    // States.TaskFailed matches any error name except States.Timeout.
    expect(errorHandling(validate, "SomethingElse").retried).toBe(true);
    expect(errorHandling({ Type: "Task", Retry: [{ ErrorEquals: ["States.TaskFailed"] }] }, "States.Timeout").retried).toBe(false);
    // States.Runtime is never retried or caught, not even by States.ALL.
    expect(errorHandling(def.States.ReserveStockAndFunds!, "States.Runtime").caught).toBe(false);
    expect(errorHandling(def.States.ReserveStockAndFunds!, "Anything").caught).toBe(true);
  });

  it("describes the Parallel's branches and the Choice's rules", () => {
    expect(parallelBranches(def.States.ReserveStockAndFunds!)).toEqual([
      { index: 0, startAt: "CountStock", states: ["CountStock"] },
      { index: 1, startAt: "HoldFunds", states: ["HoldFunds"] },
    ]);
    expect(choiceRules(def.States.PremiumOrNot!)).toEqual({
      rules: [{ index: 0, operator: "BooleanEquals", variable: "$.order.isPremium", value: true, next: "SendExpress" }],
      default: "SendStandard",
    });
    const compound = choiceRules({ Type: "Choice", Choices: [{ And: [{ Variable: "$.a", IsPresent: true }, { Not: { Variable: "$.b", StringEquals: "x" } }], Next: "N" }] });
    expect(compound.rules[0]).toMatchObject({ operator: "And", next: "N", rules: [{ operator: "IsPresent", variable: "$.a" }, { operator: "Not", rules: [{ operator: "StringEquals", value: "x" }] }] });
  });

  it("finds Tasks by Lambda function and by service integration", () => {
    expect(findTasks(def, { lambda: "validate-order" }).map((t) => t.name)).toEqual(["Validate"]);
    expect(findTasks(def, { service: "sns", action: "publish" }).map((t) => t.name)).toEqual(["TellCustomer", "ReportFailure"]);
    expect(taskTarget({ Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "arn:aws:lambda:us-east-1:123456789012:function:ship-express:live", "Payload.$": "$" } })).toEqual({
      resource: "arn:aws:states:::lambda:invoke", kind: "lambda", action: "invoke", lambdaFunctionName: "ship-express",
    });
    expect(taskTarget({ Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "ship-standard" } }).lambdaFunctionName).toBe("ship-standard");
    expect(taskTarget({ Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken" })).toMatchObject({ kind: "sqs", action: "sendMessage" });
  });
});

describe("no helper throws on junk", () => {
  const junk: unknown[] = [undefined, null, 0, "", "x", [], {}, { Type: 1 }, { StartAt: 1, States: [] }, { StartAt: "A", States: { A: null } }, { Choices: "x", Type: "Choice" }];
  it.each(junk.map((j) => [JSON.stringify(j) ?? "undefined", j]))("%s", (_label, value) => {
    const v = value as never;
    expect(() => {
      validateDefinition(v);
      listStates(v);
      statesByType(v);
      reachableStates(v);
      unreachableStates(v);
      errorHandling(v, "X");
      parallelBranches(v);
      choiceRules(v);
      taskTarget(v);
      findTasks(v);
    }).not.toThrow();
  });
});
