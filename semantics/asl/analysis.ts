import type { StateDefinition, StateMachineDefinition, StatesContainer } from "./types";
import { errorEqualsMatches } from "./errors";
import { ruleOperator } from "./choice";
import { retrierSettings } from "./retry";

/**
 * Questions checkers ask about a (validated) definition: which states of a type exist
 * (Parallel branches and Map processors included), what is reachable, which errors a
 * Retry or Catch covers, the branches of a Parallel, the rules of a Choice, and which
 * Tasks call a given Lambda function or service integration.
 */

export interface StateRef {
  name: string;
  type: string;
  state: StateDefinition;
  /** JSON pointer of the state, e.g. /States/ReserveStockAndFunds/Branches[0]/States/CountStock. */
  location: string;
  /** Pointer of the StartAt/States container holding it ("" for the machine itself). */
  container: string;
}

const MAX_NESTING = 40;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The containers nested directly in a state: Parallel branches, a Map's processor. */
export function childContainers(state: StateDefinition, location: string): { container: StatesContainer; location: string }[] {
  const out: { container: StatesContainer; location: string }[] = [];
  if (!isRecord(state)) return out;
  if (state.Type === "Parallel" && Array.isArray(state.Branches)) {
    state.Branches.forEach((b, i) => {
      if (isRecord(b) && isRecord(b.States)) out.push({ container: b as unknown as StatesContainer, location: `${location}/Branches[${i}]` });
    });
  }
  if (state.Type === "Map") {
    for (const field of ["ItemProcessor", "Iterator"] as const) {
      const p = state[field];
      if (isRecord(p) && isRecord(p.States)) out.push({ container: p as unknown as StatesContainer, location: `${location}/${field}` });
    }
  }
  return out;
}

/** Every state in the definition, depth first, in definition order. */
export function listStates(definition: StatesContainer): StateRef[] {
  const out: StateRef[] = [];
  if (!isRecord(definition)) return out;
  const walk = (container: StatesContainer, at: string, depth: number): void => {
    if (depth > MAX_NESTING || !isRecord(container.States)) return;
    for (const [name, state] of Object.entries(container.States)) {
      if (!isRecord(state)) continue;
      const location = `${at}/States/${name}`;
      out.push({ name, type: String(state.Type), state, location, container: at });
      for (const child of childContainers(state, location)) walk(child.container, child.location, depth + 1);
    }
  };
  walk(definition, "", 0);
  return out;
}

export function statesOfType(definition: StatesContainer, type: string): StateRef[] {
  return listStates(definition).filter((s) => s.type === type);
}

export function statesByType(definition: StatesContainer): Record<string, StateRef[]> {
  const out: Record<string, StateRef[]> = {};
  for (const s of listStates(definition)) (out[s.type] ??= []).push(s);
  return out;
}

export function findState(definition: StatesContainer, name: string): StateRef | undefined {
  return listStates(definition).find((s) => s.name === name);
}

export interface Transition {
  /** Where the target is written, relative to the state: "Next", "Default", "Choices[0]/Next", "Catch[1]/Next". */
  field: string;
  target: unknown;
}

export function transitionsOf(state: StateDefinition): Transition[] {
  const out: Transition[] = [];
  if (!isRecord(state)) return out;
  if (state.Next !== undefined) out.push({ field: "Next", target: state.Next });
  if (state.Type === "Choice") {
    if (Array.isArray(state.Choices)) {
      state.Choices.forEach((c, i) => {
        if (isRecord(c) && c.Next !== undefined) out.push({ field: `Choices[${i}]/Next`, target: c.Next });
      });
    }
    if (state.Default !== undefined) out.push({ field: "Default", target: state.Default });
  }
  if (Array.isArray(state.Catch)) {
    state.Catch.forEach((c, i) => {
      if (isRecord(c) && c.Next !== undefined) out.push({ field: `Catch[${i}]/Next`, target: c.Next });
    });
  }
  return out;
}

/** States reachable from StartAt within one container (not descending into branches). */
export function reachableStates(container: StatesContainer): Set<string> {
  const seen = new Set<string>();
  if (!isRecord(container)) return seen;
  const states = isRecord(container.States) ? container.States : {};
  const queue = typeof container.StartAt === "string" ? [container.StartAt] : [];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (seen.has(name) || !isRecord(states[name])) continue;
    seen.add(name);
    for (const t of transitionsOf(states[name] as StateDefinition)) if (typeof t.target === "string") queue.push(t.target);
  }
  return seen;
}

/** Names of states in a container that StartAt never leads to. */
export function unreachableStates(container: StatesContainer): string[] {
  const reachable = reachableStates(container);
  return Object.keys(isRecord(container) && isRecord(container.States) ? container.States : {}).filter((n) => !reachable.has(n));
}

export function isTerminal(state: StateDefinition): boolean {
  return isRecord(state) && state.Type === "Succeed" || state.Type === "Fail" || state.End === true;
}

export interface ErrorHandling {
  /** The first retrier whose ErrorEquals matches, as Step Functions picks it. */
  retrier?: { index: number; maxAttempts: number; intervalSeconds: number; backoffRate: number; maxDelaySeconds?: number };
  /** Retried at least once (a matching retrier with MaxAttempts 0 means never). */
  retried: boolean;
  catcher?: { index: number; next: string; resultPath: unknown };
  caught: boolean;
}

/** How a Task, Parallel or Map handles an error of this name. */
export function errorHandling(state: StateDefinition, errorName: string): ErrorHandling {
  if (!isRecord(state)) return { retried: false, caught: false };
  const retriers = Array.isArray(state.Retry) ? state.Retry.filter(isRecord) : [];
  const catchers = Array.isArray(state.Catch) ? state.Catch.filter(isRecord) : [];
  const out: ErrorHandling = { retried: false, caught: false };
  const ri = retriers.findIndex((r) => Array.isArray(r.ErrorEquals) && errorEqualsMatches(r.ErrorEquals, errorName));
  const r = retriers[ri];
  if (r) {
    const settings = retrierSettings(r);
    out.retrier = { index: ri, ...settings };
    out.retried = settings.maxAttempts > 0;
  }
  const ci = catchers.findIndex((c) => Array.isArray(c.ErrorEquals) && errorEqualsMatches(c.ErrorEquals, errorName));
  const c = catchers[ci];
  if (c) {
    out.catcher = { index: ci, next: String(c.Next), resultPath: "ResultPath" in c ? c.ResultPath : "$" };
    out.caught = true;
  }
  return out;
}

export interface BranchInfo {
  index: number;
  startAt: string;
  states: string[];
}

export function parallelBranches(state: StateDefinition): BranchInfo[] {
  if (!isRecord(state) || state.Type !== "Parallel" || !Array.isArray(state.Branches)) return [];
  return state.Branches.filter(isRecord).map((b, index) => ({
    index,
    startAt: String(b.StartAt),
    states: Object.keys(isRecord(b.States) ? b.States : {}),
  }));
}

export interface ChoiceRuleInfo {
  index: number;
  /** "And"/"Or"/"Not" for compound rules, whose parts are in `rules`. */
  operator: string;
  variable?: string;
  value?: unknown;
  rules?: ChoiceRuleInfo[];
  next?: string;
}

function describeRule(rule: Record<string, unknown>, index: number): ChoiceRuleInfo {
  const operator = ruleOperator(rule) ?? "Unknown";
  const info: ChoiceRuleInfo = { index, operator };
  if (typeof rule.Next === "string") info.next = rule.Next;
  if (operator === "And" || operator === "Or") {
    info.rules = (Array.isArray(rule[operator]) ? (rule[operator] as unknown[]) : []).filter(isRecord).map(describeRule);
  } else if (operator === "Not") {
    info.rules = isRecord(rule.Not) ? [describeRule(rule.Not, 0)] : [];
  } else {
    if (typeof rule.Variable === "string") info.variable = rule.Variable;
    info.value = rule[operator];
  }
  return info;
}

export function choiceRules(state: StateDefinition): { rules: ChoiceRuleInfo[]; default?: string } {
  if (!isRecord(state) || state.Type !== "Choice") return { rules: [] };
  const rules = (Array.isArray(state.Choices) ? state.Choices : []).filter(isRecord).map(describeRule);
  return typeof state.Default === "string" ? { rules, default: state.Default } : { rules };
}

export interface TaskTarget {
  resource: string;
  /** "lambda" for a Lambda ARN or lambda:invoke, else the service of an integration ("sns", "sqs"...), or "activity". */
  kind: string;
  /** The integration's action, e.g. "publish" for arn:aws:states:::sns:publish. */
  action?: string;
  lambdaFunctionName?: string;
}

/** The function name in a Lambda ARN, a partial ARN (123:function:name) or a bare name, without version or alias. */
export function lambdaFunctionName(ref: string): string {
  const m = /(?:^|:)function:([^:]+)/.exec(ref);
  return m?.[1] ?? ref.split(":")[0] ?? ref;
}

export function taskTarget(state: StateDefinition): TaskTarget {
  const resource = isRecord(state) && typeof state.Resource === "string" ? state.Resource : "";
  if (/^arn:[^:]+:lambda:[^:]*:[^:]*:function:/.test(resource)) {
    return { resource, kind: "lambda", lambdaFunctionName: lambdaFunctionName(resource) };
  }
  const m = /^arn:[^:]+:states:::([^:]+):([^.]+)(\..+)?$/.exec(resource);
  if (m) {
    const service = m[1] ?? "";
    const action = m[2] ?? "";
    if (service === "lambda" && action === "invoke") {
      const params = isRecord(state.Parameters) ? state.Parameters : {};
      const fn = params.FunctionName;
      return typeof fn === "string"
        ? { resource, kind: "lambda", action, lambdaFunctionName: lambdaFunctionName(fn) }
        : { resource, kind: "lambda", action };
    }
    return { resource, kind: service, action };
  }
  return { resource, kind: /:activity:/.test(resource) ? "activity" : "unknown" };
}

export interface TaskRef extends StateRef {
  target: TaskTarget;
}

/**
 * Tasks calling what a checker looks for: `{ lambda: "validate-order" }` or
 * `{ service: "sns", action: "publish" }`; no filter lists every Task.
 */
export function findTasks(definition: StatesContainer, filter: { lambda?: string; service?: string; action?: string } = {}): TaskRef[] {
  return statesOfType(definition, "Task")
    .map((s) => ({ ...s, target: taskTarget(s.state) }))
    .filter(({ target }) => {
      if (filter.lambda !== undefined && target.lambdaFunctionName !== filter.lambda) return false;
      if (filter.service !== undefined && target.kind !== filter.service) return false;
      if (filter.action !== undefined && target.action?.toLowerCase() !== filter.action.toLowerCase()) return false;
      return true;
    });
}

/** The SNS topic an sns:publish Task sends to, when written literally. */
export function snsTopicArn(state: StateDefinition): string | undefined {
  const params = isRecord(state) && isRecord(state.Parameters) ? state.Parameters : {};
  return typeof params.TopicArn === "string" ? params.TopicArn : undefined;
}

export type { StateMachineDefinition };
