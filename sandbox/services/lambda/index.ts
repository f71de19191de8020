// The Lambda service of the sandbox: REST-JSON under /2015-03-31. Functions run in a child
// process (runtime/), Node.js and Python only; see handlers.ts for the operations and
// event-source-mappings.ts for SQS triggers.
import type { Operation, RequestContext, RestRoute, ServiceEnvironment, ServiceModule } from "@/sandbox/core/contracts";
import { rmSync } from "node:fs";
import { actionOf, parseFunctionRef } from "./access";
import { invalidRegion } from "./errors";
import { createEventSourceMappings } from "./event-source-mappings";
import { isAccountId, isRegion } from "./grammar";
import { createLambdaHandlers } from "./handlers";
import { functionArn, LambdaModel } from "./models";
import { accountDir } from "./paths";
import { killAll } from "./runtime/execute";

const FUNCTIONS = "/2015-03-31/functions";
const MAPPINGS = "/2015-03-31/event-source-mappings";

/**
 * Invoke's request body is the raw payload and its response is raw too: the core passes the
 * body as `Payload` (bytes) and the X-Amz-* headers as `InvocationType`/`LogType`, and answers
 * with the handler's `__raw` body, `__headers` and `__status` (202 for Event, 204 for DryRun).
 */
export const lambdaRoutes: RestRoute[] = [
  { method: "POST", path: FUNCTIONS, operation: "CreateFunction", successStatus: 201 },
  // The core's routes accept a trailing slash, which is how the SDK asks for ListFunctions.
  { method: "GET", path: FUNCTIONS, operation: "ListFunctions" },
  { method: "GET", path: `${FUNCTIONS}/{FunctionName}`, operation: "GetFunction" },
  { method: "DELETE", path: `${FUNCTIONS}/{FunctionName}`, operation: "DeleteFunction", successStatus: 204 },
  { method: "GET", path: `${FUNCTIONS}/{FunctionName}/configuration`, operation: "GetFunctionConfiguration" },
  { method: "PUT", path: `${FUNCTIONS}/{FunctionName}/configuration`, operation: "UpdateFunctionConfiguration" },
  { method: "PUT", path: `${FUNCTIONS}/{FunctionName}/code`, operation: "UpdateFunctionCode" },
  { method: "POST", path: `${FUNCTIONS}/{FunctionName}/policy`, operation: "AddPermission", successStatus: 201 },
  { method: "GET", path: `${FUNCTIONS}/{FunctionName}/policy`, operation: "GetPolicy" },
  { method: "DELETE", path: `${FUNCTIONS}/{FunctionName}/policy/{StatementId}`, operation: "RemovePermission", successStatus: 204 },
  { method: "POST", path: `${FUNCTIONS}/{FunctionName}/invocations`, operation: "Invoke" },
  { method: "POST", path: MAPPINGS, operation: "CreateEventSourceMapping", successStatus: 202 },
  { method: "GET", path: MAPPINGS, operation: "ListEventSourceMappings" },
  { method: "GET", path: `${MAPPINGS}/{UUID}`, operation: "GetEventSourceMapping" },
  { method: "PUT", path: `${MAPPINGS}/{UUID}`, operation: "UpdateEventSourceMapping", successStatus: 202 },
  { method: "DELETE", path: `${MAPPINGS}/{UUID}`, operation: "DeleteEventSourceMapping", successStatus: 202 },
];

// Event source mappings are resources of their own, named by UUID.
const MAPPING_OPERATIONS = new Set(["GetEventSourceMapping", "UpdateEventSourceMapping", "DeleteEventSourceMapping"]);

/**
 * The function ARN an operation acts on, for IAM evaluation of assumed-role callers: the same
 * parse the handlers use (a malformed name throws, and the core evaluates "*"; the handler then
 * answers the validation error).
 */
function resourceOf(input: Record<string, unknown>, ctx: RequestContext): string {
  const ref = parseFunctionRef(input.FunctionName, ctx, input.Qualifier);
  return functionArn(ref.accountId, ref.region, ref.name) + (ref.qualifier ? `:${ref.qualifier}` : "");
}

type Handler = (input: Record<string, unknown>, ctx: RequestContext) => unknown;

/**
 * Every operation first refuses a credential scope whose region is not a region: the region
 * becomes part of ARNs, store keys and the code's folder, so `..` must never get that far.
 */
function guarded(handler: Handler): Handler {
  return (input, ctx) => {
    if (!isRegion(ctx.region)) throw invalidRegion(ctx.region);
    return handler(input, ctx);
  };
}

export function createLambdaService(env: ServiceEnvironment): ServiceModule {
  const model = new LambdaModel(env.store);
  const running = new Set<number>();
  const lambda = createLambdaHandlers(env, model, running);
  const mappings = createEventSourceMappings({ env, model, resolve: lambda.resolve, run: lambda.run });
  const operations: Record<string, Operation<never, never>> = {};
  for (const [name, handler] of Object.entries({ ...lambda.handlers, ...mappings.handlers })) {
    const op: Operation = {
      action: actionOf(name),
      resource:
        name === "ListFunctions" || name === "ListEventSourceMappings" || name === "CreateEventSourceMapping" ? () => "*"
        : MAPPING_OPERATIONS.has(name) ? (input, ctx) => `arn:aws:lambda:${ctx.region}:${ctx.accountId}:event-source-mapping:${String(input.UUID ?? "")}`
        : resourceOf,
      handler: guarded(handler as Handler) as Operation["handler"],
    };
    operations[name] = op as unknown as Operation<never, never>;
  }
  return {
    definition: { signingName: "lambda", rest: lambdaRoutes, operations },
    resetAccount(accountId) {
      model.removeAccount(accountId);
      mappings.removeAccount(accountId);
      if (isAccountId(accountId)) rmSync(accountDir(env.options.dataDir, accountId), { recursive: true, force: true });
    },
    close() {
      mappings.stop();
      killAll(running);
    },
  };
}
