// Step 5: the order-processing definition is valid ASL with the parts the lab asks for, and
// simulated runs with stub tasks take the right path and keep orderId to the end. Judged on
// behaviour: state names are the learner's to choose.
import { DescribeStateMachineCommand } from "@aws-sdk/client-sfn";
import {
  choiceRules, errorHandling, findTasks, listStates, snsTopicArn, statesOfType, transitionsOf, validateDefinition,
  type ChoiceRuleInfo, type StateMachineDefinition, type StatesContainer,
} from "@/semantics/asl";
import { arnFor, findTopicArn, lambdaFunctions, named, parseArn, unlessNotFound } from "../collectors";
import type { CheckContext } from "../context";
import { runCheck } from "../run-check";
import { INVALID_ORDER, PREMIUM_ORDER, STANDARD_ORDER } from "../samples";
import type { CheckResult, StepChecker, Verdict } from "../types";
import { containsValue, simulate, type Simulation, type WorkflowNames } from "./workflow-simulation";

const DOCS_WORKFLOW = "/module#a-complete-order-processing-workflow";
const DOCS_ERRORS = "/module#step-functions-error-handling";
const DOCS_DATA = "/module#how-data-flows-through-a-state";
const DOCS_STATES = "/module#step-functions-state-types";

export interface WorkflowFacts {
  machineName: string;
  machineArn: string;
  /** The definition text; undefined when the state machine does not exist. */
  definition: string | undefined;
  names: WorkflowNames;
  missingFunctions: string[];
  missingTopics: string[];
}

export interface Simulations {
  premium: Simulation;
  standard: Simulation;
  invalid: Simulation;
}

/** The definition once validated, or why it cannot be judged. */
export type Parsed = { ok: true; def: StateMachineDefinition } | { ok: false; verdict: Verdict };

export function namesFrom(functions: string[], topics: string[]): WorkflowNames {
  const [validate, inventory, payment, express, standard] = functions;
  const [notifications, failures] = topics;
  if (!validate || !inventory || !payment || !express || !standard || !notifications || !failures) {
    throw new Error("the step's front matter must name five functions (validate, inventory, payment, express, standard) and two topics (notifications, failures)");
  }
  return { validate, inventory, payment, express, standard, notifications, failures };
}

export function decideMachineExists(f: WorkflowFacts): Verdict {
  if (f.definition === undefined) {
    return { status: "fail", message: `There is no state machine ${f.machineName} (looked for ${f.machineArn})`, hint: `Create it with aws stepfunctions create-state-machine --name ${f.machineName} --definition file://definition.json --role-arn <its role>`, found: null };
  }
  return { status: "pass", message: `The state machine ${f.machineName} exists (${f.machineArn})`, found: f.machineArn };
}

export function parseWorkflow(f: WorkflowFacts): Parsed {
  if (f.definition === undefined) return { ok: false, verdict: { status: "skip", message: `The state machine ${f.machineName} does not exist, so its definition cannot be judged` } };
  const v = validateDefinition(f.definition);
  if (!v.ok) return { ok: false, verdict: { status: "skip", message: `The definition of ${f.machineName} is not valid ASL, so this cannot be judged` } };
  return { ok: true, def: v.definition };
}

export function decideDefinitionValid(f: WorkflowFacts): Verdict {
  if (f.definition === undefined) return { status: "skip", message: `The state machine ${f.machineName} does not exist, so its definition cannot be judged` };
  const v = validateDefinition(f.definition);
  if (!v.ok) return { status: "fail", message: `The definition of ${f.machineName} is not valid: ${v.error}`, hint: "Fix the places the message points at (the location is a JSON pointer into the definition) and update the state machine", found: v.diagnostics };
  return { status: "pass", message: `The definition of ${f.machineName} is valid Amazon States Language` };
}

export function decideDependencies(f: WorkflowFacts): Verdict {
  const missing = [...f.missingFunctions.map((n) => `function ${n}`), ...f.missingTopics.map((n) => `topic ${n}`)];
  if (missing.length > 0) {
    return { status: "fail", message: `The state machine ${f.machineName} calls resources that do not exist: ${missing.join(", ")}`, hint: "Deploy the five Lambda functions and create the two SNS topics before the state machine can run", found: missing };
  }
  return { status: "pass", message: `The five functions and two topics ${f.machineName} uses all exist` };
}

const fnTasks = (def: StatesContainer, fn: string) => findTasks(def, { lambda: fn });

export function decideValidationTask(def: StateMachineDefinition, n: WorkflowNames, machine: string): Verdict {
  const tasks = fnTasks(def, n.validate);
  if (tasks.length === 0) {
    return { status: "fail", message: `No Task in ${machine} calls the Lambda function ${n.validate}`, hint: `Start the workflow with a Task whose Resource is the ARN of ${n.validate}`, found: listStates(def).map((s) => `${s.name} (${s.type})`) };
  }
  return { status: "pass", message: `The Task ${tasks[0]?.name} of ${machine} validates orders with ${n.validate}` };
}

export function decideValidationRetry(def: StateMachineDefinition, n: WorkflowNames, machine: string): Verdict {
  const task = fnTasks(def, n.validate)[0];
  if (!task) return { status: "skip", message: `No Task in ${machine} calls ${n.validate}, so its Retry cannot be judged` };
  const retry = task.state.Retry;
  if (!Array.isArray(retry) || retry.length === 0) {
    return { status: "fail", message: `The validation Task ${task.name} of ${machine} has no Retry`, hint: "Add a Retry for transient Lambda errors (Lambda.ServiceException, Lambda.TooManyRequestsException...) with IntervalSeconds, MaxAttempts and BackoffRate", found: null };
  }
  return { status: "pass", message: `The validation Task ${task.name} of ${machine} has ${retry.length} retrier${retry.length === 1 ? "" : "s"}`, found: retry };
}

/** States reachable from `start` (names are unique across a whole state machine). */
function reachableFrom(def: StatesContainer, start: string): string[] {
  const byName = new Map(listStates(def).map((s) => [s.name, s.state]));
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    const state = byName.get(name);
    if (seen.has(name) || !state) continue;
    seen.add(name);
    for (const t of transitionsOf(state)) if (typeof t.target === "string") queue.push(t.target);
  }
  return [...seen];
}

const publishesTo = (topicArn: string | undefined, topic: string): boolean => topicArn !== undefined && (topicArn === topic || topicArn.endsWith(`:${topic}`));

export function decideValidationCatch(def: StateMachineDefinition, n: WorkflowNames, machine: string): Verdict {
  const task = fnTasks(def, n.validate)[0];
  if (!task) return { status: "skip", message: `No Task in ${machine} calls ${n.validate}, so its Catch cannot be judged` };
  const h = errorHandling(task.state, "ValidationError");
  if (!h.caught || !h.catcher) {
    return {
      status: "fail",
      message: `The validation Task ${task.name} of ${machine} does not catch ValidationError, so a bad order fails the execution without a failure notice`,
      hint: `Add a Catch with "ErrorEquals": ["ValidationError"], "ResultPath": "$.error" and a Next that publishes to ${n.failures}`,
      found: task.state.Catch ?? null,
    };
  }
  const reach = reachableFrom(def, h.catcher.next);
  const publishers = findTasks(def, { service: "sns", action: "publish" }).filter((t) => reach.includes(t.name));
  if (!publishers.some((t) => publishesTo(snsTopicArn(t.state), n.failures))) {
    return {
      status: "fail",
      message: `The Catch for ValidationError in ${task.name} leads to ${h.catcher.next}, from where no sns:publish to ${n.failures} follows`,
      hint: `From the Catch's Next, publish the failure with arn:aws:states:::sns:publish and a TopicArn naming ${n.failures}`,
      found: { next: h.catcher.next, reachable: reach },
    };
  }
  return { status: "pass", message: `A ValidationError in ${task.name} is caught and leads to a notification on ${n.failures}`, found: { next: h.catcher.next } };
}

export function decideParallel(def: StateMachineDefinition, n: WorkflowNames, machine: string): Verdict {
  const parallels = statesOfType(def, "Parallel");
  for (const p of parallels) {
    const branches = Array.isArray(p.state.Branches) ? (p.state.Branches as StatesContainer[]) : [];
    const inv = branches.findIndex((b) => fnTasks(b, n.inventory).length > 0);
    const pay = branches.findIndex((b) => fnTasks(b, n.payment).length > 0);
    if (inv >= 0 && pay >= 0 && inv !== pay) {
      return { status: "pass", message: `The Parallel state ${p.name} of ${machine} runs ${n.inventory} and ${n.payment} in separate branches` };
    }
  }
  return {
    status: "fail",
    message: parallels.length === 0 ? `${machine} has no Parallel state` : `No Parallel state of ${machine} calls ${n.inventory} and ${n.payment} in separate branches`,
    hint: `Check stock and funds at the same time: a Parallel state with one branch calling ${n.inventory} and another calling ${n.payment}, and a ResultPath such as $.checks`,
    found: parallels.map((p) => p.name),
  };
}

function rulesReading(rules: ChoiceRuleInfo[], path: string): boolean {
  return rules.some((r) => r.variable === path || (r.rules !== undefined && rulesReading(r.rules, path)));
}

export function decideChoice(def: StateMachineDefinition, machine: string): Verdict {
  const path = "$.order.isPremium";
  const choices = statesOfType(def, "Choice");
  const hit = choices.find((c) => rulesReading(choiceRules(c.state).rules, path));
  if (!hit) {
    return {
      status: "fail",
      message: choices.length === 0 ? `${machine} has no Choice state` : `No Choice state of ${machine} tests ${path}`,
      hint: `Add a Choice with a rule on "Variable": "${path}" ("BooleanEquals": true) leading to express shipping, and a Default leading to standard shipping`,
      found: choices.map((c) => c.name),
    };
  }
  return { status: "pass", message: `The Choice state ${hit.name} of ${machine} tests ${path}` };
}

export function decideShipping(def: StateMachineDefinition, n: WorkflowNames, machine: string): Verdict {
  const missing = [n.express, n.standard].filter((fn) => fnTasks(def, fn).length === 0);
  if (missing.length > 0) {
    return { status: "fail", message: `No Task in ${machine} calls ${missing.join(" or ")}`, hint: `Give each shipping service its own Task: ${n.express} for premium orders and ${n.standard} for the rest`, found: missing };
  }
  return { status: "pass", message: `${machine} has Tasks for both ${n.express} and ${n.standard}` };
}

export function decideWait(def: StateMachineDefinition, machine: string): Verdict {
  const waits = statesOfType(def, "Wait");
  if (waits.length === 0) return { status: "fail", message: `${machine} has no Wait state`, hint: "Add a Wait state (for example \"Seconds\": 5) between shipping and the customer notification", found: null };
  return { status: "pass", message: `${machine} waits in the state ${waits[0]?.name}` };
}

export function decideNotification(def: StateMachineDefinition, n: WorkflowNames, machine: string): Verdict {
  const pubs = findTasks(def, { service: "sns", action: "publish" });
  const hit = pubs.find((t) => publishesTo(snsTopicArn(t.state), n.notifications));
  if (!hit) {
    return {
      status: "fail",
      message: `No sns:publish Task in ${machine} names the topic ${n.notifications}`,
      hint: `Notify the customer with a Task whose Resource is arn:aws:states:::sns:publish and whose Parameters give TopicArn the ARN of ${n.notifications}`,
      found: pubs.map((t) => snsTopicArn(t.state) ?? t.name),
    };
  }
  return { status: "pass", message: `The Task ${hit.name} of ${machine} publishes to ${n.notifications}` };
}

/** Every ARN a Task names must point at this account and region, with no ${...} token left. */
export function decideArnsResolved(def: StateMachineDefinition, machineArn: string, machine: string): Verdict {
  const home = parseArn(machineArn);
  const bad: string[] = [];
  for (const t of findTasks(def)) {
    const params = (typeof t.state.Parameters === "object" && t.state.Parameters !== null ? t.state.Parameters : {}) as Record<string, unknown>;
    for (const arn of [t.state.Resource, params.FunctionName, params.TopicArn]) {
      if (typeof arn !== "string" || !arn.startsWith("arn:")) continue;
      const a = parseArn(arn);
      if (arn.includes("${") || (a && a.region !== "" && home && (a.region !== home.region || a.account !== home.account))) bad.push(arn);
    }
  }
  if (bad.length > 0) {
    return {
      status: "fail",
      message: `${machine} names ARNs that are not in this account and region: ${[...new Set(bad)].join(", ")}`,
      hint: "Replace every ${Region} and ${AccountId} token in the definition with your region and account id (sed does it in one line), then update the state machine",
      found: [...new Set(bad)],
    };
  }
  return { status: "pass", message: `Every ARN in ${machine} names a resource in this account and region` };
}

function failedRun(sim: Simulation): string {
  return `the simulated execution ended ${sim.status}${sim.error ? ` with ${sim.error}` : ""}${sim.cause ? `: ${sim.cause}` : ""}`;
}

function pathHint(sim: Simulation): string {
  if (/\$\.order|isPremium|Invalid path/i.test(sim.cause ?? "")) {
    return "The Choice cannot find $.order.isPremium: a state before it replaced the order with its own result. Give the Parallel state a ResultPath such as $.checks (and each Task one such as $.shipment), then update the state machine";
  }
  return "Follow the states the order goes through in the console's graph or the execution history, and fix the state where it goes wrong";
}

export function decideRunPath(sim: Simulation, kind: "premium" | "standard", n: WorkflowNames, machine: string): Verdict {
  const want = kind === "premium" ? n.express : n.standard;
  const avoid = kind === "premium" ? n.standard : n.express;
  const order = kind === "premium" ? "a premium order" : "a standard order";
  const found = { status: sim.status, called: sim.called, published: sim.published.map((p) => p.topicArn) };
  if (sim.status !== "SUCCEEDED") {
    return { status: "fail", message: `Run with ${order}, ${machine} did not succeed: ${failedRun(sim)}`, hint: pathHint(sim), expected: { status: "SUCCEEDED", calls: want }, found };
  }
  if (!sim.called.includes(want) || sim.called.includes(avoid)) {
    return {
      status: "fail",
      message: `Run with ${order}, ${machine} called ${sim.called.join(", ") || "no functions"}, not ${want} alone for shipping`,
      hint: `Premium orders ($.order.isPremium true) go to ${n.express}, every other order to ${n.standard}: check the Choice's rule and Default`,
      expected: { calls: want, notCalls: avoid },
      found,
    };
  }
  if (!sim.published.some((p) => publishesTo(p.topicArn, n.notifications))) {
    return { status: "fail", message: `Run with ${order}, ${machine} shipped with ${want} but published nothing to ${n.notifications}`, hint: `End the successful path with an sns:publish to ${n.notifications}`, found };
  }
  return { status: "pass", message: `Run with ${order}, ${machine} ships with ${want}, notifies ${n.notifications} and succeeds`, found };
}

export function decideRunValidationError(sim: Simulation, n: WorkflowNames, machine: string): Verdict {
  const found = { status: sim.status, called: sim.called, published: sim.published.map((p) => p.topicArn) };
  const failure = sim.published.find((p) => publishesTo(p.topicArn, n.failures));
  if (!failure) {
    return {
      status: "fail",
      message: `Run with an order that fails validation, ${machine} published nothing to ${n.failures} (${failedRun(sim)})`,
      hint: `Catch ValidationError on the validation Task and go on to an sns:publish to ${n.failures}`,
      found,
    };
  }
  if (sim.called.includes(n.express) || sim.called.includes(n.standard)) {
    return { status: "fail", message: `Run with an order that fails validation, ${machine} still shipped it`, hint: "A caught ValidationError must lead to the failure notification, not on to shipping", found };
  }
  if (!containsValue(failure.parameters, INVALID_ORDER.order)) {
    return {
      status: "fail",
      message: `Run with an order that fails validation, ${machine} notified ${n.failures}, but the notice no longer carries the order`,
      hint: "Without a ResultPath, a Catch replaces the whole input with the error: give the Catch \"ResultPath\": \"$.error\" so the order travels on beside it, and publish the whole state (\"Message.$\": \"$\")",
      expected: { order: INVALID_ORDER.order },
      found: failure.parameters,
    };
  }
  return { status: "pass", message: `Run with an order that fails validation, ${machine} notifies ${n.failures} with the order and does not ship it`, found };
}

export function decideKeepsOrderId(runs: Simulation[], inputs: { orderId: string }[], n: WorkflowNames, machine: string): Verdict {
  for (const [i, sim] of runs.entries()) {
    const orderId = inputs[i]?.orderId ?? "";
    if (sim.status !== "SUCCEEDED") {
      return { status: "skip", message: `A simulated run of ${machine} did not succeed, so whether orderId reaches the end cannot be judged` };
    }
    const out = sim.output;
    const kept = typeof out === "object" && out !== null && (out as Record<string, unknown>).orderId === orderId;
    const notice = sim.published.find((p) => publishesTo(p.topicArn, n.notifications));
    if (!kept || (notice && !containsValue(notice.parameters, orderId))) {
      return {
        status: "fail",
        message: `The order ${orderId} lost its orderId on the way through ${machine}${kept ? ` before the notification to ${n.notifications}` : ": the final output has none"}`,
        hint: "Each Task's result replaces the state's input unless it has a ResultPath: store results beside the order ($.checks, $.shipment, $.notification) so orderId survives to the end",
        expected: { orderId },
        found: out,
      };
    }
  }
  return { status: "pass", message: `The orderId survives every state of ${machine}, in the output and in the notification` };
}

export async function simulateAll(def: StateMachineDefinition, n: WorkflowNames, machineArn: string): Promise<Simulations> {
  const [premium, standard, invalid] = await Promise.all([
    simulate(def, PREMIUM_ORDER, n, machineArn),
    simulate(def, STANDARD_ORDER, n, machineArn),
    simulate(def, INVALID_ORDER, n, machineArn),
  ]);
  return { premium, standard, invalid };
}

async function collect(ctx: CheckContext): Promise<WorkflowFacts> {
  const r = ctx.step.resources;
  const machineName = named(r.stateMachine, "stateMachine");
  const names = namesFrom(named(r.functions, "functions"), named(r.topics, "topics"));
  const machineArn = await arnFor(ctx, "states", `stateMachine:${machineName}`);
  const topics = [names.notifications, names.failures];
  const functions = [names.validate, names.inventory, names.payment, names.express, names.standard];
  const [described, fnFound, topicFound] = await Promise.all([
    unlessNotFound(ctx.clients.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn }))),
    lambdaFunctions(ctx),
    Promise.all(topics.map((t) => findTopicArn(ctx, t))),
  ]);
  return {
    machineName,
    machineArn,
    definition: described?.definition,
    names,
    missingFunctions: functions.filter((fn) => !fnFound.has(fn)),
    missingTopics: topics.filter((_, i) => topicFound[i] === undefined),
  };
}

async function run(ctx: CheckContext): Promise<CheckResult[]> {
  const machine = ctx.step.resources.stateMachine ?? "(unnamed)";
  const facts = collect(ctx);
  facts.catch(() => undefined);
  const parsed = facts.then(parseWorkflow);
  parsed.catch(() => undefined);
  const sims = parsed.then(async (p) => (p.ok ? simulateAll(p.def, (await facts).names, (await facts).machineArn) : undefined));
  sims.catch(() => undefined);
  const meta = (id: string, title: string, docs: string) => ({ id: `step5.${id}`, title, resource: `state machine ${machine}`, docs });

  /** A structural check: judged on the validated definition, skipped without one. */
  const structural = (id: string, title: string, docs: string, decide: (def: StateMachineDefinition, f: WorkflowFacts) => Verdict) =>
    runCheck(meta(id, title, docs), async () => {
      const p = await parsed;
      return p.ok ? decide(p.def, await facts) : p.verdict;
    });
  const simulated = (id: string, title: string, docs: string, decide: (s: Simulations, f: WorkflowFacts) => Verdict) =>
    runCheck(meta(id, title, docs), async () => {
      const [p, s] = await Promise.all([parsed, sims]);
      return p.ok && s ? decide(s, await facts) : (p as Extract<Parsed, { ok: false }>).verdict;
    });

  return Promise.all([
    runCheck(meta("state-machine-exists", `State machine ${machine} exists`, DOCS_WORKFLOW), async () => decideMachineExists(await facts)),
    runCheck(meta("definition-valid", "The definition is valid ASL", DOCS_STATES), async () => decideDefinitionValid(await facts)),
    runCheck(meta("dependencies-exist", "The functions and topics it calls exist", DOCS_WORKFLOW), async () => decideDependencies(await facts)),
    structural("arns-resolved", "Its ARNs name this account and region", DOCS_WORKFLOW, (d, f) => decideArnsResolved(d, f.machineArn, machine)),
    structural("validation-task", "A Task validates the order", DOCS_WORKFLOW, (d, f) => decideValidationTask(d, f.names, machine)),
    structural("validation-retry", "Validation retries transient errors", DOCS_ERRORS, (d, f) => decideValidationRetry(d, f.names, machine)),
    structural("validation-catch", "A ValidationError leads to a failure notification", DOCS_ERRORS, (d, f) => decideValidationCatch(d, f.names, machine)),
    structural("parallel-checks", "Stock and payment are checked in parallel", DOCS_STATES, (d, f) => decideParallel(d, f.names, machine)),
    structural("choice-premium", "A Choice tests $.order.isPremium", DOCS_STATES, (d) => decideChoice(d, machine)),
    structural("shipping-tasks", "Express and standard shipping Tasks", DOCS_WORKFLOW, (d, f) => decideShipping(d, f.names, machine)),
    structural("wait", "A Wait state before notifying", DOCS_STATES, (d) => decideWait(d, machine)),
    structural("notification", "An sns:publish notifies the customer", DOCS_WORKFLOW, (d, f) => decideNotification(d, f.names, machine)),
    simulated("run-premium", "A premium order ships express", DOCS_DATA, (s, f) => decideRunPath(s.premium, "premium", f.names, machine)),
    simulated("run-standard", "A standard order ships standard", DOCS_DATA, (s, f) => decideRunPath(s.standard, "standard", f.names, machine)),
    simulated("run-validation-error", "A ValidationError notifies failures with the order", DOCS_ERRORS, (s, f) => decideRunValidationError(s.invalid, f.names, machine)),
    simulated("keeps-order-id", "orderId survives to the end", DOCS_DATA, (s, f) => decideKeepsOrderId([s.premium, s.standard], [PREMIUM_ORDER, STANDARD_ORDER], f.names, machine)),
  ]);
}

export const step5: StepChecker = {
  step: 5,
  slug: "step-functions",
  actions: ["sts:GetCallerIdentity", "states:DescribeStateMachine", "lambda:ListFunctions", "sns:ListTopics"],
  run,
};
