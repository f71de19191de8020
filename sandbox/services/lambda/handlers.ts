// Lambda's operations, one function each, named after the operation. Inputs are the JSON
// shapes the SDK sends (REST-JSON: path parameters, query and body merged by the core).
import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { unzipSync } from "fflate";
import type { RequestContext, ServiceEnvironment } from "@/sandbox/core/contracts";
import { actionOf, checkPassRole, ownAccount, resolveFunction, resolveReference, targetFunction } from "./access";
import {
  executionDisabled, invalidParameter, invalidRequestContent, preconditionFailed, requestTooLarge, resourceConflict,
  resourceNotFound, validation,
} from "./errors";
import { functionArn, policyDocument, type FunctionRecord, type LambdaModel, type PolicyStatement } from "./models";
import { codeDir, lambdaRoot as lambdaRootOf } from "./paths";
import { invokeInChildProcess, isNodeRuntime, isPythonRuntime } from "./runtime/execute";

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;

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
const MAX_ZIP_BYTES = 50 * 1024 * 1024;
const MAX_UNZIPPED_BYTES = 262_144_000;
const MAX_SYNC_PAYLOAD = 6_291_456;
const MAX_ASYNC_PAYLOAD = 262_144;
const MAX_ENV_BYTES = 4096;
/** Child processes running at once; more invocations wait for a slot (the host is not Lambda's fleet). */
const MAX_CONCURRENT = 32;
const ASYNC_RETRIES = 2;

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Lambda's timestamp format: 2026-01-01T00:00:00.000+0000. */
const lambdaDate = (ms: number) => new Date(ms).toISOString().replace("Z", "+0000");

const notSupported = (runtime: string) =>
  invalidParameter(`Runtime ${runtime} is not supported by this sandbox: use a Node.js or Python runtime.`);

function bytesOf(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (typeof value === "string") return Buffer.from(value, "base64");
  if (Array.isArray(value)) return Uint8Array.from(value as number[]);
  return undefined;
}

function checkTimeout(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > 900) {
    throw validation(`1 validation error detected: Value '${String(v)}' at 'timeout' failed to satisfy constraint: Member must have value between 1 and 900`);
  }
  return v;
}

function checkMemory(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 128 || v > 10240) {
    throw validation(`1 validation error detected: Value '${String(v)}' at 'memorySize' failed to satisfy constraint: Member must have value between 128 and 10240`);
  }
  return v;
}

function checkRuntime(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const runtime = String(v);
  if (!/^nodejs(18|20|22|24)\.x$/.test(runtime) && !/^python3\.(9|1[0-4])$/.test(runtime)) throw notSupported(runtime);
  return runtime;
}

function checkRole(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const role = String(v);
  if (!ROLE_PATTERN.test(role)) {
    throw validation(`1 validation error detected: Value '${role}' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+`);
  }
  return role;
}

function checkHandler(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const handler = String(v);
  if (!HANDLER_PATTERN.test(handler)) {
    throw validation(`1 validation error detected: Value '${handler}' at 'handler' failed to satisfy constraint: Member must satisfy regular expression pattern: [^\\s]+`);
  }
  return handler;
}

function checkEnvironment(v: unknown): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  const vars = (v as { Variables?: unknown }).Variables ?? {};
  if (typeof vars !== "object" || vars === null || Array.isArray(vars)) throw invalidParameter("Environment.Variables must be a map of strings.");
  const out: Record<string, string> = {};
  const reserved: string[] = [];
  for (const [key, value] of Object.entries(vars as Record<string, unknown>)) {
    if (!ENV_KEY_PATTERN.test(key)) {
      throw validation(`1 validation error detected: Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]`);
    }
    if (RESERVED_ENV.has(key)) reserved.push(key);
    out[key] = typeof value === "string" ? value : String(value);
  }
  if (reserved.length > 0) {
    throw invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(", ")}`,
    );
  }
  if (Buffer.byteLength(JSON.stringify(out)) > MAX_ENV_BYTES) {
    throw invalidParameter("Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit.");
  }
  return out;
}

/** Where a child process reaches the sandbox: loopback on the sandbox's own port. */
function sandboxEndpoint(env: ServiceEnvironment): string {
  const configured = (env.options as { endpointUrl?: unknown }).endpointUrl;
  if (typeof configured === "string" && configured !== "") return configured;
  const host = process.env.SANDBOX_HOST && process.env.SANDBOX_HOST !== "0.0.0.0" ? process.env.SANDBOX_HOST : "127.0.0.1";
  return `http://${host}:${process.env.SANDBOX_PORT ?? "4566"}`;
}

export function configurationOf(fn: FunctionRecord): Output {
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

export function createLambdaHandlers(env: ServiceEnvironment, model: LambdaModel, running: Set<number>) {
  const lambdaRoot = lambdaRootOf(env.options.dataDir);
  let active = 0;
  const waiting: (() => void)[] = [];
  async function withSlot<T>(fn: () => Promise<T>): Promise<T> {
    // A finishing invocation hands its slot straight to the next waiter.
    if (active >= MAX_CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  }

  /** The function a request names, if the caller may perform `operation` on it (access.ts holds the rule). */
  const find = (input: Input, ctx: RequestContext, operation: string, qualifier?: unknown) =>
    resolveFunction(model, input.FunctionName, ctx, actionOf(operation), qualifier);

  /** Unzips the code into the function's folder, replacing what was there. */
  function installCode(accountId: string, region: string, name: string, zip: Uint8Array): { sha256: string; size: number } {
    if (zip.byteLength > MAX_ZIP_BYTES) throw requestTooLarge(`Request must be smaller than ${MAX_ZIP_BYTES} bytes for the CreateFunction operation`);
    let files: Record<string, Uint8Array>;
    let total = 0;
    try {
      files = unzipSync(zip, {
        filter: (f) => {
          total += f.originalSize;
          if (total > MAX_UNZIPPED_BYTES) throw new RangeError("too large");
          return true;
        },
      });
    } catch (err) {
      if (err instanceof RangeError) throw invalidParameter(`Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`);
      throw invalidParameter("Could not unzip uploaded file. Please check your file, then try to upload again.");
    }
    // Node treats .js as ESM under the nearest package.json with "type": "module" (the
    // project's own); Lambda treats it as CommonJS unless the function says otherwise.
    mkdirSync(lambdaRoot, { recursive: true });
    const marker = path.join(lambdaRoot, "package.json");
    if (!existsSync(marker)) writeFileSync(marker, JSON.stringify({ type: "commonjs" }));
    const target = codeDir(env.options.dataDir, accountId, region, name);
    const staging = `${target}.staging-${randomUUID()}`;
    mkdirSync(staging, { recursive: true });
    try {
      for (const [entry, data] of Object.entries(files)) {
        const normalized = path.posix.normalize(entry.replace(/\\/g, "/"));
        if (normalized === "." || normalized === "./") continue; // the root folder itself
        const dest = path.resolve(staging, normalized);
        // A zip entry must not write outside the function's folder (zip slip).
        if (normalized.startsWith("/") || normalized === ".." || normalized.startsWith("../") || !dest.startsWith(staging + path.sep)) {
          throw invalidParameter(`The zip file has an entry outside its root: ${entry}`);
        }
        if (entry.endsWith("/")) {
          mkdirSync(dest, { recursive: true });
          continue;
        }
        mkdirSync(path.dirname(dest), { recursive: true });
        writeFileSync(dest, data);
      }
      rmSync(target, { recursive: true, force: true });
      renameSync(staging, target);
    } catch (err) {
      rmSync(staging, { recursive: true, force: true });
      throw err;
    }
    return { sha256: createHash("sha256").update(zip).digest("base64"), size: zip.byteLength };
  }

  function codeOf(input: Input, where: "Code" | "top"): Uint8Array {
    const code = (where === "Code" ? input.Code : input) as Input | undefined;
    if (!code || typeof code !== "object") throw invalidParameter("Please provide a source for function code.");
    if (code.S3Bucket !== undefined || code.S3Key !== undefined) {
      throw invalidParameter("Code from S3 is not supported by this sandbox: upload the zip itself (--zip-file fileb://function.zip).");
    }
    if (code.ImageUri !== undefined) throw invalidParameter("Container images are not supported by this sandbox: use a zip package.");
    const zip = bytesOf(code.ZipFile);
    if (!zip || zip.byteLength === 0) throw invalidParameter("Please provide a source for function code.");
    return zip;
  }

  function checkRevision(fn: FunctionRecord, revisionId: unknown, current = fn.revisionId): void {
    if (typeof revisionId === "string" && revisionId !== current) {
      throw preconditionFailed("The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id");
    }
  }

  function CreateFunction(input: Input, ctx: RequestContext): Output {
    // A bare name, or a full or partial ARN of the caller's own account and region, as AWS accepts.
    const { accountId, region, name } = targetFunction(input.FunctionName, ctx);
    if (input.PackageType !== undefined && input.PackageType !== "Zip") throw invalidParameter("This sandbox supports Zip packages only.");
    if (input.Runtime === undefined) throw invalidParameter("The Runtime parameter is required for a Zip package.");
    const runtime = checkRuntime(input.Runtime)!;
    const role = checkRole(input.Role);
    if (role === undefined) throw validation("1 validation error detected: Value null at 'role' failed to satisfy constraint: Member must not be null");
    checkPassRole(role, ctx);
    const handler = checkHandler(input.Handler);
    if (handler === undefined) throw invalidParameter("The Handler parameter is required for a Zip package.");
    const timeout = checkTimeout(input.Timeout) ?? 3;
    const memorySize = checkMemory(input.MemorySize) ?? 128;
    const environment = checkEnvironment(input.Environment) ?? {};
    if (model.get(accountId, region, name)) {
      throw resourceConflict(`Function already exist: ${name}`);
    }
    const code = installCode(accountId, region, name, codeOf(input, "Code"));
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
    model.save(record);
    return configurationOf(record);
  }

  function GetFunction(input: Input, ctx: RequestContext): Output {
    const fn = find(input, ctx, "GetFunction", input.Qualifier);
    return {
      Configuration: configurationOf(fn),
      // The code is kept unzipped on the sandbox's disk; there is no download URL to give.
      Code: { RepositoryType: "S3" },
      ...(Object.keys(fn.tags).length > 0 ? { Tags: { ...fn.tags } } : {}),
    };
  }

  function GetFunctionConfiguration(input: Input, ctx: RequestContext): Output {
    return configurationOf(find(input, ctx, "GetFunctionConfiguration", input.Qualifier));
  }

  function ListFunctions(input: Input, ctx: RequestContext): Output {
    const all = model.list(ownAccount(ctx), ctx.region);
    const max = typeof input.MaxItems === "number" ? input.MaxItems : Number(input.MaxItems ?? 50);
    if (!Number.isInteger(max) || max < 1 || max > 10000) {
      throw validation(`1 validation error detected: Value '${String(input.MaxItems)}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000`);
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

  function DeleteFunction(input: Input, ctx: RequestContext): Output {
    const fn = find(input, ctx, "DeleteFunction", input.Qualifier);
    model.remove(fn);
    rmSync(codeDir(env.options.dataDir, fn.accountId, fn.region, fn.name), { recursive: true, force: true });
    return {};
  }

  function UpdateFunctionCode(input: Input, ctx: RequestContext): Output {
    const fn = find(input, ctx, "UpdateFunctionCode");
    checkRevision(fn, input.RevisionId);
    const zip = codeOf(input, "top");
    if (input.DryRun === true) return configurationOf(fn);
    const code = installCode(fn.accountId, fn.region, fn.name, zip);
    const updated: FunctionRecord = { ...fn, codeSha256: code.sha256, codeSize: code.size, lastModified: ctx.now, revisionId: randomUUID() };
    model.save(updated);
    return configurationOf(updated);
  }

  function UpdateFunctionConfiguration(input: Input, ctx: RequestContext): Output {
    const fn = find(input, ctx, "UpdateFunctionConfiguration");
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
    model.save(updated);
    return configurationOf(updated);
  }

  function AddPermission(input: Input, ctx: RequestContext): Output {
    const { fn, ref } = resolveReference(model, input.FunctionName, ctx, actionOf("AddPermission"), input.Qualifier);
    const sid = str(input.StatementId);
    if (!sid || !/^[a-zA-Z0-9_.-]{1,100}$/.test(sid)) {
      throw validation(`1 validation error detected: Value '${String(input.StatementId ?? null)}' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_.]+)`);
    }
    const action = str(input.Action);
    if (!action || !/^(lambda:[*]|lambda:[a-zA-Z]+|[*])$/.test(action)) {
      throw validation(`1 validation error detected: Value '${String(input.Action ?? null)}' at 'action' failed to satisfy constraint: Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])`);
    }
    const principal = str(input.Principal);
    if (!principal || !/^[^\s]+$/.test(principal)) {
      throw validation(`1 validation error detected: Value '${String(input.Principal ?? null)}' at 'principal' failed to satisfy constraint: Member must satisfy regular expression pattern: [^\\s]+`);
    }
    checkRevision(fn, input.RevisionId, fn.policy?.revisionId ?? fn.revisionId);
    const statements = fn.policy?.statements ?? [];
    if (statements.some((s) => s.Sid === sid)) {
      throw resourceConflict(`The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`);
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
    model.save(updated);
    return { Statement: JSON.stringify(statement) };
  }

  function GetPolicy(input: Input, ctx: RequestContext): Output {
    const fn = find(input, ctx, "GetPolicy", input.Qualifier);
    if (!fn.policy || fn.policy.statements.length === 0) throw resourceNotFound("The resource you requested does not exist.");
    return { Policy: JSON.stringify(policyDocument(fn)), RevisionId: fn.policy.revisionId };
  }

  function RemovePermission(input: Input, ctx: RequestContext): Output {
    const fn = find(input, ctx, "RemovePermission", input.Qualifier);
    const sid = str(input.StatementId) ?? "";
    const statements = fn.policy?.statements ?? [];
    if (!statements.some((s) => s.Sid === sid)) throw resourceNotFound(`Statement ${sid} is not found in resource policy.`);
    checkRevision(fn, input.RevisionId, fn.policy?.revisionId);
    const rest = statements.filter((s) => s.Sid !== sid);
    model.save({ ...fn, policy: rest.length > 0 ? { statements: rest, revisionId: randomUUID() } : null });
    return {};
  }

  function childEnvironment(fn: FunctionRecord, dir: string): Record<string, string> {
    const credentials: Record<string, string> =
      // The default account's keys are public (test/test); issued accounts' keys are never
      // handed to code, so their functions call AWS without credentials.
      fn.accountId === "000000000000" ? { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" } : {};
    return {
      ...fn.environment,
      PATH: "/usr/local/bin:/usr/bin:/bin",
      LANG: "en_US.UTF-8",
      TZ: ":UTC",
      HOME: "/tmp",
      PYTHONDONTWRITEBYTECODE: "1",
      LAMBDA_TASK_ROOT: dir,
      _HANDLER: fn.handler,
      AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
      AWS_REGION: fn.region,
      AWS_DEFAULT_REGION: fn.region,
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
      AWS_LAMBDA_LOG_STREAM_NAME: `sandbox/${fn.name}`,
      SANDBOX_LAMBDA_FUNCTION_ARN: fn.arn,
      AWS_ENDPOINT_URL: sandboxEndpoint(env),
      ...credentials,
    };
  }

  async function run(fn: FunctionRecord, payload: string, requestId: string) {
    if (!isNodeRuntime(fn.runtime) && !isPythonRuntime(fn.runtime)) throw notSupported(fn.runtime);
    const dir = codeDir(env.options.dataDir, fn.accountId, fn.region, fn.name);
    if (!existsSync(dir)) {
      return { ok: false as const, error: { errorType: "Runtime.ImportModuleError", errorMessage: "The function's code is missing from the sandbox's data folder; upload it again." }, logs: "" };
    }
    return withSlot(() => invokeInChildProcess(
      { runtime: fn.runtime, handler: fn.handler, codeDir: dir, payload, timeoutSeconds: fn.timeout, memorySize: fn.memorySize, requestId, environment: childEnvironment(fn, dir) },
      running,
    ));
  }

  /** Invoke's body: the core passes it as bytes; services calling in-process pass text or JSON. */
  function payloadText(input: Input): string {
    const raw = input.Payload;
    if (raw === undefined || raw === null) return "{}";
    if (typeof raw === "string") return raw;
    if (raw instanceof Uint8Array) return Buffer.from(raw).toString("utf8");
    return JSON.stringify(raw);
  }

  async function Invoke(input: Input, ctx: RequestContext): Promise<Output> {
    const fn = find(input, ctx, "Invoke", input.Qualifier);
    const type = str(input.InvocationType) ?? "RequestResponse";
    if (type !== "RequestResponse" && type !== "Event" && type !== "DryRun") {
      throw validation(`1 validation error detected: Value '${type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`);
    }
    let text = payloadText(input);
    if (text.trim() === "") text = "{}";
    const size = Buffer.byteLength(text);
    const limit = type === "Event" ? MAX_ASYNC_PAYLOAD : MAX_SYNC_PAYLOAD;
    if (size > limit) throw requestTooLarge(`Request must be smaller than ${limit} bytes for the InvokeFunction operation`);
    try {
      JSON.parse(text);
    } catch (err) {
      throw invalidRequestContent(`Could not parse request body into json: Could not parse payload into json: ${(err as Error).message}`);
    }
    const baseHeaders = { "X-Amz-Executed-Version": "$LATEST" };
    if (type === "DryRun") return { StatusCode: 204, __raw: Buffer.alloc(0), __headers: baseHeaders, __status: 204 };
    if (env.options.mode === "hosted" && !env.options.lambdaExec) throw executionDisabled();
    if (!isNodeRuntime(fn.runtime) && !isPythonRuntime(fn.runtime)) throw notSupported(fn.runtime);
    if (type === "Event") {
      // Accepted now, run in the background. As on AWS, a failed asynchronous invocation is
      // tried twice more, a minute and then two minutes later, with the function as it is then.
      const attempt = (n: number) => {
        const current = model.get(fn.accountId, fn.region, fn.name);
        if (!current) return;
        void run(current, text, ctx.requestId)
          .then((outcome) => {
            if (!outcome.ok && n < ASYNC_RETRIES) env.scheduler.setTimeout(() => attempt(n + 1), 60_000 * (n + 1));
          })
          .catch(() => undefined);
      };
      env.scheduler.setTimeout(() => attempt(0), 0);
      return { StatusCode: 202, Payload: "", __raw: Buffer.alloc(0), __headers: {}, __status: 202 };
    }
    const outcome = await run(fn, text, ctx.requestId);
    const headers: Record<string, string> = { ...baseHeaders };
    if (input.LogType === "Tail") headers["X-Amz-Log-Result"] = Buffer.from(outcome.logs.slice(-4096)).toString("base64");
    const body = outcome.ok ? outcome.payload : JSON.stringify(outcome.error);
    if (outcome.ok && Buffer.byteLength(body) > MAX_SYNC_PAYLOAD) {
      const error = { errorType: "Function.ResponseSizeTooLarge", errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_SYNC_PAYLOAD} bytes).` };
      return { StatusCode: 200, FunctionError: "Unhandled", ExecutedVersion: "$LATEST", Payload: JSON.stringify(error), __raw: Buffer.from(JSON.stringify(error)), __headers: { ...headers, "X-Amz-Function-Error": "Unhandled" }, __status: 200 };
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

  return {
    handlers: {
      CreateFunction, GetFunction, GetFunctionConfiguration, ListFunctions, DeleteFunction, UpdateFunctionCode,
      UpdateFunctionConfiguration, AddPermission, GetPolicy, RemovePermission, Invoke,
    },
    /** For event source mappings: a function by name or ARN (for `operation`), and one run of it. */
    resolve: (name: unknown, ctx: RequestContext, operation: string) => resolveFunction(model, name, ctx, actionOf(operation)),
    run,
  };
}

export type LambdaHandlers = ReturnType<typeof createLambdaHandlers>;
