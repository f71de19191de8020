// Step Functions: state machines and executions are named by ARN; another account's are
// AccessDenied (the victim shares nothing), an ARN of the caller's own account with the victim's
// name names nothing; roles are passed only from the caller's own account.
import * as sfn from "@aws-sdk/client-sfn";
import * as iam from "@aws-sdk/client-iam";
import type { Attempt, Env, IsolationTable, Outcome } from "./support";
import { OTHER_REGION, REGION } from "./support";

interface Victim {
  machineArn: string;
  executionArn: string;
  roleArn: string;
  attackerMachineArn: string;
}

const DENIED = "AccessDeniedException";
const TRUST = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "states.amazonaws.com" }, Action: "sts:AssumeRole" }] });
const WAIT = JSON.stringify({ StartAt: "Wait", States: { Wait: { Type: "Wait", Seconds: 3600, End: true } } });
const PASS = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });

/** Succeeds without effect (the snapshot shows there was none), or says the machine does not exist. */
const idempotent = (o: Outcome) => (o.ok || o.name === "StateMachineDoesNotExist" ? undefined : `answered ${o.name}: ${o.message}`);

function byMachine(v: Victim, env: Env, extra: Record<string, unknown> = {}): Attempt[] {
  const own = `arn:aws:states:${REGION}:${env.attacker.accountId}:stateMachine:victim-machine`;
  return [
    { label: "by ARN", input: { stateMachineArn: v.machineArn, ...extra }, expect: DENIED },
    { label: "by the victim's name in the caller's account", input: { stateMachineArn: own, ...extra }, expect: "StateMachineDoesNotExist" },
    { label: "by ARN, signed for another region", region: OTHER_REGION, input: { stateMachineArn: v.machineArn, ...extra }, expect: [DENIED, "InvalidArn", "StateMachineDoesNotExist"] },
  ];
}

function byExecution(v: Victim, env: Env): Attempt[] {
  const own = v.executionArn.replace(`:${env.victim.accountId}:`, `:${env.attacker.accountId}:`);
  return [
    { label: "by ARN", input: { executionArn: v.executionArn }, expect: DENIED },
    { label: "by the victim's names in the caller's account", input: { executionArn: own }, expect: "ExecutionDoesNotExist" },
    { label: "by ARN, signed for another region", region: OTHER_REGION, input: { executionArn: v.executionArn }, expect: [DENIED, "InvalidArn", "ExecutionDoesNotExist"] },
  ];
}

async function role(env: Env, who: "victim" | "attacker"): Promise<string> {
  const c = new iam.IAMClient(env.sb.clientConfig(env[who]));
  try {
    return (await c.send(new iam.CreateRoleCommand({ RoleName: `${who}-workflow-role`, AssumeRolePolicyDocument: TRUST }))).Role!.Arn!;
  } finally {
    c.destroy();
  }
}

export const statesTable: IsolationTable<Victim> = {
  service: "states",
  // StartSyncExecution's "sync-" host prefix would rename the sandbox's host.
  newClient: (config) => new sfn.SFNClient({ ...config, disableHostPrefix: true }),
  commands: sfn,
  signatureError: "InvalidSignatureException",

  async setup(env) {
    const roleArn = await role(env, "victim");
    const attackerRole = await role(env, "attacker");
    const c = env.client(env.victim);
    const machineArn = (await env.send(c, "CreateStateMachine", { name: "victim-machine", definition: WAIT, roleArn })).stateMachineArn as string;
    const executionArn = (await env.send(c, "StartExecution", { stateMachineArn: machineArn, name: "victim-run", input: '{"secret":"victim"}' })).executionArn as string;
    const a = env.client(env.attacker);
    const attackerMachineArn = (await env.send(a, "CreateStateMachine", { name: "attacker-machine", definition: PASS, roleArn: attackerRole })).stateMachineArn as string;
    return { machineArn, executionArn, roleArn, attackerMachineArn };
  },

  async snapshot(env, v) {
    const c = env.client(env.victim);
    const machine = await env.send(c, "DescribeStateMachine", { stateMachineArn: v.machineArn });
    const executions = await env.send(c, "ListExecutions", { stateMachineArn: v.machineArn });
    const execution = await env.send(c, "DescribeExecution", { executionArn: v.executionArn });
    return {
      machine: [machine.name, machine.definition, machine.roleArn, machine.status, machine.type],
      executions: (executions.executions as Array<{ name: string; status: string }>).map((e) => [e.name, e.status]),
      execution: [execution.status, execution.input],
    };
  },

  rows: {
    CreateStateMachine: (v) => [{ label: "with the victim's role", input: { name: "stolen-role", definition: PASS, roleArn: v.roleArn }, expect: DENIED }],
    DescribeStateMachine: (v, env) => byMachine(v, env),
    UpdateStateMachine: (v, env) => [
      ...byMachine(v, env, { definition: PASS }),
      { label: "the caller's own machine, given the victim's role", input: { stateMachineArn: v.attackerMachineArn, roleArn: v.roleArn }, expect: DENIED },
    ],
    // DeleteStateMachine names no StateMachineDoesNotExist among its errors: deleting a missing machine succeeds.
    DeleteStateMachine: (v, env) => byMachine(v, env).map((a) => (a.expect === "StateMachineDoesNotExist" ? { ...a, expect: idempotent } : a)),
    StartExecution: (v, env) => byMachine(v, env, { name: "attacker-run" }),
    StartSyncExecution: (v, env) => byMachine(v, env, { name: "attacker-sync" }),
    ListExecutions: (v, env) => byMachine(v, env),
    DescribeExecution: (v, env) => byExecution(v, env),
    StopExecution: (v, env) => byExecution(v, env),
    GetExecutionHistory: (v, env) => byExecution(v, env),
  },

  exempt: {
    ListStateMachines: "lists the caller's own state machines",
  },
};
