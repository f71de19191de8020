// One run of a function's code, for Invoke and for event source mappings: the child process
// gets the function's variables and what Lambda itself sets, and waits for a slot when the host
// already runs as many as it allows (the host is not Lambda's fleet).
import { existsSync } from "node:fs";
import type { ServiceEnvironment } from "@/sandbox/core/contracts";
import { runtimeNotSupported } from "./errors";
import type { FunctionRecord, Lambda } from "./models";
import { codeDir } from "./paths";
import { invokeInChildProcess, isNodeRuntime, isPythonRuntime, type InvocationOutcome, type InvocationRequest } from "./runtime/execute";

/** Child processes running at once; more invocations wait for a slot. */
const MAX_CONCURRENT = 32;

export class InvocationSlots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  async run<T>(fn: () => Promise<T>): Promise<T> {
    // A finishing invocation hands its slot straight to the next waiter.
    if (this.active >= MAX_CONCURRENT) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

export const isSupportedRuntime = (runtime: string) => isNodeRuntime(runtime) || isPythonRuntime(runtime);

/** Where a child process reaches the sandbox: loopback on the sandbox's own port. */
function sandboxEndpoint(env: ServiceEnvironment): string {
  const configured = env.options.endpointUrl;
  if (typeof configured === "string" && configured !== "") return configured;
  const host = process.env.SANDBOX_HOST && process.env.SANDBOX_HOST !== "0.0.0.0" ? process.env.SANDBOX_HOST : "127.0.0.1";
  return `http://${host}:${process.env.SANDBOX_PORT ?? "4566"}`;
}

function childEnvironment(env: ServiceEnvironment, fn: FunctionRecord, dir: string): Record<string, string> {
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

/** Runs the function once with a JSON payload (the hosted-mode gate is the caller's). */
export async function runFunction(s: Lambda, fn: FunctionRecord, payload: string, requestId: string): Promise<InvocationOutcome> {
  if (!isSupportedRuntime(fn.runtime)) throw runtimeNotSupported(fn.runtime);
  const dir = codeDir(s.env.options.dataDir, fn.accountId, fn.region, fn.name);
  if (!existsSync(dir)) {
    return {
      ok: false,
      error: { errorType: "Runtime.ImportModuleError", errorMessage: "The function's code is missing from the sandbox's data folder; upload it again." },
      logs: "",
    };
  }
  const request = {
    runtime: fn.runtime,
    handler: fn.handler,
    codeDir: dir,
    payload,
    timeoutSeconds: fn.timeout,
    memorySize: fn.memorySize,
    requestId,
    environment: childEnvironment(s.env, fn, dir),
    // Hosted mode never runs code outside the jail; local mode (the learner's own code on their
    // own machine) runs it unconfined where bubblewrap cannot run, as said at start-up.
    confinement: s.env.options.mode === "hosted" ? "required" : "preferred",
    // The jail's only way out: the sandbox's Unix socket, behind the runner's loopback forwarder.
    ...(s.env.options.lambdaSocket !== undefined ? { endpointSocket: s.env.options.lambdaSocket } : {}),
  } satisfies InvocationRequest;
  return s.slots.run(() => invokeInChildProcess(request, s.running));
}
