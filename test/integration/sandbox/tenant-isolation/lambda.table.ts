// Lambda: functions are named by name (the caller's own account), by ARN or partial ARN
// (another account's only as its function policy allows; the victim's grants the attacker
// nothing), event source mappings by UUID (account-scoped), and roles are passed only from the
// caller's own account. A mapping reads a queue of another account only if the function's role
// may, which the victim's queue policy does not allow.
import * as lambda from "@aws-sdk/client-lambda";
import * as iam from "@aws-sdk/client-iam";
import * as sqs from "@aws-sdk/client-sqs";
import { strToU8, zipSync } from "fflate";
import type { Attempt, Env, IsolationTable } from "./support";
import { OTHER_REGION, REGION, returnsNothing } from "./support";

interface Victim {
  fnArn: string;
  roleArn: string;
  queueArn: string;
  mappingId: string;
  attackerFnArn: string;
  attackerQueueArn: string;
  attackerMappingId: string;
}

const DENIED = "AccessDeniedException";
const NOT_FOUND = "ResourceNotFoundException";

const code = (text: string) => zipSync({ "index.mjs": strToU8(text) });
const TRUST = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] });

function byFunction(v: Victim, env: Env, extra: Record<string, unknown> = {}): Attempt[] {
  return [
    { label: "by ARN", input: { FunctionName: v.fnArn, ...extra }, expect: DENIED },
    { label: "by partial ARN", input: { FunctionName: `${env.victim.accountId}:function:victim-fn`, ...extra }, expect: DENIED },
    { label: "by name (the caller's own account)", input: { FunctionName: "victim-fn", ...extra }, expect: NOT_FOUND },
    // AWS: "Functions from 'us-east-1' are not reachable in this region ('eu-west-1')".
    { label: "by ARN, signed for another region", region: OTHER_REGION, input: { FunctionName: v.fnArn, ...extra }, expect: [NOT_FOUND, "InvalidParameterValueException", DENIED] },
  ];
}

async function setupAccount(env: Env, who: "victim" | "attacker", prefix: string) {
  const creds = env[who];
  const roles = new iam.IAMClient(env.sb.clientConfig(creds));
  const queues = new sqs.SQSClient(env.sb.clientConfig(creds));
  try {
    const roleArn = (await roles.send(new iam.CreateRoleCommand({ RoleName: `${prefix}-fn-role`, AssumeRolePolicyDocument: TRUST }))).Role!.Arn!;
    // The mapping below reads the queue as this role, so the role must be allowed to.
    await roles.send(new iam.AttachRolePolicyCommand({ RoleName: `${prefix}-fn-role`, PolicyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole" }));
    const url = (await queues.send(new sqs.CreateQueueCommand({ QueueName: `${prefix}-events` }))).QueueUrl!;
    const queueArn = (await queues.send(new sqs.GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
    const c = env.client(creds);
    const fn = await env.send(c, "CreateFunction", {
      FunctionName: `${prefix}-fn`,
      Runtime: "nodejs22.x",
      Role: roleArn,
      Handler: "index.handler",
      Code: { ZipFile: code(`export const handler = async () => "${prefix}";`) },
      Environment: { Variables: { SECRET: `${prefix}-secret` } },
    });
    const mapping = await env.send(c, "CreateEventSourceMapping", { FunctionName: `${prefix}-fn`, EventSourceArn: queueArn, Enabled: false });
    return { roleArn, queueArn, fnArn: fn.FunctionArn as string, mappingId: mapping.UUID as string };
  } finally {
    roles.destroy();
    queues.destroy();
  }
}

export const lambdaTable: IsolationTable<Victim> = {
  service: "lambda",
  newClient: (config) => new lambda.LambdaClient(config),
  commands: lambda,
  signatureError: "InvalidSignatureException",

  async setup(env) {
    const victim = await setupAccount(env, "victim", "victim");
    const attacker = await setupAccount(env, "attacker", "attacker");
    await env.send(env.client(env.victim), "AddPermission", {
      FunctionName: "victim-fn",
      StatementId: "victim-stmt",
      Action: "lambda:InvokeFunction",
      Principal: "sns.amazonaws.com",
      SourceArn: `arn:aws:sns:${REGION}:${env.victim.accountId}:victim-topic`,
    });
    return {
      ...victim,
      attackerFnArn: attacker.fnArn,
      attackerQueueArn: attacker.queueArn,
      attackerMappingId: attacker.mappingId,
    };
  },

  async snapshot(env, v) {
    const c = env.client(env.victim);
    const fn = await env.send(c, "GetFunctionConfiguration", { FunctionName: "victim-fn" });
    const policy = await env.send(c, "GetPolicy", { FunctionName: "victim-fn" });
    const mapping = await env.send(c, "GetEventSourceMapping", { UUID: v.mappingId });
    const mappings = await env.send(c, "ListEventSourceMappings", {});
    const pick = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, o[k]]));
    return {
      fn: pick(fn, ["FunctionName", "Role", "Handler", "Runtime", "Environment", "CodeSha256", "CodeSize", "Timeout", "MemorySize", "RevisionId"]),
      policy: policy.Policy,
      mapping: pick(mapping, ["UUID", "EventSourceArn", "FunctionArn", "BatchSize", "State"]),
      mappings: (mappings.EventSourceMappings as unknown[] | undefined)?.length,
    };
  },

  rows: {
    CreateFunction: (v, env) => {
      const base = { Runtime: "nodejs22.x", Handler: "index.handler", Code: { ZipFile: code("export const handler = async () => 0;") } };
      return [
        { label: "with the victim's role", input: { FunctionName: "stolen-role", Role: v.roleArn, ...base }, expect: [DENIED, "InvalidParameterValueException"] },
        {
          label: "named by an ARN of the victim's account",
          input: { FunctionName: `arn:aws:lambda:${REGION}:${env.victim.accountId}:function:planted`, Role: v.roleArn.replace(env.victim.accountId, env.attacker.accountId).replace("victim", "attacker"), ...base },
          expect: [DENIED, "InvalidParameterValueException"],
        },
      ];
    },
    GetFunction: (v, env) => byFunction(v, env),
    GetFunctionConfiguration: (v, env) => byFunction(v, env),
    DeleteFunction: (v, env) => byFunction(v, env),
    UpdateFunctionCode: (v, env) => byFunction(v, env, { ZipFile: code('export const handler = async () => "attacker";') }),
    UpdateFunctionConfiguration: (v, env) => [
      ...byFunction(v, env, { Environment: { Variables: { SECRET: "owned" } } }),
      { label: "the caller's own function, given the victim's role", input: { FunctionName: "attacker-fn", Role: v.roleArn }, expect: [DENIED, "InvalidParameterValueException"] },
    ],
    AddPermission: (v, env) => byFunction(v, env, { StatementId: "steal", Action: "lambda:InvokeFunction", Principal: env.attacker.accountId }),
    GetPolicy: (v, env) => byFunction(v, env),
    RemovePermission: (v, env) => byFunction(v, env, { StatementId: "victim-stmt" }),
    Invoke: (v, env) => byFunction(v, env, { Payload: strToU8("{}") }),
    CreateEventSourceMapping: (v) => [
      { label: "the victim's function on the caller's queue", input: { FunctionName: v.fnArn, EventSourceArn: v.attackerQueueArn }, expect: DENIED },
      { label: "the victim's queue into the caller's function", input: { FunctionName: "attacker-fn", EventSourceArn: v.queueArn }, expect: "InvalidParameterValueException" },
    ],
    ListEventSourceMappings: (v) => [
      { label: "filtered by the victim's function ARN", input: { FunctionName: v.fnArn }, expect: returnsNothing("EventSourceMappings") },
      { label: "filtered by the victim's queue ARN", input: { EventSourceArn: v.queueArn }, expect: returnsNothing("EventSourceMappings") },
    ],
    GetEventSourceMapping: (v) => [{ label: "by the victim's mapping UUID", input: { UUID: v.mappingId }, expect: NOT_FOUND }],
    UpdateEventSourceMapping: (v) => [
      { label: "by the victim's mapping UUID", input: { UUID: v.mappingId, Enabled: true, BatchSize: 1 }, expect: NOT_FOUND },
      { label: "the caller's own mapping, pointed at the victim's function", input: { UUID: v.attackerMappingId, FunctionName: v.fnArn }, expect: DENIED },
    ],
    DeleteEventSourceMapping: (v) => [{ label: "by the victim's mapping UUID", input: { UUID: v.mappingId }, expect: NOT_FOUND }],
  },

  exempt: {
    ListFunctions: "lists the caller's own functions",
  },
};
