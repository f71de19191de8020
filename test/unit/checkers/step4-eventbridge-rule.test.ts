import { describe, expect, it } from "vitest";
import { CallCounter, type AwsClients } from "@/checkers/clients";
import { connectionFromClients } from "@/checkers/context";
import { ruleSamples } from "@/checkers/samples";
import {
  decideFunctionAllowsRule, decideFunctionExists, decidePatternSample, decideRuleEnabled, decideRuleExists, decideTarget, judgePattern, type RuleFacts,
} from "@/checkers/steps/step4-eventbridge-rule";

const ACCOUNT = "123456789012";
const RULE_ARN = `arn:aws:events:us-east-1:${ACCOUNT}:rule/high-value-orders`;
const FN_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:premium-order-processor`;
const PATTERN = JSON.stringify({ "detail-type": ["OrderCreated"], source: ["com.myapp.orders"], detail: { amount: [{ numeric: [">=", 1000] }] } });
const samples = ruleSamples({ threshold: 1000, account: ACCOUNT, region: "us-east-1" });

/** What `aws lambda add-permission --source-arn <rule>` stores. */
function lambdaPolicy(condition: unknown = { ArnLike: { "AWS:SourceArn": RULE_ARN } }): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Id: "default",
    Statement: [{ Sid: "high-value-orders-invoke", Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "lambda:InvokeFunction", Resource: FN_ARN, ...(condition ? { Condition: condition } : {}) }],
  });
}

/** A connection whose only client is a fake EventBridge answering TestEventPattern with `answer`. */
function eventsAnswering(answer: (input: { EventPattern?: string; Event?: string }) => unknown) {
  const events = { send: async (cmd: { input: { EventPattern?: string; Event?: string } }) => answer(cmd.input) };
  return connectionFromClients({ target: "sandbox", region: "us-east-1" }, { events } as unknown as AwsClients, new CallCounter());
}

async function facts(o: { pattern?: string; state?: string; targets?: string[]; fn?: boolean; policy?: string | null; rule?: boolean } = {}): Promise<RuleFacts> {
  const pattern = o.pattern ?? PATTERN;
  const judgement = await judgePattern(eventsAnswering(() => { throw Object.assign(new Error("no"), { name: "UnknownOperationException" }); }), pattern, samples);
  return {
    ruleName: "high-value-orders",
    busName: "default",
    functionName: "premium-order-processor",
    rule: o.rule === false ? undefined : { arn: RULE_ARN, state: o.state ?? "ENABLED", eventPattern: pattern },
    targets: (o.targets ?? [FN_ARN]).map((Arn, i) => ({ Id: `t${i}`, Arn })),
    functionArn: o.fn === false ? undefined : FN_ARN,
    invokedArn: o.fn === false ? undefined : FN_ARN,
    policy: o.policy === undefined ? lambdaPolicy() : (o.policy ?? undefined),
    judgement,
  };
}

describe("step4.rule-exists and rule-enabled", () => {
  it("pass for the enabled rule", async () => {
    const f = await facts();
    expect(decideRuleExists(f).status).toBe("pass");
    expect(decideRuleEnabled(f).status).toBe("pass");
  });
  it("fail for a missing rule, and a disabled one", async () => {
    expect(decideRuleExists(await facts({ rule: false })).status).toBe("fail");
    expect(decideRuleEnabled(await facts({ state: "DISABLED" })).hint).toContain("enable-rule");
  });
});

describe("step4.pattern-<sample>", () => {
  it("the reference pattern passes every sample (shared matcher)", async () => {
    const f = await facts();
    for (const s of samples) {
      const v = decidePatternSample(f, s);
      expect(v.status, s.label).toBe("pass");
      expect(v.message).toContain("shared matcher");
    }
  });

  it("an added status: confirmed still passes", async () => {
    const f = await facts({ pattern: JSON.stringify({ ...JSON.parse(PATTERN), detail: { amount: [{ numeric: [">=", 1000] }], status: ["confirmed"] } }) });
    expect(samples.every((s) => decidePatternSample(f, s).status === "pass")).toBe(true);
  });

  it("\">\" where the lab asks \">=\" fails matches-1000 only", async () => {
    const f = await facts({ pattern: PATTERN.replace('">="', '">"') });
    const failed = samples.filter((s) => decidePatternSample(f, s).status === "fail").map((s) => s.label);
    expect(failed).toEqual(["matches-1000"]);
  });

  it("a pattern without the source fails rejects-other-source", async () => {
    const f = await facts({ pattern: JSON.stringify({ "detail-type": ["OrderCreated"], detail: { amount: [{ numeric: [">=", 1000] }] } }) });
    const failed = samples.filter((s) => decidePatternSample(f, s).status === "fail").map((s) => s.label);
    expect(failed).toEqual(["rejects-other-source"]);
  });
});

describe("judgePattern", () => {
  it("uses TestEventPattern when the endpoint answers true/false", async () => {
    const j = await judgePattern(eventsAnswering((i) => ({ Result: JSON.parse(i.Event ?? "{}").detail.amount >= 1000 })), PATTERN, samples);
    expect(j.judge).toBe("TestEventPattern");
    expect(j.results["matches-1000"]).toEqual({ matched: true });
  });

  it("treats an empty answer as not answering and uses the shared matcher, saying so", async () => {
    const j = await judgePattern(eventsAnswering(() => ({})), PATTERN, samples);
    expect(j.judge).toBe("the shared matcher");
    expect(j.why).toContain("no result");
    expect(j.results["rejects-other-source"]).toMatchObject({ matched: false });
  });

  it("treats a garbled answer (a string) as not answering", async () => {
    const j = await judgePattern(eventsAnswering(() => ({ Result: "yes" })), PATTERN, samples);
    expect(j.judge).toBe("the shared matcher");
  });

  it("falls back when the grader may not call TestEventPattern", async () => {
    const j = await judgePattern(eventsAnswering(() => { throw Object.assign(new Error("denied"), { name: "AccessDeniedException" }); }), PATTERN, samples);
    expect(j.why).toContain("events:TestEventPattern");
  });
});

describe("step4.target-is-function", () => {
  it("passes when a target is the function (qualified or not)", async () => {
    expect(decideTarget(await facts()).status).toBe("pass");
    expect(decideTarget(await facts({ targets: [`${FN_ARN}:live`] })).status).toBe("pass");
  });
  it("fails with no targets or another function", async () => {
    expect(decideTarget(await facts({ targets: [] })).message).toContain("no targets");
    expect(decideTarget(await facts({ targets: [FN_ARN.replace("premium-order-processor", "other")] })).status).toBe("fail");
  });
});

describe("step4.function-exists", () => {
  it("passes when it exists and fails when not", async () => {
    expect(decideFunctionExists(await facts()).status).toBe("pass");
    expect(decideFunctionExists(await facts({ fn: false })).status).toBe("fail");
  });
});

describe("step4.function-allows-rule", () => {
  it("passes for add-permission with --source-arn the rule", async () => expect(decideFunctionAllowsRule(await facts()).status).toBe("pass"));
  it("fails without a resource policy, with the add-permission command", async () => {
    const v = decideFunctionAllowsRule(await facts({ policy: null }));
    expect(v.status).toBe("fail");
    expect(v.hint).toContain("aws lambda add-permission");
  });
  it("fails when the permission names another rule", async () => {
    const v = decideFunctionAllowsRule(await facts({ policy: lambdaPolicy({ ArnLike: { "AWS:SourceArn": RULE_ARN.replace("high-value-orders", "old-rule") } }) }));
    expect(v.status).toBe("fail");
  });
  it("fails when the permission is for another service", async () => {
    const v = decideFunctionAllowsRule(await facts({ policy: lambdaPolicy().replace("events.amazonaws.com", "sns.amazonaws.com") }));
    expect(v.status).toBe("fail");
  });
});
