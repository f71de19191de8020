// The grader role's permission policy, generated from the actions the checkers declare
// (checkers/registry graderActions()): exactly those actions — read-only, plus what step 6's
// probe needs — each scoped to the lab's resources by ARN pattern where AWS has a resource
// type for it. List calls and sts:GetCallerIdentity have none, so they get "*".
import { graderActions } from "@/checkers/registry";
import type { StepFrontMatter } from "@/lib/content/step-schema";

type Resources = StepFrontMatter["resources"];

export interface PolicyStatement {
  Sid: string;
  Effect: "Allow";
  Action: string[];
  Resource: string | string[];
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

/** The lab's resource names by kind, from every step's front matter. */
export interface LabResourceNames {
  topics: string[];
  queues: string[];
  rules: { name: string; bus: string }[];
  functions: string[];
  stateMachines: string[];
}

const uniq = (xs: string[]) => [...new Set(xs)].sort();

export function labResourceNames(steps: readonly { resources: Resources }[]): LabResourceNames {
  const topics: string[] = [];
  const queues: string[] = [];
  const rules = new Map<string, { name: string; bus: string }>();
  const functions: string[] = [];
  const stateMachines: string[] = [];
  for (const { resources: r } of steps) {
    if (r.topic) topics.push(r.topic);
    topics.push(...(r.topics ?? []));
    queues.push(...(r.queues ?? []), ...(r.dlqs ?? []));
    if (r.rule) rules.set(`${r.bus ?? "default"}/${r.rule}`, { name: r.rule, bus: r.bus ?? "default" });
    if (r.function) functions.push(r.function);
    functions.push(...(r.functions ?? []));
    if (r.stateMachine) stateMachines.push(r.stateMachine);
  }
  return { topics: uniq(topics), queues: uniq(queues), rules: [...rules.values()], functions: uniq(functions), stateMachines: uniq(stateMachines) };
}

// How each action's resource is named (AWS Service Authorization Reference). Account and
// region are "*": the policy lives in the learner's account and the lab may use any region.
type Scope = "none" | "topic" | "subscription" | "queue" | "rule" | "function" | "stateMachine" | "execution";

const SCOPES: Record<string, Scope> = {
  "sts:GetCallerIdentity": "none",
  "sns:ListTopics": "none",
  "lambda:ListFunctions": "none",
  "events:TestEventPattern": "none",
  "sns:ListSubscriptionsByTopic": "topic",
  "sns:Publish": "topic",
  "sns:GetSubscriptionAttributes": "subscription",
  "sqs:GetQueueUrl": "queue",
  "sqs:GetQueueAttributes": "queue",
  "sqs:ReceiveMessage": "queue",
  "sqs:DeleteMessage": "queue",
  "sqs:ChangeMessageVisibility": "queue",
  "events:DescribeRule": "rule",
  "events:ListTargetsByRule": "rule",
  "lambda:GetPolicy": "function",
  "lambda:GetFunction": "function",
  "states:DescribeStateMachine": "stateMachine",
  "states:StartExecution": "stateMachine",
  "states:DescribeExecution": "execution",
  "states:GetExecutionHistory": "execution",
};

function arns(scope: Scope, n: LabResourceNames, partition: string): string[] {
  const p = partition;
  switch (scope) {
    case "none":
      return ["*"];
    case "topic":
      return n.topics.map((t) => `arn:${p}:sns:*:*:${t}`);
    case "subscription":
      // IAM authorizes subscription calls on the subscription's topic; the subscription ARN
      // pattern is kept for targets that name the subscription itself.
      return n.topics.flatMap((t) => [`arn:${p}:sns:*:*:${t}`, `arn:${p}:sns:*:*:${t}:*`]);
    case "queue":
      return n.queues.map((q) => `arn:${p}:sqs:*:*:${q}`);
    case "rule":
      return n.rules.map((r) => (r.bus === "default" ? `arn:${p}:events:*:*:rule/${r.name}` : `arn:${p}:events:*:*:rule/${r.bus}/${r.name}`));
    case "function":
      return n.functions.map((f) => `arn:${p}:lambda:*:*:function:${f}`);
    case "stateMachine":
      return n.stateMachines.map((s) => `arn:${p}:states:*:*:stateMachine:${s}`);
    case "execution":
      return n.stateMachines.map((s) => `arn:${p}:states:*:*:execution:${s}:*`);
  }
}

const SIDS: Record<Scope, string> = {
  none: "ListAndIdentity",
  topic: "LabTopics",
  subscription: "LabSubscriptions",
  queue: "LabQueues",
  rule: "LabRules",
  function: "LabFunctions",
  stateMachine: "LabStateMachines",
  execution: "LabExecutions",
};

/**
 * One statement per kind of resource. An action the table does not know yet (a new checker's)
 * gets "*" rather than being dropped, so the role always allows every declared action.
 */
export function graderPolicy(steps: readonly { resources: Resources }[], actions: readonly string[] = graderActions(), partition = "aws"): PolicyDocument {
  const names = labResourceNames(steps);
  const byScope = new Map<Scope, string[]>();
  for (const action of actions) {
    let scope = SCOPES[action] ?? "none";
    if (arns(scope, names, partition).length === 0) scope = "none"; // a lab without that kind of resource
    byScope.set(scope, [...(byScope.get(scope) ?? []), action]);
  }
  const Statement: PolicyStatement[] = [];
  for (const scope of Object.keys(SIDS) as Scope[]) {
    const acts = byScope.get(scope);
    if (!acts) continue;
    const resources = arns(scope, names, partition);
    Statement.push({ Sid: SIDS[scope], Effect: "Allow", Action: [...acts].sort(), Resource: resources.length === 1 ? (resources[0] as string) : resources });
  }
  return { Version: "2012-10-17", Statement };
}

/** Every action a policy allows (for tests and the page's summary). */
export function policyActions(doc: PolicyDocument): string[] {
  return doc.Statement.flatMap((s) => s.Action).sort();
}
