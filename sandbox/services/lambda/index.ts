// The Lambda service of the sandbox: REST-JSON under /2015-03-31. Functions run in a child
// process (runtime/), Node.js and Python only; see handlers.ts for the operations and
// event-source-mappings.ts / mapping-poller.ts for SQS triggers.
import { rmSync } from "node:fs";
import type { RequestContext, RestRoute, ServiceEnvironment, ServiceModule } from "@/sandbox/core/contracts";
import { isAccountId, isRegion } from "@/sandbox/core/aws-names";
import { operationTable, type OperationInput } from "@/sandbox/core/operation-table";
import { ServiceRoleSessions } from "@/sandbox/core/service-roles";
import { parseFunctionRef, RENAMED_ACTIONS } from "./access";
import { invalidRegion } from "./errors";
import { handlers } from "./handlers";
import { MappingPoller } from "./mapping-poller";
import { functionArn, LambdaModel, MappingModel, type Lambda } from "./models";
import { accountDir } from "./paths";
import { InvocationSlots } from "./run";
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

/**
 * The ARN an operation acts on, for IAM evaluation of assumed-role callers: the function, by the
 * same parse the handlers use (a malformed name throws, and the core evaluates "*"; the handler
 * then answers the validation error), or the event source mapping, named by UUID.
 */
function resourceOf(name: keyof typeof handlers, input: OperationInput, ctx: RequestContext): string {
  switch (name) {
    case "ListFunctions":
    case "ListEventSourceMappings":
    case "CreateEventSourceMapping":
      return "*";
    case "GetEventSourceMapping":
    case "UpdateEventSourceMapping":
    case "DeleteEventSourceMapping":
      return `arn:aws:lambda:${ctx.region}:${ctx.accountId}:event-source-mapping:${String(input.UUID ?? "")}`;
    default: {
      const ref = parseFunctionRef(input.FunctionName, ctx, input.Qualifier);
      return functionArn(ref.accountId, ref.region, ref.name) + (ref.qualifier ? `:${ref.qualifier}` : "");
    }
  }
}

export function createLambdaService(env: ServiceEnvironment): ServiceModule {
  const lambda: Lambda = {
    env,
    model: new LambdaModel(env.store),
    mappings: new MappingModel(env.store),
    running: new Set<number>(),
    slots: new InvocationSlots(),
    roles: new ServiceRoleSessions(env),
  };
  const poller = new MappingPoller(lambda);
  const operations = operationTable<Lambda, keyof typeof handlers>({
    prefix: "lambda",
    service: lambda,
    handlers,
    resource: resourceOf,
    actions: RENAMED_ACTIONS,
    // Every operation first refuses a credential scope whose region is not a region: the region
    // becomes part of ARNs, store keys and the code's folder, so `..` must never get that far.
    around: (run, _name, ctx) => {
      if (!isRegion(ctx.region)) throw invalidRegion(ctx.region);
      return run();
    },
  });
  return {
    definition: { signingName: "lambda", rest: lambdaRoutes, operations },
    resetAccount(accountId) {
      lambda.model.removeAccount(accountId);
      lambda.mappings.removeAccount(accountId);
      lambda.roles.forget(accountId);
      if (isAccountId(accountId)) rmSync(accountDir(env.options.dataDir, accountId), { recursive: true, force: true });
    },
    close() {
      poller.stop();
      killAll(lambda.running);
    },
  };
}
