// Step 4: the rule is enabled on its bus, its pattern selects the sample orders it should
// (TestEventPattern where the endpoint answers it, the shared matcher where it does not), it
// targets the function, and the function's resource policy lets EventBridge invoke it from
// this rule.
import { DescribeRuleCommand, ListTargetsByRuleCommand, TestEventPatternCommand, type Target } from "@aws-sdk/client-eventbridge";
import { GetPolicyCommand } from "@aws-sdk/client-lambda";
import { compileEventPattern, explainEventMatch } from "@/semantics/event-pattern";
import { evaluatePolicy } from "@/semantics/iam-policy";
import { lambdaFunctions, named, parseArn, unlessNotFound } from "../collectors";
import type { CheckContext, Connection } from "../context";
import { classifyError, errorText } from "../errors";
import { runCheck } from "../run-check";
import { ORDER_EVENT, ruleSamples, type SampleEvent } from "../samples";
import type { CheckResult, StepChecker, Verdict } from "../types";

const DOCS_PATTERNS = "/module#rules-and-event-patterns";
const DOCS_TARGETS = "/module#eventbridge-targets-and-their-permissions";

export type Judge = "TestEventPattern" | "the shared matcher";

export interface PatternJudgement {
  judge: Judge;
  /** Why the shared matcher was used. */
  why?: string;
  /** Sample label → matched, or the reason the pattern could not be judged. */
  results: Record<string, { matched: boolean; reason?: string } | { invalid: string }>;
}

export interface RuleFacts {
  ruleName: string;
  busName: string;
  functionName: string;
  rule: { arn: string; state: string; eventPattern?: string } | undefined;
  targets: Target[];
  /** The function's ARN, when it exists. */
  functionArn: string | undefined;
  /** The ARN invoked: the target's (qualified) ARN when it names the function, else the function's. */
  invokedArn: string | undefined;
  /** The function's resource policy; undefined when it has none. */
  policy: string | undefined;
  judgement: PatternJudgement | undefined;
}

const FUNCTION_ARN = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)(?::([^:]+))?$/;

function noRule(f: RuleFacts): Verdict {
  return { status: "skip", message: `The rule ${f.ruleName} does not exist on the ${f.busName} bus, so this cannot be judged` };
}

export function decideRuleExists(f: RuleFacts): Verdict {
  if (f.rule === undefined) {
    return {
      status: "fail",
      message: `There is no rule ${f.ruleName} on the event bus ${f.busName}`,
      hint: `Create it with aws events put-rule --name ${f.ruleName} --event-bus-name ${f.busName} --event-pattern file://pattern.json`,
      found: null,
    };
  }
  return { status: "pass", message: `The rule ${f.ruleName} exists on the event bus ${f.busName} (${f.rule.arn})`, found: f.rule.arn };
}

export function decideRuleEnabled(f: RuleFacts): Verdict {
  if (f.rule === undefined) return noRule(f);
  if (f.rule.state !== "ENABLED") {
    return { status: "fail", message: `The rule ${f.ruleName} is ${f.rule.state || "not enabled"}`, hint: `Enable it: aws events enable-rule --name ${f.ruleName} --event-bus-name ${f.busName}`, expected: "ENABLED", found: f.rule.state };
  }
  return { status: "pass", message: `The rule ${f.ruleName} is enabled`, found: f.rule.state };
}

export function decidePatternSample(f: RuleFacts, sample: SampleEvent): Verdict {
  if (f.rule === undefined) return noRule(f);
  if (!f.rule.eventPattern) {
    return { status: "fail", message: `The rule ${f.ruleName} has no event pattern, so it selects no order events`, hint: `Give ${f.ruleName} an event pattern on source, detail-type and detail.amount`, found: null };
  }
  const j = f.judgement;
  const r = j?.results[sample.label];
  if (!j || !r) return { status: "skip", message: `The pattern of ${f.ruleName} could not be judged on ${sample.describe}` };
  const by = j.judge === "TestEventPattern" ? "judged by TestEventPattern" : `judged by the shared matcher${j.why ? ` because ${j.why}` : ""}`;
  if ("invalid" in r) {
    return { status: "fail", message: `The event pattern of ${f.ruleName} is not valid (${by}): ${r.invalid}`, hint: `Rewrite the pattern so it selects source ${ORDER_EVENT.source}, detail-type ${ORDER_EVENT.detailType}, and detail.amount with a numeric ">=" condition on the threshold`, found: f.rule.eventPattern };
  }
  const found = { matched: r.matched, pattern: f.rule.eventPattern };
  if (r.matched === sample.match) {
    return { status: "pass", message: `The rule ${f.ruleName} ${r.matched ? "matches" : "does not match"} ${sample.describe}, as it should (${by})`, expected: { matched: sample.match }, found };
  }
  if (sample.match) {
    return {
      status: "fail",
      message: `The rule ${f.ruleName} does not match ${sample.describe}, which it should (${by})${r.reason ? `: ${r.reason}` : ""}`,
      hint: `The pattern must select source ${ORDER_EVENT.source}, detail-type ${ORDER_EVENT.detailType} and detail.amount of the threshold or more: a numeric ">" leaves out the threshold itself, ">=" includes it, and amount must be inside "detail"`,
      expected: { matched: true },
      found,
    };
  }
  return {
    status: "fail",
    message: `The rule ${f.ruleName} matches ${sample.describe}, which it should not (${by})`,
    hint: `Pin the pattern down: it must require the source ${ORDER_EVENT.source}, the detail-type ${ORDER_EVENT.detailType} and detail.amount at or above the threshold, all three`,
    expected: { matched: false },
    found,
  };
}

export function decideTarget(f: RuleFacts): Verdict {
  if (f.rule === undefined) return noRule(f);
  const fns = f.targets.map((t) => FUNCTION_ARN.exec(t.Arn ?? "")?.[1]).filter((n): n is string => n !== undefined);
  if (fns.includes(f.functionName)) {
    return { status: "pass", message: `The rule ${f.ruleName} targets the Lambda function ${f.functionName}`, found: f.targets.map((t) => t.Arn) };
  }
  return {
    status: "fail",
    message: f.targets.length === 0 ? `The rule ${f.ruleName} has no targets` : `The rule ${f.ruleName} does not target the Lambda function ${f.functionName}; its targets are ${f.targets.map((t) => t.Arn).join(", ")}`,
    hint: `Add the function as a target: aws events put-targets --rule ${f.ruleName} --event-bus-name ${f.busName} --targets Id=${f.functionName},Arn=<the function's ARN>`,
    expected: f.functionName,
    found: f.targets.map((t) => t.Arn ?? null),
  };
}

export function decideFunctionExists(f: RuleFacts): Verdict {
  if (f.functionArn === undefined) {
    return { status: "fail", message: `There is no Lambda function ${f.functionName} in this region`, hint: `Deploy ${f.functionName} (aws lambda create-function) before pointing the rule at it`, found: null };
  }
  return { status: "pass", message: `The Lambda function ${f.functionName} exists (${f.functionArn})`, found: f.functionArn };
}

export function decideFunctionAllowsRule(f: RuleFacts): Verdict {
  if (f.rule === undefined) return noRule(f);
  if (f.functionArn === undefined || f.invokedArn === undefined) {
    return { status: "skip", message: `The Lambda function ${f.functionName} does not exist, so its resource policy cannot be judged` };
  }
  const hint = `Let EventBridge invoke it from this rule only: aws lambda add-permission --function-name ${f.functionName} --statement-id ${f.ruleName}-invoke --action lambda:InvokeFunction --principal events.amazonaws.com --source-arn ${f.rule.arn}`;
  if (f.policy === undefined) {
    return { status: "fail", message: `The Lambda function ${f.functionName} has no resource policy, so EventBridge may not invoke it`, hint, found: null };
  }
  const r = evaluatePolicy(
    f.policy,
    {
      principal: { type: "Service", id: "events.amazonaws.com" },
      action: "lambda:InvokeFunction",
      resource: f.invokedArn,
      context: { "aws:SourceArn": f.rule.arn, "aws:SourceAccount": parseArn(f.rule.arn)?.account ?? "" },
    },
    { kind: "resource" },
  );
  if (!r.ok) return { status: "fail", message: `The resource policy of ${f.functionName} cannot be read: ${r.error}`, hint, found: f.policy };
  if (r.decision !== "Allow") {
    return { status: "fail", message: `The resource policy of ${f.functionName} does not let events.amazonaws.com invoke it from ${f.ruleName}: ${r.reason}`, hint, expected: "Allow", found: r.decision };
  }
  return { status: "pass", message: `The resource policy of ${f.functionName} lets events.amazonaws.com invoke it from ${f.rule.arn}`, found: r.decision };
}

/** Each sample through TestEventPattern; any unusable answer means the shared matcher judges all. */
export async function judgePattern(c: Connection, pattern: string, samples: SampleEvent[]): Promise<PatternJudgement> {
  let why: string;
  try {
    const answers = await Promise.all(
      samples.map((s) => c.clients.events.send(new TestEventPatternCommand({ EventPattern: pattern, Event: JSON.stringify(s.event) }))),
    );
    if (answers.every((a) => typeof a.Result === "boolean")) {
      return { judge: "TestEventPattern", results: Object.fromEntries(samples.map((s, i) => [s.label, { matched: answers[i]?.Result === true }])) };
    }
    why = "the endpoint's TestEventPattern answer had no result";
  } catch (err) {
    const c2 = classifyError(err);
    why =
      c2.kind === "access-denied"
        ? "the grader may not call events:TestEventPattern"
        : `the endpoint did not answer TestEventPattern usefully (${c2.code}: ${errorText(err).slice(0, 120)})`;
  }
  const compiled = compileEventPattern(pattern);
  if (!compiled.ok) {
    return { judge: "the shared matcher", why, results: Object.fromEntries(samples.map((s) => [s.label, { invalid: compiled.error.message }])) };
  }
  return {
    judge: "the shared matcher",
    why,
    results: Object.fromEntries(
      samples.map((s) => {
        const x = explainEventMatch(compiled.pattern, s.event);
        return [s.label, x.matched ? { matched: true } : { matched: false, reason: x.reason }];
      }),
    ),
  };
}

async function listTargets(c: Connection, rule: string, bus: string): Promise<Target[]> {
  const out: Target[] = [];
  let token: string | undefined;
  do {
    const page = await c.clients.events.send(new ListTargetsByRuleCommand({ Rule: rule, EventBusName: bus, ...(token ? { NextToken: token } : {}) }));
    out.push(...(page.Targets ?? []));
    token = page.NextToken;
  } while (token);
  return out;
}

async function collect(ctx: CheckContext): Promise<RuleFacts> {
  const r = ctx.step.resources;
  const ruleName = named(r.rule, "rule");
  const busName = named(r.bus, "bus");
  const functionName = named(r.function, "function");
  const threshold = named(ctx.step.expect.threshold, "expect.threshold");
  const [described, functions] = await Promise.all([
    unlessNotFound(ctx.clients.events.send(new DescribeRuleCommand({ Name: ruleName, EventBusName: busName }))),
    lambdaFunctions(ctx),
  ]);
  const functionArn = functions.get(functionName);
  const facts: RuleFacts = { ruleName, busName, functionName, rule: undefined, targets: [], functionArn, invokedArn: undefined, policy: undefined, judgement: undefined };
  if (!described?.Arn) return facts;
  facts.rule = { arn: described.Arn, state: described.State ?? "", ...(described.EventPattern ? { eventPattern: described.EventPattern } : {}) };
  const samples = ruleSamples({ threshold, account: parseArn(described.Arn)?.account || "123456789012", region: ctx.region });
  const policyOf = (qualifier?: string) =>
    unlessNotFound(ctx.clients.lambda.send(new GetPolicyCommand({ FunctionName: functionName, ...(qualifier ? { Qualifier: qualifier } : {}) })));
  // The unqualified policy is fetched alongside the targets; a target naming an alias or
  // version needs that qualifier's own policy, fetched after.
  const unqualified = functionArn ? policyOf() : Promise.resolve(undefined);
  unqualified.catch(() => undefined);
  const [targets, judgement] = await Promise.all([
    listTargets(ctx, ruleName, busName),
    described.EventPattern ? judgePattern(ctx, described.EventPattern, samples) : Promise.resolve(undefined),
  ]);
  facts.targets = targets;
  facts.judgement = judgement;
  if (functionArn) {
    const target = targets.map((t) => t.Arn ?? "").find((a) => FUNCTION_ARN.exec(a)?.[1] === functionName);
    const qualifier = target ? FUNCTION_ARN.exec(target)?.[2] : undefined;
    facts.invokedArn = qualifier ? `${functionArn}:${qualifier}` : functionArn;
    facts.policy = (await (qualifier ? policyOf(qualifier) : unqualified))?.Policy;
  }
  return facts;
}

async function run(ctx: CheckContext): Promise<CheckResult[]> {
  const r = ctx.step.resources;
  const rule = r.rule ?? "(unnamed)";
  const fn = r.function ?? "(unnamed)";
  const facts = collect(ctx);
  facts.catch(() => undefined);
  const ruleMeta = (id: string, title: string, docs = DOCS_PATTERNS) => ({ id: `step4.${id}`, title, resource: `rule ${rule}`, docs });
  const fnMeta = (id: string, title: string) => ({ id: `step4.${id}`, title, resource: `Lambda function ${fn}`, docs: DOCS_TARGETS });
  // Sample labels only need the threshold; account and region do not change them.
  const threshold = ctx.step.expect.threshold;
  const samples = threshold === undefined ? [] : ruleSamples({ threshold, account: "", region: ctx.region });
  return Promise.all([
    runCheck(ruleMeta("rule-exists", `Rule ${rule} exists`), async () => decideRuleExists(await facts)),
    runCheck(ruleMeta("rule-enabled", `Rule ${rule} is enabled`), async () => decideRuleEnabled(await facts)),
    ...(samples.length === 0
      ? [runCheck(ruleMeta("pattern", "The rule's pattern selects high-value orders"), (): Verdict => named<Verdict>(undefined, "expect.threshold"))]
      : samples.map((s) =>
          runCheck(ruleMeta(`pattern-${s.label}`, `The rule ${s.match ? "matches" : "rejects"} ${s.describe}`), async () => {
            const f = await facts;
            return decidePatternSample(f, s);
          }),
        )),
    runCheck(ruleMeta("target-is-function", `Rule ${rule} targets ${fn}`, DOCS_TARGETS), async () => decideTarget(await facts)),
    runCheck(fnMeta("function-exists", `Function ${fn} exists`), async () => decideFunctionExists(await facts)),
    runCheck(fnMeta("function-allows-rule", `${fn} lets EventBridge invoke it from ${rule}`), async () => decideFunctionAllowsRule(await facts)),
  ]);
}

export const step4: StepChecker = {
  step: 4,
  slug: "eventbridge-rule",
  actions: ["events:DescribeRule", "events:ListTargetsByRule", "events:TestEventPattern", "lambda:ListFunctions", "lambda:GetPolicy"],
  run,
};
