// Tenant isolation, Step Functions: one issued account (the attacker) against another's (the
// victim's) state machine, execution and roles, through the real SDK against a running sandbox.
// Step Functions has no resource-based policies, so every operation that names another account's
// resource answers AccessDeniedException; a role of another account cannot be passed; and a task
// runs as its state machine's role, so sts:AssumeRole from a task is judged by the target role's
// trust in that role, never by its trust in states.amazonaws.com. The table of attacks is checked
// against the service's own operation table: a new operation without a row fails this suite.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import {
  CreateStateMachineCommand, DeleteStateMachineCommand, DescribeExecutionCommand, DescribeStateMachineCommand, GetExecutionHistoryCommand,
  ListExecutionsCommand, ListStateMachinesCommand, SFNClient, StartExecutionCommand, StartSyncExecutionCommand, StopExecutionCommand,
  UpdateStateMachineCommand,
} from "@aws-sdk/client-sfn";
import type { DescribeExecutionCommandOutput } from "@aws-sdk/client-sfn";
import { memoryEnvironment } from "@/sandbox/core/memory-environment";
import { createStatesService } from "@/sandbox/services/states";
import { startTestSandbox } from "@/test/support/sandbox";
import type { AccountKeys, TestSandbox } from "@/test/support/sandbox";

const REGION = "us-east-1";
const PASS = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
const WAIT = JSON.stringify({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 600, End: true } } });
const statesTrust = (service = "states.amazonaws.com") =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] });

let sb: TestSandbox;
let victim: AccountKeys;
let attacker: AccountKeys;
let asVictim: SFNClient;
let asAttacker: SFNClient;
let attackerElsewhere: SFNClient;
let victimRole = "";
let victimAdminRole = "";
let attackerRole = "";
let victimMachine = "";
let victimExecution = "";

async function untilDone(sfn: SFNClient, executionArn: string | undefined): Promise<DescribeExecutionCommandOutput> {
  for (let i = 0; i < 200; i++) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== "RUNNING") return d;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${executionArn} still RUNNING`);
}

async function role(keys: AccountKeys, name: string, trust: string, actions: string[]): Promise<string> {
  const iam = new IAMClient(sb.clientConfig(keys));
  try {
    const arn = (await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust }))).Role?.Arn ?? "";
    const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }] };
    await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: "p", PolicyDocument: JSON.stringify(policy) }));
    return arn;
  } finally {
    iam.destroy();
  }
}

/** The error a call fails with: its code (the SDK's name) and message. */
async function failure(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  const e = await p.then(() => undefined, (err: unknown) => err as { name: string; message: string });
  if (!e) throw new Error("the call succeeded");
  return { name: e.name, message: e.message };
}

beforeAll(async () => {
  sb = await startTestSandbox();
  [victim, attacker] = await Promise.all([sb.createAccount(), sb.createAccount()]);
  asVictim = new SFNClient({ ...sb.clientConfig(victim), disableHostPrefix: true });
  asAttacker = new SFNClient({ ...sb.clientConfig(attacker), disableHostPrefix: true });
  attackerElsewhere = new SFNClient({ ...sb.clientConfig(attacker, "eu-west-1"), disableHostPrefix: true });
  // The victim's workflow role trusts Step Functions, as the lab's own role does; its admin role too.
  victimRole = await role(victim, "lab-states-role", statesTrust(), ["lambda:InvokeFunction", "sns:Publish"]);
  victimAdminRole = await role(victim, "victim-admin", statesTrust(), ["*"]);
  attackerRole = await role(attacker, "attacker-states-role", statesTrust(), ["sts:AssumeRole", "states:*"]);
  victimMachine = (await asVictim.send(new CreateStateMachineCommand({ name: "order-processing", definition: WAIT, roleArn: victimRole }))).stateMachineArn ?? "";
  victimExecution = (await asVictim.send(new StartExecutionCommand({ stateMachineArn: victimMachine, name: "victim-run" }))).executionArn ?? "";
}, 60_000);

afterAll(async () => {
  for (const c of [asVictim, asAttacker, attackerElsewhere]) c?.destroy();
  await sb?.close();
});

type Attack = (sfn: SFNClient) => Promise<unknown>;

/** One row per operation: the attacker names the victim's resource (or role) in it. */
const attacks: Record<string, Attack> = {
  CreateStateMachine: (sfn) => sfn.send(new CreateStateMachineCommand({ name: "stolen-role", definition: PASS, roleArn: victimAdminRole })),
  DescribeStateMachine: (sfn) => sfn.send(new DescribeStateMachineCommand({ stateMachineArn: victimMachine })),
  UpdateStateMachine: (sfn) => sfn.send(new UpdateStateMachineCommand({ stateMachineArn: victimMachine, definition: PASS })),
  DeleteStateMachine: (sfn) => sfn.send(new DeleteStateMachineCommand({ stateMachineArn: victimMachine })),
  StartExecution: (sfn) => sfn.send(new StartExecutionCommand({ stateMachineArn: victimMachine, name: "intruder" })),
  StartSyncExecution: (sfn) => sfn.send(new StartSyncExecutionCommand({ stateMachineArn: victimMachine })),
  ListExecutions: (sfn) => sfn.send(new ListExecutionsCommand({ stateMachineArn: victimMachine })),
  DescribeExecution: (sfn) => sfn.send(new DescribeExecutionCommand({ executionArn: victimExecution })),
  StopExecution: (sfn) => sfn.send(new StopExecutionCommand({ executionArn: victimExecution, cause: "attack" })),
  GetExecutionHistory: (sfn) => sfn.send(new GetExecutionHistoryCommand({ executionArn: victimExecution })),
};
/** Operations that take no resource reference: what the attacker sees must not include the victim's. */
const unreferenced = new Set(["ListStateMachines"]);

describe("Step Functions across accounts", () => {
  it("has an attack for every operation the service serves", () => {
    const service = createStatesService(memoryEnvironment());
    try {
      const served = Object.keys(service.definition.operations).sort();
      expect([...Object.keys(attacks), ...unreferenced].sort()).toEqual(served);
    } finally {
      service.close?.();
    }
  });

  it.each(Object.keys(attacks))("%s on the victim's resource is AccessDeniedException, from any region", async (operation) => {
    const attack = attacks[operation] as Attack;
    for (const sfn of [asAttacker, attackerElsewhere]) {
      const err = await failure(attack(sfn));
      expect(err.name).toBe("AccessDeniedException");
      if (operation === "CreateStateMachine") expect(err.message).toBe("Cross-account pass role is not allowed.");
      else expect(err.message).toMatch(new RegExp(`^User: arn:aws:iam::${attacker.accountId}:root is not authorized to perform: states:${operation} on resource: arn:aws:states:${REGION}:${victim.accountId}:`));
    }
  });

  it("lists only the caller's machines, refuses the victim's role on the attacker's own machine, and checks ARN grammar", async () => {
    expect((await asAttacker.send(new ListStateMachinesCommand({}))).stateMachines).toEqual([]);
    const own = (await asAttacker.send(new CreateStateMachineCommand({ name: "own", definition: PASS, roleArn: attackerRole }))).stateMachineArn;
    const swap = await failure(asAttacker.send(new UpdateStateMachineCommand({ stateMachineArn: own, roleArn: victimAdminRole })));
    expect(swap).toEqual({ name: "AccessDeniedException", message: "Cross-account pass role is not allowed." });
    for (const arn of [`arn:aws:states:..:${victim.accountId}:stateMachine:order-processing`, "arn:aws:states:us-east-1:12345:stateMachine:order-processing"]) {
      expect((await failure(asAttacker.send(new DescribeStateMachineCommand({ stateMachineArn: arn })))).name).toBe("InvalidArn");
    }
  });

  it("leaves the victim's machine and execution as they were", async () => {
    const machine = await asVictim.send(new DescribeStateMachineCommand({ stateMachineArn: victimMachine }));
    expect(machine).toMatchObject({ definition: WAIT, roleArn: victimRole });
    expect(await asVictim.send(new DescribeExecutionCommand({ executionArn: victimExecution }))).toMatchObject({ status: "RUNNING" });
    expect((await asVictim.send(new ListExecutionsCommand({ stateMachineArn: victimMachine }))).executions?.map((e) => e.name)).toEqual(["victim-run"]);
  });
});

describe("a task runs as its state machine's role", () => {
  const assumeTask = (roleArn: string) =>
    JSON.stringify({
      StartAt: "Assume",
      States: { Assume: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:sts:assumeRole", Parameters: { RoleArn: roleArn, RoleSessionName: "from-a-task" }, End: true } },
    });

  it("cannot assume another account's role that trusts only states.amazonaws.com (the confused deputy)", async () => {
    const stateMachineArn = (await asAttacker.send(new CreateStateMachineCommand({ name: "deputy", definition: assumeTask(victimAdminRole), roleArn: attackerRole }))).stateMachineArn;
    const { executionArn } = await asAttacker.send(new StartExecutionCommand({ stateMachineArn }));
    const done = await untilDone(asAttacker, executionArn);
    expect(done).toMatchObject({ status: "FAILED", error: "Sts.AccessDenied" });
    expect(done.cause).toContain(`arn:aws:sts::${attacker.accountId}:assumed-role/attacker-states-role/`);
    expect(done.output).toBeUndefined();
  });

  it("assumes a role of another account whose trust policy names the state machine's role", async () => {
    const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: attackerRole }, Action: "sts:AssumeRole" }] });
    const partner = await role(victim, "partner-access", trust, ["sqs:ListQueues"]);
    const stateMachineArn = (await asAttacker.send(new CreateStateMachineCommand({ name: "partner", definition: assumeTask(partner), roleArn: attackerRole }))).stateMachineArn;
    const { executionArn } = await asAttacker.send(new StartExecutionCommand({ stateMachineArn }));
    const done = await untilDone(asAttacker, executionArn);
    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(done.output ?? "{}")).toMatchObject({ AssumedRoleUser: { Arn: `arn:aws:sts::${victim.accountId}:assumed-role/partner-access/from-a-task` } });
  });

  it("cannot start another account's state machine from a task", async () => {
    const definition = JSON.stringify({
      StartAt: "Start",
      States: { Start: { Type: "Task", Resource: "arn:aws:states:::states:startExecution", Parameters: { StateMachineArn: victimMachine, Name: "from-a-task" }, End: true } },
    });
    const stateMachineArn = (await asAttacker.send(new CreateStateMachineCommand({ name: "starter", definition, roleArn: attackerRole }))).stateMachineArn;
    const { executionArn } = await asAttacker.send(new StartExecutionCommand({ stateMachineArn }));
    expect(await untilDone(asAttacker, executionArn)).toMatchObject({ status: "FAILED", error: "Sfn.AccessDeniedException" });
    expect((await asVictim.send(new ListExecutionsCommand({ stateMachineArn: victimMachine }))).executions?.map((e) => e.name)).toEqual(["victim-run"]);
  });
});
