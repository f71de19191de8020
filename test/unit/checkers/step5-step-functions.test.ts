// Step 5's decisions over the reference definition and its broken variants (each one mistake
// learners make), with the simulated runs the checker makes: stub tasks, fake clock, no AWS.
import { describe, expect, it } from "vitest";
import { labDefinitionObject, LAB_DEFINITION, type EditableJson } from "@/test/unit/semantics/lab-definition";
import { validateDefinition, type StateMachineDefinition } from "@/semantics/asl";
import {
  decideArnsResolved, decideChoice, decideDefinitionValid, decideDependencies, decideKeepsOrderId, decideMachineExists, decideNotification,
  decideParallel, decideRunPath, decideRunValidationError, decideShipping, decideValidationCatch, decideValidationRetry, decideValidationTask,
  decideWait, namesFrom, simulateAll, type WorkflowFacts,
} from "@/checkers/steps/step5-step-functions";
import { containsValue } from "@/checkers/steps/workflow-simulation";
import { PREMIUM_ORDER, STANDARD_ORDER } from "@/checkers/samples";

const MACHINE = "order-processing";
const MACHINE_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:order-processing";
const names = namesFrom(["validate-order", "check-inventory", "reserve-payment", "ship-express", "ship-standard"], ["order-notifications", "order-failures"]);

function def(edit?: (d: EditableJson) => void): StateMachineDefinition {
  const d = labDefinitionObject();
  edit?.(d);
  const v = validateDefinition(d);
  if (!v.ok) throw new Error(v.error);
  return v.definition;
}

async function judged(edit?: (d: EditableJson) => void) {
  const d = def(edit);
  const s = await simulateAll(d, names, MACHINE_ARN);
  return {
    premium: decideRunPath(s.premium, "premium", names, MACHINE),
    standard: decideRunPath(s.standard, "standard", names, MACHINE),
    invalid: decideRunValidationError(s.invalid, names, MACHINE),
    keeps: decideKeepsOrderId([s.premium, s.standard], [PREMIUM_ORDER, STANDARD_ORDER], names, MACHINE),
  };
}

const facts = (o: Partial<WorkflowFacts> = {}): WorkflowFacts => ({
  machineName: MACHINE, machineArn: MACHINE_ARN, definition: LAB_DEFINITION, names, missingFunctions: [], missingTopics: [], ...o,
});

describe("step5 existence and validity", () => {
  it("state-machine-exists passes and fails", () => {
    expect(decideMachineExists(facts()).status).toBe("pass");
    expect(decideMachineExists(facts({ definition: undefined })).hint).toContain("create-state-machine");
  });
  it("definition-valid passes for the reference and fails for a missing Next target", () => {
    expect(decideDefinitionValid(facts()).status).toBe("pass");
    const broken = labDefinitionObject();
    broken.States.PremiumOrNot.Default = "Nowhere";
    const v = decideDefinitionValid(facts({ definition: JSON.stringify(broken) }));
    expect(v.status).toBe("fail");
    expect(v.message).toContain("MISSING_TRANSITION_TARGET");
  });
  it("dependencies-exist names what is missing", () => {
    expect(decideDependencies(facts()).status).toBe("pass");
    expect(decideDependencies(facts({ missingFunctions: ["ship-express"], missingTopics: ["order-failures"] })).message).toContain("function ship-express, topic order-failures");
  });
  it("arns-resolved fails for unreplaced ${Region} tokens", () => {
    expect(decideArnsResolved(def(), MACHINE_ARN, MACHINE).status).toBe("pass");
    const d = def((x) => (x.States.SendExpress.Resource = "arn:aws:lambda:${Region}:${AccountId}:function:ship-express"));
    const v = decideArnsResolved(d, MACHINE_ARN, MACHINE);
    expect(v.status).toBe("fail");
    expect(v.hint).toContain("${Region}");
  });
});

describe("step5 structure", () => {
  it("the reference definition passes every structural check", () => {
    const d = def();
    for (const v of [
      decideValidationTask(d, names, MACHINE), decideValidationRetry(d, names, MACHINE), decideValidationCatch(d, names, MACHINE),
      decideParallel(d, names, MACHINE), decideChoice(d, MACHINE), decideShipping(d, names, MACHINE), decideWait(d, MACHINE), decideNotification(d, names, MACHINE),
    ]) expect(v.status, v.message).toBe("pass");
  });

  it("judges behaviour, not state names: renamed states still pass", () => {
    const text = LAB_DEFINITION.replaceAll("PremiumOrNot", "IsItPremium").replaceAll("ReportFailure", "TellOps");
    const v = validateDefinition(text);
    if (!v.ok) throw new Error(v.error);
    expect(decideChoice(v.definition, MACHINE).status).toBe("pass");
    expect(decideValidationCatch(v.definition, names, MACHINE).status).toBe("pass");
  });

  it("validation-task fails when no Task calls validate-order", () => {
    expect(decideValidationTask(def((x) => (x.States.Validate.Resource = x.States.Validate.Resource.replace("validate-order", "check-order"))), names, MACHINE).status).toBe("fail");
  });
  it("validation-retry fails without Retry", () => {
    expect(decideValidationRetry(def((x) => delete x.States.Validate.Retry), names, MACHINE).status).toBe("fail");
  });
  it("validation-catch fails without a Catch", () => {
    const v = decideValidationCatch(def((x) => delete x.States.Validate.Catch), names, MACHINE);
    expect(v.status).toBe("fail");
    expect(v.hint).toContain("ValidationError");
  });
  it("validation-catch fails when the Catch leads somewhere that never notifies order-failures", () => {
    const d = def((x) => {
      x.States.Validate.Catch = [{ ErrorEquals: ["ValidationError"], ResultPath: "$.error", Next: "Rejected" }, { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "ReportFailure" }];
    });
    expect(decideValidationCatch(d, names, MACHINE).status).toBe("fail");
  });
  it("parallel-checks fails when both calls are in one branch", () => {
    const d = def((x) => {
      x.States.ReserveStockAndFunds.Branches = [
        { StartAt: "CountStock", States: { CountStock: { ...x.States.ReserveStockAndFunds.Branches[0].States.CountStock, End: undefined, Next: "HoldFunds" }, HoldFunds: x.States.ReserveStockAndFunds.Branches[1].States.HoldFunds } },
      ];
      delete x.States.ReserveStockAndFunds.Branches[0].States.CountStock.End;
    });
    expect(decideParallel(d, names, MACHINE).status).toBe("fail");
  });
  it("choice-premium fails for a Choice on another variable", () => {
    expect(decideChoice(def((x) => (x.States.PremiumOrNot.Choices[0].Variable = "$.isPremium")), MACHINE).status).toBe("fail");
  });
  it("shipping-tasks fails without ship-standard", () => {
    expect(decideShipping(def((x) => (x.States.SendStandard.Resource = x.States.SendExpress.Resource)), names, MACHINE).message).toContain("ship-standard");
  });
  it("wait fails without a Wait", () => {
    const d = def((x) => {
      x.States.SendExpress.Next = "TellCustomer";
      x.States.SendStandard.Next = "TellCustomer";
      delete x.States.AwaitPickup;
    });
    expect(decideWait(d, MACHINE).status).toBe("fail");
  });
  it("notification fails when the publish names another topic", () => {
    expect(decideNotification(def((x) => (x.States.TellCustomer.Parameters.TopicArn = x.States.TellCustomer.Parameters.TopicArn.replace("order-notifications", "orders"))), names, MACHINE).status).toBe("fail");
  });
});

describe("step5 simulated runs", () => {
  it("the reference definition takes the right path every time and keeps orderId", async () => {
    const j = await judged();
    for (const v of Object.values(j)) expect(v.status, v.message).toBe("pass");
  });

  it("the source material's Parallel without ResultPath fails the premium run with the ResultPath hint", async () => {
    const j = await judged((x) => delete x.States.ReserveStockAndFunds.ResultPath);
    expect(j.premium.status).toBe("fail");
    expect(j.premium.hint).toContain("ResultPath");
    expect(j.standard.status).toBe("fail");
  });

  it("the source material's Catch without ResultPath loses the order in the failure notice", async () => {
    const j = await judged((x) => {
      for (const c of x.States.Validate.Catch) delete c.ResultPath;
    });
    expect(j.invalid.status).toBe("fail");
    expect(j.invalid.hint).toContain("$.error");
    expect(j.premium.status).toBe("pass");
  });

  it("a missing Catch fails the ValidationError run", async () => {
    const j = await judged((x) => delete x.States.Validate.Catch);
    expect(j.invalid.status).toBe("fail");
  });

  it("a Choice with its branches swapped fails both runs", async () => {
    const j = await judged((x) => (x.States.PremiumOrNot.Choices[0].BooleanEquals = false));
    expect(j.standard.status).toBe("fail");
    expect(j.premium.status).toBe("fail");
    expect(j.premium.hint).toContain("Choice");
  });

  it("a final publish without ResultPath loses orderId at the end", async () => {
    const j = await judged((x) => delete x.States.TellCustomer.ResultPath);
    expect(j.keeps.status).toBe("fail");
    expect(j.keeps.hint).toContain("ResultPath");
  });

  it("runs the lambda:invoke integration form too", async () => {
    const j = await judged((x) => {
      const arn = x.States.SendExpress.Resource;
      x.States.SendExpress.Resource = "arn:aws:states:::lambda:invoke";
      x.States.SendExpress.Parameters = { FunctionName: arn, "Payload.$": "$" };
      x.States.SendExpress.ResultSelector = { "service.$": "$.Payload.service" };
    });
    expect(j.premium.status).toBe("pass");
  });
});

describe("containsValue", () => {
  it("finds a value inside JSON strings", () => {
    expect(containsValue({ Message: JSON.stringify({ order: { a: 1 } }) }, { a: 1 })).toBe(true);
    expect(containsValue({ Message: "{}" }, { a: 1 })).toBe(false);
  });
});
