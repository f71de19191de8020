// The one way Step Functions turns a reference from a request into a resource: every operation
// that names a state machine, an execution or a role goes through here.
//
// AWS's rule: Step Functions has no resource-based policies, so another account's state machine
// or execution is never reachable through the API ("because no resource-based policy allows the
// states:… action"; docs: IAM "AWS services that work with IAM", Step Functions: resource-based
// policies No). A role passed to CreateStateMachine/UpdateStateMachine must be in the caller's
// account ("Cross-account pass role is not allowed", iam:PassRole). The partition, region and
// account parts of an ARN are checked against AWS's grammar before anything is looked up.
import type { RequestContext } from "@/sandbox/core/contracts";
import { isAccountId, isRegion, parseRoleArn, PARTITION_PATTERN } from "@/sandbox/core/aws-names";
import {
  crossAccountPassRole, executionDoesNotExist, invalidResourceArn, invalidRoleArn, missingMember, notAuthorized,
  stateMachineDoesNotExist,
} from "./errors";
import type { ExecutionRecord, StateMachineRecord, StatesModel } from "./models";

const PARTITION = new RegExp(`^${PARTITION_PATTERN}$`);
/**
 * Step Functions' name rule for state machines and executions: no whitespace, brackets,
 * wildcards, these punctuation marks or control characters (length is checked where names are made).
 */
export const NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]+$/;

export interface MachineRef {
  arn: string;
  region: string;
  accountId: string;
  name: string;
}

export interface ExecutionRef extends MachineRef {
  execution: string;
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function required(value: unknown, member: string): string {
  const text = str(value);
  if (text === undefined) throw missingMember(member);
  return text;
}

/** The caller as IAM names it in AccessDenied messages. */
function callerArn(ctx: RequestContext): string {
  return ctx.principal.kind === "service" ? ctx.principal.service : ctx.principal.arn;
}

/**
 * Splits a Step Functions ARN into region, account and the resource parts, checking the grammar.
 * `kinds` are the resource types the operation accepts (stateMachine; execution and express).
 */
function parse(text: string, kinds: readonly string[]): { region: string; accountId: string; rest: string[] } {
  const bad = () => invalidResourceArn(text);
  const parts = text.split(":");
  if (parts.length < 7 || parts[0] !== "arn" || parts[2] !== "states") throw bad();
  const [, partition, , region, accountId, kind, ...rest] = parts as [string, string, string, string, string, string, ...string[]];
  if (!PARTITION.test(partition) || !isRegion(region) || !isAccountId(accountId) || !kinds.includes(kind)) throw bad();
  if (rest.some((p) => !NAME.test(p))) throw bad();
  return { region, accountId, rest };
}

/**
 * Another account's resource is refused as AWS refuses it; another region of the caller's own
 * account simply does not hold it (the regional service answers "does not exist").
 */
function checkOwner(ref: { accountId: string }, arn: string, action: string, ctx: RequestContext): void {
  if (ref.accountId !== ctx.accountId) {
    throw notAuthorized(callerArn(ctx), action, arn);
  }
}

/** A state machine ARN of the caller's account, parsed; the machine itself may not exist. */
export function machineRef(value: unknown, action: string, ctx: RequestContext, member = "stateMachineArn"): MachineRef {
  const arn = required(value, member);
  const { region, accountId, rest } = parse(arn, ["stateMachine"]);
  // A version or alias ARN (name:1, name:prod) names no machine the sandbox keeps.
  if (rest.length !== 1) throw stateMachineDoesNotExist(arn);
  const ref = { arn, region, accountId, name: rest[0] as string };
  checkOwner(ref, arn, action, ctx);
  return ref;
}

/** The caller's state machine the ARN names, or StateMachineDoesNotExist. */
export function resolveMachine(model: StatesModel, value: unknown, action: string, ctx: RequestContext): StateMachineRecord {
  const ref = machineRef(value, action, ctx);
  const machine = ref.region === ctx.region ? model.machine(ref.accountId, ref.region, ref.name) : undefined;
  if (!machine) throw stateMachineDoesNotExist(ref.arn);
  return machine;
}

/** The caller's execution the ARN names, or ExecutionDoesNotExist. */
export function resolveExecution(model: StatesModel, value: unknown, action: string, ctx: RequestContext): ExecutionRecord {
  const arn = required(value, "executionArn");
  const { region, accountId, rest } = parse(arn, ["execution", "express"]);
  if (rest.length !== 2) throw invalidResourceArn(arn);
  checkOwner({ accountId }, arn, action, ctx);
  const record = region === ctx.region ? model.execution(accountId, region, rest[0] as string, rest[1] as string) : undefined;
  if (!record) throw executionDoesNotExist(arn);
  return record;
}

/** A role handed to Step Functions to act with: well formed, and in the caller's own account. */
export function passedRole(value: unknown, ctx: RequestContext): string {
  if (value === undefined || value === null) required(value, "roleArn");
  const role = parseRoleArn(value);
  if (!role) throw invalidRoleArn(String(value));
  if (role.accountId !== ctx.accountId) throw crossAccountPassRole();
  return role.arn;
}

/** The ARN an operation acts on, for the core's IAM check of assumed-role callers; never throws. */
export function iamResource(operation: string, input: Record<string, unknown>, ctx: RequestContext): string {
  switch (operation) {
    case "CreateStateMachine":
      return `arn:aws:states:${ctx.region}:${ctx.accountId}:stateMachine:${String(input.name ?? "")}`;
    case "ListStateMachines":
      return "*";
    case "DescribeExecution":
    case "StopExecution":
    case "GetExecutionHistory":
      return str(input.executionArn) ?? "*";
    default:
      return str(input.stateMachineArn) ?? "*";
  }
}
