import { beforeAll, describe, expect, it } from "vitest";
import { graderActions } from "@/checkers/registry";
import { loadLab, type Lab } from "@/lib/content/lab";
import { graderPolicy, labResourceNames, policyActions } from "@/lib/connections/grader-policy";

let lab: Lab;
beforeAll(async () => {
  lab = await loadLab("order-system");
});

describe("grader policy", () => {
  it("allows exactly the actions the checkers declare", () => {
    const doc = graderPolicy(lab.steps);
    expect(policyActions(doc)).toEqual([...graderActions()].sort());
    expect(doc.Statement.every((s) => s.Effect === "Allow")).toBe(true);
  });

  it("allows no write action but step 6's probe", () => {
    const writes = policyActions(graderPolicy(lab.steps)).filter((a) => !/^[a-z]+:(Get|List|Describe|TestEventPattern)/.test(a));
    expect(writes.sort()).toEqual(["sns:Publish", "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:ReceiveMessage", "states:StartExecution"]);
  });

  it("scopes each action to the lab's resources where AWS has a resource type", () => {
    const doc = graderPolicy(lab.steps);
    const resourcesOf = (action: string) => doc.Statement.filter((s) => s.Action.includes(action)).flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
    expect(resourcesOf("sqs:ReceiveMessage")).toEqual(expect.arrayContaining(["arn:aws:sqs:*:*:inventory-updates", "arn:aws:sqs:*:*:shipping-orders-dlq"]));
    expect(resourcesOf("sns:Publish")).toContain("arn:aws:sns:*:*:order-events");
    expect(resourcesOf("states:StartExecution")).toEqual(["arn:aws:states:*:*:stateMachine:order-processing"]);
    expect(resourcesOf("states:DescribeExecution")).toEqual(["arn:aws:states:*:*:execution:order-processing:*"]);
    expect(resourcesOf("events:DescribeRule")).toEqual(["arn:aws:events:*:*:rule/high-value-orders"]);
    expect(resourcesOf("lambda:GetPolicy")).toContain("arn:aws:lambda:*:*:function:premium-order-processor");
    // List calls have no resource type: "*" is the only thing AWS accepts.
    expect(resourcesOf("sns:ListTopics")).toEqual(["*"]);
    for (const s of doc.Statement) if (s.Resource === "*") expect(s.Action.every((a) => /:(List|GetCallerIdentity|TestEventPattern)/.test(a))).toBe(true);
  });

  it("collects the lab's resource names from every step", () => {
    const n = labResourceNames(lab.steps);
    expect(n.queues).toEqual(["inventory-updates", "inventory-updates-dlq", "shipping-orders", "shipping-orders-dlq"]);
    expect(n.topics).toEqual(["order-events", "order-failures", "order-notifications"]);
  });

  it("keeps an undeclared future action, with '*'", () => {
    expect(policyActions(graderPolicy(lab.steps, ["sqs:ListQueues", "xray:GetTraceSummaries"]))).toEqual(["sqs:ListQueues", "xray:GetTraceSummaries"]);
  });
});
