// What a Task state does in the sandbox: Lambda function ARNs, the lambda:invoke, sns:publish,
// sqs:sendMessage, events:putEvents and states:startExecution integrations, and aws-sdk
// integrations of the sandbox's services become calls through env.call, made as the state
// machine's execution role (an assumed-role session, see execution-role.ts): the role's policies
// and the targets' resource policies decide, exactly as for any other caller with that role.
// Failures become StatesErrors whose name Retry and Catch match, named as Step Functions names them.
import { AwsError } from "@/sandbox/core/contracts";
import type { RequestContext, ServiceEnvironment } from "@/sandbox/core/contracts";
import { PARTITION_PATTERN, REGION_PATTERN } from "@/sandbox/core/aws-names";
import type { ServiceRoleSessions } from "@/sandbox/core/service-roles";
import { StatesError } from "@/semantics/asl";
import type { TaskHandler } from "@/semantics/asl";
import { executionRole, type MachineIdentity } from "./execution-role";

type Obj = Record<string, unknown>;

const LAMBDA_ARN = new RegExp(`^arn:${PARTITION_PATTERN}:lambda:${REGION_PATTERN}:\\d{12}:function:[a-zA-Z0-9_-]+(:[a-zA-Z0-9_$-]+)?$`);
const INTEGRATION = new RegExp(`^arn:${PARTITION_PATTERN}:states:::([a-zA-Z0-9-]+):([a-zA-Z0-9]+)(\\.(sync|waitForTaskToken)(:2)?)?$`);

const SDK_INTEGRATION = new RegExp(`^arn:${PARTITION_PATTERN}:states:::aws-sdk:([a-z0-9]+):([a-zA-Z0-9]+)$`);

/**
 * AWS SDK integrations the sandbox can serve: the service's signing name, the prefix of its
 * error names, and whether its API uses camelCase members (Step Functions) where the
 * integration, like every SDK integration, speaks PascalCase.
 */
const SDK_SERVICES: Record<string, { signingName: string; prefix: string; camel?: true }> = {
  sqs: { signingName: "sqs", prefix: "Sqs" },
  sns: { signingName: "sns", prefix: "Sns" },
  eventbridge: { signingName: "events", prefix: "EventBridge" },
  lambda: { signingName: "lambda", prefix: "Lambda" },
  sfn: { signingName: "states", prefix: "Sfn", camel: true },
  sts: { signingName: "sts", prefix: "Sts" },
  iam: { signingName: "iam", prefix: "Iam" },
};

/** Renames object keys recursively (values, such as JSON text, are left alone). */
function renameKeys(value: unknown, rename: (k: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => renameKeys(v, rename));
  if (typeof value !== "object" || value === null || value instanceof Uint8Array) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [rename(k), renameKeys(v, rename)]));
}
const lowerFirst = (k: string) => k.charAt(0).toLowerCase() + k.slice(1);
const upperFirst = (k: string) => k.charAt(0).toUpperCase() + k.slice(1);

/** Drops the core's transport fields (Invoke's raw body and headers) from an output. */
function publicOutput(out: Obj): Obj {
  return Object.fromEntries(Object.entries(out).filter(([k]) => !k.startsWith("__")));
}

const asObj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const text = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v ?? null));

function metadata(requestId: string): Obj {
  return {
    SdkHttpMetadata: { HttpStatusCode: 200, HttpHeaders: { "x-amzn-RequestId": requestId } },
    SdkResponseMetadata: { RequestId: requestId },
  };
}

export function taskHandler(env: ServiceEnvironment, sessions: ServiceRoleSessions, who: MachineIdentity): TaskHandler {
  const role = executionRole(sessions, who);
  /** Each call is a request of its own, made in the state machine's account and region as its role. */
  const context = async (): Promise<RequestContext> => ({
    accountId: who.accountId,
    region: who.region,
    requestId: env.newRequestId(),
    now: env.scheduler.now(),
    principal: await role(),
  });

  /** Calls another service; its AWS errors become task errors named "<Prefix>.<Code>". */
  async function call(service: string, prefix: string, operation: string, input: Obj, ctx: RequestContext): Promise<Obj> {
    try {
      return await env.call(service, operation, input, ctx);
    } catch (err) {
      if (err instanceof AwsError) throw new StatesError(`${prefix}.${err.code}`, err.message);
      throw new StatesError(`${prefix}.ServiceException`, err instanceof Error ? err.message : String(err));
    }
  }

  async function invokeLambda(functionName: unknown, payload: unknown): Promise<{ payload: unknown; requestId: string }> {
    if (typeof functionName !== "string" || functionName === "") {
      throw new StatesError("States.Runtime", "The lambda:invoke task needs Parameters.FunctionName.");
    }
    const ctx = await context();
    const out = await call("lambda", "Lambda", "Invoke", { FunctionName: functionName, InvocationType: "RequestResponse", Payload: JSON.stringify(payload ?? null) }, ctx);
    const raw = out.Payload ?? out.__raw;
    const body = typeof raw === "string" ? raw : raw instanceof Uint8Array ? Buffer.from(raw).toString("utf8") : "";
    if (out.FunctionError !== undefined) {
      // Step Functions names the failure after the function's error type, so Catch on
      // "ValidationError" works; the cause is the error payload as Lambda returned it.
      let errorType = "Lambda.Unknown";
      try {
        const parsed = asObj(JSON.parse(body));
        if (typeof parsed.errorType === "string") errorType = parsed.errorType;
      } catch {
        // an unreadable error payload keeps the generic name
      }
      throw new StatesError(errorType, body);
    }
    let value: unknown = null;
    if (body.trim() !== "") {
      try {
        value = JSON.parse(body);
      } catch {
        value = body;
      }
    }
    return { payload: value, requestId: ctx.requestId };
  }

  async function sdkIntegration(service: string, action: string, input: unknown): Promise<unknown> {
    const target = SDK_SERVICES[service];
    if (!target) {
      throw new StatesError(
        "States.TaskFailed",
        `The sandbox has no ${service} service for arn:aws:states:::aws-sdk:${service}:${action}; it serves ${Object.keys(SDK_SERVICES).join(", ")}.`,
      );
    }
    const params = asObj(target.camel ? renameKeys(input, lowerFirst) : input);
    const out = publicOutput(await call(target.signingName, target.prefix, upperFirst(action), params, await context()));
    return target.camel ? renameKeys(out, upperFirst) : out;
  }

  return async (resource, input) => {
    if (LAMBDA_ARN.test(resource)) return (await invokeLambda(resource, input)).payload;
    const sdk = SDK_INTEGRATION.exec(resource);
    if (sdk?.[1] && sdk[2]) return sdkIntegration(sdk[1], sdk[2], input);
    const m = INTEGRATION.exec(resource);
    if (m && m[3] === undefined) {
      const params = asObj(input);
      const key = `${m[1]}:${m[2]}`;
      switch (key) {
        case "lambda:invoke": {
          const { payload, requestId } = await invokeLambda(params.FunctionName, params.Payload ?? {});
          return { ExecutedVersion: "$LATEST", Payload: payload, StatusCode: 200, ...metadata(requestId) };
        }
        case "sns:publish": {
          const ctx = await context();
          const { Message, ...rest } = params;
          const out = await call("sns", "SNS", "Publish", { ...rest, ...(Message !== undefined ? { Message: text(Message) } : {}) }, ctx);
          return { ...out, ...metadata(ctx.requestId) };
        }
        case "sqs:sendMessage": {
          const ctx = await context();
          const { MessageBody, ...rest } = params;
          const out = await call("sqs", "SQS", "SendMessage", { ...rest, ...(MessageBody !== undefined ? { MessageBody: text(MessageBody) } : {}) }, ctx);
          return { ...out, ...metadata(ctx.requestId) };
        }
        case "states:startExecution": {
          // A nested execution, request-response: started, not waited for.
          const out = await call("states", "Sfn", "StartExecution", {
            stateMachineArn: params.StateMachineArn,
            ...(params.Input !== undefined ? { input: text(params.Input) } : {}),
            ...(params.Name !== undefined ? { name: params.Name } : {}),
          }, await context());
          return { ExecutionArn: out.executionArn, StartDate: typeof out.startDate === "number" ? new Date(out.startDate * 1000).toISOString() : out.startDate };
        }
        case "events:putEvents": {
          const ctx = await context();
          const entries = Array.isArray(params.Entries) ? params.Entries.map((e) => {
            const entry = asObj(e);
            return entry.Detail !== undefined ? { ...entry, Detail: text(entry.Detail) } : entry;
          }) : params.Entries;
          const out = await call("events", "EventBridge", "PutEvents", { ...params, Entries: entries }, ctx);
          const result = { ...out, ...metadata(ctx.requestId) };
          if (typeof out.FailedEntryCount === "number" && out.FailedEntryCount > 0) {
            throw new StatesError("EventBridge.FailedEntry", JSON.stringify(out));
          }
          return result;
        }
        default:
          break;
      }
    }
    const pattern = m?.[3] !== undefined ? ` (the ${m[3].slice(1)} pattern is not supported)` : "";
    throw new StatesError(
      "States.TaskFailed",
      `The sandbox cannot run the resource ${resource}${pattern}: it runs Lambda function ARNs, the arn:aws:states:::lambda:invoke, sns:publish, sqs:sendMessage, events:putEvents and states:startExecution integrations, and aws-sdk integrations of the services it has.`,
    );
  };
}
