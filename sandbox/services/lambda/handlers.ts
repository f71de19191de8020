// Lambda's operations, one top-level function each, named after the operation and taking the
// service's state first; event-source-mappings.ts holds the mapping operations, and `handlers`
// below lists them all. Inputs are the JSON shapes the SDK sends (REST-JSON: path parameters,
// query and body merged by the core), checked field by field.
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import type {
  AddPermissionCommandOutput,
  CreateFunctionCommandOutput,
  DeleteFunctionCommandOutput,
  FunctionConfiguration,
  GetFunctionCommandOutput,
  GetFunctionConfigurationCommandOutput,
  GetPolicyCommandOutput,
  InvokeCommandOutput,
  ListFunctionsCommandOutput,
  RemovePermissionCommandOutput,
  Runtime,
  UpdateFunctionCodeCommandOutput,
  UpdateFunctionConfigurationCommandOutput,
} from "@aws-sdk/client-lambda";
import type { RequestContext } from "@/sandbox/core/contracts";
import type { OperationInput as Input } from "@/sandbox/core/operation-table";
import type { WireOutput as Out } from "@/sandbox/core/wire-output";
import { actionOf, checkPassRole, ownAccount, resolveFunction, resolveReference, targetFunction } from "./access";
import { installCode, uploadedZip } from "./code";
import {
  executionDisabled, InvalidParameterValueException, InvalidRequestContentException, noSuchResource, PreconditionFailedException,
  RequestTooLargeException, ResourceConflictException, ResourceNotFoundException, runtimeNotSupported, ValidationException,
} from "./errors";
import {
  CreateEventSourceMapping, DeleteEventSourceMapping, GetEventSourceMapping, ListEventSourceMappings, UpdateEventSourceMapping,
} from "./event-source-mappings";
import { functionArn, policyDocument, type FunctionRecord, type Lambda, type PolicyStatement } from "./models";
import { codeDir } from "./paths";
import { isSupportedRuntime, runFunction } from "./run";

/** Invoke answers with its raw body and headers (REST-JSON): the core sends `__raw` as it is. */
interface RawAnswer {
  __raw: Buffer;
  __headers: Record<string, string>;
  __status: number;
}

const ROLE_PATTERN = /^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
const HANDLER_PATTERN = /^[^\s]{1,128}$/;
const ENV_KEY_PATTERN = /^[a-zA-Z]([a-zA-Z0-9_])+$/;
// Lambda sets these itself; AWS refuses them as function variables.
const RESERVED_ENV = new Set([
  "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
  "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
  "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
]);
const MAX_SYNC_PAYLOAD = 6_291_456;
const MAX_ASYNC_PAYLOAD = 262_144;
const MAX_ENV_BYTES = 4096;
const ASYNC_RETRIES = 2;

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Lambda's timestamp format: 2026-01-01T00:00:00.000+0000. */
const lambdaDate = (ms: number) => new Date(ms).toISOString().replace("Z", "+0000");

function checkTimeout(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > 900) {
    throw ValidationException(`1 validation error detected: Value '${String(v)}' at 'timeout' failed to satisfy constraint: Member must have value between 1 and 900`);
  }
  return v;
}

function checkMemory(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 128 || v > 10240) {
    throw ValidationException(`1 validation error detected: Value '${String(v)}' at 'memorySize' failed to satisfy constraint: Member must have value between 128 and 10240`);
  }
  return v;
}

/** The runtimes the sandbox runs: Node.js and Python versions Lambda offers. */
const isRuntime = (v: string): v is Runtime => /^nodejs(18|20|22|24)\.x$/.test(v) || /^python3\.(9|1[0-4])$/.test(v);

function checkRuntime(v: unknown): Runtime | undefined {
  if (v === undefined || v === null) return undefined;
  const runtime = String(v);
  if (!isRuntime(runtime)) throw runtimeNotSupported(runtime);
  return runtime;
}

function checkRole(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const role = String(v);
  if (!ROLE_PATTERN.test(role)) {
    throw ValidationException(`1 validation error detected: Value '${role}' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+`);
  }
  return role;
}

function checkHandler(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const handler = String(v);
  if (!HANDLER_PATTERN.test(handler)) {
    throw ValidationException(`1 validation error detected: Value '${handler}' at 'handler' failed to satisfy constraint: Member must satisfy regular expression pattern: [^\\s]+`);
  }
  return handler;
}

function checkEnvironment(v: unknown): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  const vars = (v as { Variables?: unknown }).Variables ?? {};
  if (typeof vars !== "object" || vars === null || Array.isArray(vars)) throw InvalidParameterValueException("Environment.Variables must be a map of strings.");
  const out: Record<string, string> = {};
  const reserved: string[] = [];
  for (const [key, value] of Object.entries(vars as Record<string, unknown>)) {
    if (!ENV_KEY_PATTERN.test(key)) {
      throw ValidationException(`1 validation error detected: Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]`);
    }
    if (RESERVED_ENV.has(key)) reserved.push(key);
    out[key] = typeof value === "string" ? value : String(value);
  }
  if (reserved.length > 0) {
    throw InvalidParameterValueException(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(", ")}`,
    );
  }
  if (Buffer.byteLength(JSON.stringify(out)) > MAX_ENV_BYTES) {
    throw InvalidParameterValueException("Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit.");
  }
  return out;
}

function configurationOf(fn: FunctionRecord): Out<FunctionConfiguration> {
  return {
    FunctionName: fn.name,
    FunctionArn: fn.arn,
    Runtime: fn.runtime,
    Role: fn.role,
    Handler: fn.handler,
    CodeSize: fn.codeSize,
    Description: fn.description,
    Timeout: fn.timeout,
    MemorySize: fn.memorySize,
    LastModified: lambdaDate(fn.lastModified),
    CodeSha256: fn.codeSha256,
    Version: "$LATEST",
    ...(Object.keys(fn.environment).length > 0 ? { Environment: { Variables: { ...fn.environment } } } : {}),
    TracingConfig: { Mode: "PassThrough" },
    RevisionId: fn.revisionId,
    State: "Active",
    LastUpdateStatus: "Successful",
    PackageType: "Zip",
    Architectures: ["x86_64"],
    EphemeralStorage: { Size: 512 },
  };
}


/** The function a request names, if the caller may perform `operation` on it (access.ts holds the rule). */
const find = (s: Lambda, input: Input, ctx: RequestContext, operation: string, qualifier?: unknown) =>
  resolveFunction(s.model, input.FunctionName, ctx, actionOf(operation), qualifier);

function checkRevision(fn: FunctionRecord, revisionId: unknown, current = fn.revisionId): void {
  if (typeof revisionId === "string" && revisionId !== current) {
    throw PreconditionFailedException(
      "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
    );
  }
}

export function CreateFunction(s: Lambda, input: Input, ctx: RequestContext): Out<CreateFunctionCommandOutput> {
  // A bare name, or a full or partial ARN of the caller's own account and region, as AWS accepts.
  const { accountId, region, name } = targetFunction(input.FunctionName, ctx);
  if (input.PackageType !== undefined && input.PackageType !== "Zip") throw InvalidParameterValueException("This sandbox supports Zip packages only.");
  const runtime = checkRuntime(input.Runtime);
  if (runtime === undefined) throw InvalidParameterValueException("The Runtime parameter is required for a Zip package.");
  const role = checkRole(input.Role);
  if (role === undefined) throw ValidationException("1 validation error detected: Value null at 'role' failed to satisfy constraint: Member must not be null");
  checkPassRole(role, ctx);
  const handler = checkHandler(input.Handler);
  if (handler === undefined) throw InvalidParameterValueException("The Handler parameter is required for a Zip package.");
  const timeout = checkTimeout(input.Timeout) ?? 3;
  const memorySize = checkMemory(input.MemorySize) ?? 128;
  const environment = checkEnvironment(input.Environment) ?? {};
  if (s.model.get(accountId, region, name)) throw ResourceConflictException(`Function already exist: ${name}`);
  const code = installCode(s.env.options.dataDir, accountId, region, name, uploadedZip(input, "Code"));
  const record: FunctionRecord = {
    accountId,
    region,
    name,
    arn: functionArn(accountId, region, name),
    runtime,
    role,
    handler,
    description: str(input.Description) ?? "",
    timeout,
    memorySize,
    environment,
    codeSha256: code.sha256,
    codeSize: code.size,
    lastModified: ctx.now,
    revisionId: randomUUID(),
    policy: null,
    tags: typeof input.Tags === "object" && input.Tags !== null ? { ...(input.Tags as Record<string, string>) } : {},
  };
  s.model.save(record);
  return configurationOf(record);
}

export function GetFunction(s: Lambda, input: Input, ctx: RequestContext): Out<GetFunctionCommandOutput> {
  const fn = find(s, input, ctx, "GetFunction", input.Qualifier);
  return {
    Configuration: configurationOf(fn),
    // The code is kept unzipped on the sandbox's disk; there is no download URL to give.
    Code: { RepositoryType: "S3" },
    ...(Object.keys(fn.tags).length > 0 ? { Tags: { ...fn.tags } } : {}),
  };
}

export function GetFunctionConfiguration(s: Lambda, input: Input, ctx: RequestContext): Out<GetFunctionConfigurationCommandOutput> {
  return configurationOf(find(s, input, ctx, "GetFunctionConfiguration", input.Qualifier));
}

export function ListFunctions(s: Lambda, input: Input, ctx: RequestContext): Out<ListFunctionsCommandOutput> {
  const all = s.model.list(ownAccount(ctx), ctx.region);
  const max = typeof input.MaxItems === "number" ? input.MaxItems : Number(input.MaxItems ?? 50);
  if (!Number.isInteger(max) || max < 1 || max > 10000) {
    throw ValidationException(
      `1 validation error detected: Value '${String(input.MaxItems)}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000`,
    );
  }
  const marker = str(input.Marker);
  // The marker is the last name of the previous page; names are listed in order.
  const after = marker ? Buffer.from(marker, "base64url").toString("utf8") : undefined;
  const firstAfter = after === undefined ? 0 : all.findIndex((f) => f.name > after);
  const from = firstAfter < 0 ? all.length : firstAfter;
  const page = all.slice(from, from + max);
  const last = page[page.length - 1];
  return {
    Functions: page.map(configurationOf),
    ...(from + max < all.length && last ? { NextMarker: Buffer.from(last.name).toString("base64url") } : {}),
  };
}

export function DeleteFunction(s: Lambda, input: Input, ctx: RequestContext): Out<DeleteFunctionCommandOutput> {
  const fn = find(s, input, ctx, "DeleteFunction", input.Qualifier);
  s.model.remove(fn);
  rmSync(codeDir(s.env.options.dataDir, fn.accountId, fn.region, fn.name), { recursive: true, force: true });
  return {};
}

export function UpdateFunctionCode(s: Lambda, input: Input, ctx: RequestContext): Out<UpdateFunctionCodeCommandOutput> {
  const fn = find(s, input, ctx, "UpdateFunctionCode");
  checkRevision(fn, input.RevisionId);
  const zip = uploadedZip(input, "top");
  if (input.DryRun === true) return configurationOf(fn);
  const code = installCode(s.env.options.dataDir, fn.accountId, fn.region, fn.name, zip);
  const updated: FunctionRecord = { ...fn, codeSha256: code.sha256, codeSize: code.size, lastModified: ctx.now, revisionId: randomUUID() };
  s.model.save(updated);
  return configurationOf(updated);
}

export function UpdateFunctionConfiguration(s: Lambda, input: Input, ctx: RequestContext): Out<UpdateFunctionConfigurationCommandOutput> {
  const fn = find(s, input, ctx, "UpdateFunctionConfiguration");
  checkRevision(fn, input.RevisionId);
  const role = checkRole(input.Role);
  if (role !== undefined) checkPassRole(role, ctx);
  const updated: FunctionRecord = {
    ...fn,
    runtime: checkRuntime(input.Runtime) ?? fn.runtime,
    role: role ?? fn.role,
    handler: checkHandler(input.Handler) ?? fn.handler,
    description: str(input.Description) ?? fn.description,
    timeout: checkTimeout(input.Timeout) ?? fn.timeout,
    memorySize: checkMemory(input.MemorySize) ?? fn.memorySize,
    environment: checkEnvironment(input.Environment) ?? fn.environment,
    lastModified: ctx.now,
    revisionId: randomUUID(),
  };
  s.model.save(updated);
  return configurationOf(updated);
}

export function AddPermission(s: Lambda, input: Input, ctx: RequestContext): Out<AddPermissionCommandOutput> {
  const { fn, ref } = resolveReference(s.model, input.FunctionName, ctx, actionOf("AddPermission"), input.Qualifier);
  const sid = str(input.StatementId);
  if (!sid || !/^[a-zA-Z0-9_.-]{1,100}$/.test(sid)) {
    throw ValidationException(
      `1 validation error detected: Value '${String(input.StatementId ?? null)}' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_.]+)`,
    );
  }
  const action = str(input.Action);
  if (!action || !/^(lambda:[*]|lambda:[a-zA-Z]+|[*])$/.test(action)) {
    throw ValidationException(
      `1 validation error detected: Value '${String(input.Action ?? null)}' at 'action' failed to satisfy constraint: Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])`,
    );
  }
  const principal = str(input.Principal);
  if (!principal || !/^[^\s]+$/.test(principal)) {
    throw ValidationException(
      `1 validation error detected: Value '${String(input.Principal ?? null)}' at 'principal' failed to satisfy constraint: Member must satisfy regular expression pattern: [^\\s]+`,
    );
  }
  checkRevision(fn, input.RevisionId, fn.policy?.revisionId ?? fn.revisionId);
  const statements = fn.policy?.statements ?? [];
  if (statements.some((st) => st.Sid === sid)) {
    throw ResourceConflictException(`The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`);
  }
  const statement: PolicyStatement = {
    Sid: sid,
    Effect: "Allow",
    Principal:
      principal === "*" ? "*"
      : /^\d{12}$/.test(principal) ? { AWS: `arn:aws:iam::${principal}:root` }
      : principal.startsWith("arn:") ? { AWS: principal }
      : { Service: principal },
    Action: action,
    Resource: fn.arn + (ref.qualifier ? `:${ref.qualifier}` : ""),
  };
  const condition: Record<string, Record<string, string>> = {};
  const sourceArn = str(input.SourceArn);
  const sourceAccount = str(input.SourceAccount);
  if (sourceAccount) condition.StringEquals = { "AWS:SourceAccount": sourceAccount };
  if (sourceArn) condition.ArnLike = { "AWS:SourceArn": sourceArn };
  if (Object.keys(condition).length > 0) statement.Condition = condition;
  const updated: FunctionRecord = { ...fn, policy: { statements: [...statements, statement], revisionId: randomUUID() } };
  s.model.save(updated);
  return { Statement: JSON.stringify(statement) };
}

export function GetPolicy(s: Lambda, input: Input, ctx: RequestContext): Out<GetPolicyCommandOutput> {
  const fn = find(s, input, ctx, "GetPolicy", input.Qualifier);
  if (!fn.policy || fn.policy.statements.length === 0) throw noSuchResource();
  return { Policy: JSON.stringify(policyDocument(fn)), RevisionId: fn.policy.revisionId };
}

export function RemovePermission(s: Lambda, input: Input, ctx: RequestContext): Out<RemovePermissionCommandOutput> {
  const fn = find(s, input, ctx, "RemovePermission", input.Qualifier);
  const sid = str(input.StatementId) ?? "";
  const statements = fn.policy?.statements ?? [];
  if (!statements.some((st) => st.Sid === sid)) throw ResourceNotFoundException(`Statement ${sid} is not found in resource policy.`);
  checkRevision(fn, input.RevisionId, fn.policy?.revisionId);
  const rest = statements.filter((st) => st.Sid !== sid);
  s.model.save({ ...fn, policy: rest.length > 0 ? { statements: rest, revisionId: randomUUID() } : null });
  return {};
}

/** Invoke's body: the core passes it as bytes; services calling in-process pass text or JSON. */
function payloadText(input: Input): string {
  const raw = input.Payload;
  if (raw === undefined || raw === null) return "{}";
  if (typeof raw === "string") return raw;
  if (raw instanceof Uint8Array) return Buffer.from(raw).toString("utf8");
  return JSON.stringify(raw);
}

/** An Event invocation: accepted now, run in the background. */
function runInBackground(s: Lambda, fn: FunctionRecord, payload: string, requestId: string): void {
  // As on AWS, a failed asynchronous invocation is tried twice more, a minute and then two
  // minutes later, with the function as it is then.
  const attempt = (n: number) => {
    const current = s.model.get(fn.accountId, fn.region, fn.name);
    if (!current) return;
    void runFunction(s, current, payload, requestId)
      .then((outcome) => {
        if (!outcome.ok && n < ASYNC_RETRIES) s.env.scheduler.setTimeout(() => attempt(n + 1), 60_000 * (n + 1));
      })
      .catch(() => undefined);
  };
  s.env.scheduler.setTimeout(() => attempt(0), 0);
}

export async function Invoke(s: Lambda, input: Input, ctx: RequestContext): Promise<Out<InvokeCommandOutput> & RawAnswer> {
  const fn = find(s, input, ctx, "Invoke", input.Qualifier);
  const type = str(input.InvocationType) ?? "RequestResponse";
  if (type !== "RequestResponse" && type !== "Event" && type !== "DryRun") {
    throw ValidationException(
      `1 validation error detected: Value '${type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
    );
  }
  let text = payloadText(input);
  if (text.trim() === "") text = "{}";
  const size = Buffer.byteLength(text);
  const limit = type === "Event" ? MAX_ASYNC_PAYLOAD : MAX_SYNC_PAYLOAD;
  if (size > limit) throw RequestTooLargeException(`Request must be smaller than ${limit} bytes for the InvokeFunction operation`);
  try {
    JSON.parse(text);
  } catch (err) {
    throw InvalidRequestContentException(`Could not parse request body into json: Could not parse payload into json: ${(err as Error).message}`);
  }
  const baseHeaders = { "X-Amz-Executed-Version": "$LATEST" };
  if (type === "DryRun") return { StatusCode: 204, __raw: Buffer.alloc(0), __headers: baseHeaders, __status: 204 };
  if (!s.env.options.lambdaExec) throw executionDisabled();
  if (!isSupportedRuntime(fn.runtime)) throw runtimeNotSupported(fn.runtime);
  if (type === "Event") {
    runInBackground(s, fn, text, ctx.requestId);
    return { StatusCode: 202, Payload: "", __raw: Buffer.alloc(0), __headers: {}, __status: 202 };
  }
  const outcome = await runFunction(s, fn, text, ctx.requestId);
  const headers: Record<string, string> = { ...baseHeaders };
  if (input.LogType === "Tail") headers["X-Amz-Log-Result"] = Buffer.from(outcome.logs.slice(-4096)).toString("base64");
  const body = outcome.ok ? outcome.payload : JSON.stringify(outcome.error);
  if (outcome.ok && Buffer.byteLength(body) > MAX_SYNC_PAYLOAD) {
    const error = { errorType: "Function.ResponseSizeTooLarge", errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_SYNC_PAYLOAD} bytes).` };
    return {
      StatusCode: 200,
      FunctionError: "Unhandled",
      ExecutedVersion: "$LATEST",
      Payload: JSON.stringify(error),
      __raw: Buffer.from(JSON.stringify(error)),
      __headers: { ...headers, "X-Amz-Function-Error": "Unhandled" },
      __status: 200,
    };
  }
  if (!outcome.ok) headers["X-Amz-Function-Error"] = "Unhandled";
  return {
    StatusCode: 200,
    ...(outcome.ok ? {} : { FunctionError: "Unhandled" }),
    ExecutedVersion: "$LATEST",
    ...(headers["X-Amz-Log-Result"] ? { LogResult: headers["X-Amz-Log-Result"] } : {}),
    Payload: body,
    __raw: Buffer.from(body),
    __headers: headers,
    __status: 200,
  };
}

/** Every Lambda operation the sandbox provides, by its AWS name (index.ts builds the table from it). */
export const handlers = {
  CreateFunction,
  GetFunction,
  GetFunctionConfiguration,
  ListFunctions,
  DeleteFunction,
  UpdateFunctionCode,
  UpdateFunctionConfiguration,
  AddPermission,
  GetPolicy,
  RemovePermission,
  Invoke,
  CreateEventSourceMapping,
  GetEventSourceMapping,
  ListEventSourceMappings,
  UpdateEventSourceMapping,
  DeleteEventSourceMapping,
} satisfies Record<string, (s: Lambda, input: Input, ctx: RequestContext) => unknown>;
