// Runs one invocation: node for Node.js runtimes, python3 for Python, inside the bubblewrap jail
// (jail.ts) with the invocation's limits (limits.ts). The child sees only the function's
// variables plus what Lambda itself sets; the function's Timeout kills the whole jail, every
// process in it included. Where the jail cannot be built, a request that only prefers
// confinement (local mode: the learner's own code on their own machine) runs unconfined with
// the limits that still apply; one that requires it (hosted mode) is refused.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { constants as osConstants } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { encodeOptions, HOST_TOOLS_ENV, JAIL_RUNTIME_DIR, JAIL_SOCKET, JAIL_TASK_ROOT, jailOptions, jailSupport } from "./jail";
import { InvocationGroups, type InvocationLimits, wrapper } from "./limits";
import { JAIL_NODE_MODULES, nodeImage, pythonImage, type RuntimeImage } from "./runtime-image";

const here = path.dirname(fileURLToPath(import.meta.url));
/** The most of a function's own output kept for LogType Tail (Lambda returns the last 4 KB). */
const LOG_LIMIT = 64 * 1024;
/** Lambda's synchronous response limit, as its error names it. */
const MAX_RESPONSE = 6_291_556;
/** What is read of the result pipe: the response plus its JSON envelope; more is drained unread. */
const RESULT_LIMIT = MAX_RESPONSE + 64 * 1024;
/** After the runtime exits, how long its output may take to arrive (unconfined: a straggler can hold it). */
const OUTPUT_GRACE_MS = 250;
const RESULT_FD = 3;
const OPTIONS_FD = 4;

export interface InvocationRequest {
  runtime: string;
  handler: string;
  codeDir: string;
  payload: string;
  timeoutSeconds: number;
  memorySize: number;
  requestId: string;
  /** The complete environment of the function (LAMBDA_TASK_ROOT and AWS_ENDPOINT_URL are adjusted inside the jail). */
  environment: Record<string, string>;
  /**
   * "required" (hosted mode, and the default): run only inside the jail, else answer an error
   * naming what is missing. "preferred" (local mode): where the jail cannot be built, run
   * unconfined with the timeout and the limits that still apply.
   */
  confinement?: "required" | "preferred";
  /**
   * The sandbox's Unix socket (ServiceEnvironment.options.lambdaSocket), the jail's only way out:
   * without it, code in the jail reaches nothing, the sandbox included.
   */
  endpointSocket?: string;
}

export type InvocationOutcome =
  | { ok: true; payload: string; logs: string }
  | { ok: false; error: { errorType: string; errorMessage: string; [k: string]: unknown }; logs: string };

export const isNodeRuntime = (runtime: string) => /^nodejs\d+\.x$/.test(runtime);
export const isPythonRuntime = (runtime: string) => /^python3\.\d+$/.test(runtime);

function pythonExecutable(): string {
  const configured = process.env.SANDBOX_PYTHON;
  if (configured) return configured;
  return ["/usr/bin/python3", "/usr/local/bin/python3"].find((p) => existsSync(p)) ?? "python3";
}

/** Stops every child a service instance started (its close()); each takes its jail with it. */
export function killAll(running: Set<number>): void {
  for (const pid of running) killGroup(pid);
  running.clear();
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** How the child is started: the wrapper shell, and what it execs. */
interface Launch {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  /** bwrap's options, written to OPTIONS_FD. */
  options?: Buffer;
  groups: InvocationGroups;
  jailed: boolean;
}

function failure(errorType: string, errorMessage: string, logs = ""): InvocationOutcome {
  return { ok: false, error: { errorType, errorMessage }, logs };
}

/** The runner's command line; `dir` is where the runner files are (the jail's or the host's). */
function runnerCommand(req: InvocationRequest, executable: string, dir: string, forward: string[]): string[] {
  const args = [req.handler, req.requestId, String(req.timeoutSeconds * 1000), ...forward];
  return isPythonRuntime(req.runtime)
    ? [executable, "-u", path.join(dir, "python_runner.py"), ...args]
    : [executable, `--max-old-space-size=${req.memorySize}`, path.join(dir, "node-runner.mjs"), ...args];
}

const LOOPBACK_V4 = /^127\.\d+\.\d+\.\d+$/;

/**
 * Where the forwarder listens inside the jail, and the endpoint the function is told: the
 * sandbox's own loopback address and port, so requests carry the Host the sandbox answers. Any
 * other host (a LAN address the sandbox listens on) becomes 127.0.0.1 on the same port.
 */
function jailEndpoint(endpoint: string | undefined): { host: string; port: number; url: string } | undefined {
  if (endpoint === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return undefined;
  }
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  if (url.hostname === "[::1]") return { host: "::1", port, url: endpoint };
  if (LOOPBACK_V4.test(url.hostname)) return { host: url.hostname, port, url: endpoint };
  if (url.hostname === "localhost") return { host: "127.0.0.1", port, url: endpoint };
  return { host: "127.0.0.1", port, url: `http://127.0.0.1:${port}` };
}

function jailedLaunch(req: InvocationRequest, bwrap: string, image: RuntimeImage, limits: InvocationLimits): Launch {
  const endpoint = req.endpointSocket !== undefined ? jailEndpoint(req.environment.AWS_ENDPOINT_URL) : undefined;
  const environment: Record<string, string> = {};
  // bwrap reads its options NUL-separated: a NUL inside a value would split it.
  for (const [k, v] of Object.entries(req.environment)) if (!k.includes("\0") && !v.includes("\0")) environment[k] = v;
  environment.LAMBDA_TASK_ROOT = JAIL_TASK_ROOT;
  environment.LAMBDA_RUNTIME_DIR = JAIL_RUNTIME_DIR;
  if (isNodeRuntime(req.runtime)) environment.NODE_PATH ??= `${JAIL_NODE_MODULES}:${JAIL_RUNTIME_DIR}:${JAIL_TASK_ROOT}`;
  if (endpoint !== undefined) environment.AWS_ENDPOINT_URL = endpoint.url;
  const forward = endpoint !== undefined ? [endpoint.host, String(endpoint.port), JAIL_SOCKET] : [];
  const options = jailOptions({ image, codeDir: req.codeDir, environment, ...(endpoint !== undefined ? { socket: req.endpointSocket } : {}) });
  const groups = InvocationGroups.create(limits);
  const { shell, args } = wrapper(limits, groups, [bwrap, "--args", String(OPTIONS_FD), ...runnerCommand(req, image.executable, JAIL_RUNTIME_DIR, forward)], OPTIONS_FD);
  return {
    command: shell,
    args,
    // Nothing of the function's reaches the host-side shell or bwrap (no LD_PRELOAD before the
    // jail), nor the sandbox's working directory (the shell would pass it on as PWD).
    env: HOST_TOOLS_ENV,
    cwd: "/",
    options: encodeOptions(options),
    groups,
    jailed: true,
  };
}

function unconfinedLaunch(req: InvocationRequest, limits: InvocationLimits): Launch {
  const executable = isPythonRuntime(req.runtime) ? pythonExecutable() : process.execPath;
  const command = runnerCommand(req, executable, here, []);
  const groups = InvocationGroups.create(limits);
  if (process.platform === "win32") return { command: command[0]!, args: command.slice(1), env: req.environment, cwd: req.codeDir, groups, jailed: false };
  const { shell, args } = wrapper(limits, groups, command);
  return { command: shell, args, env: req.environment, cwd: req.codeDir, groups, jailed: false };
}

/**
 * Where the jail cannot be built: unconfined when the request only prefers confinement, else the
 * error Invoke answers, naming what is missing.
 */
export function withoutJail(confinement: InvocationRequest["confinement"], reason: string): "unconfined" | InvocationOutcome {
  if ((confinement ?? "required") === "preferred") return "unconfined";
  return failure("Sandbox.IsolationUnavailable", `This sandbox runs function code only inside a bubblewrap jail, and the jail cannot be built here: ${reason}.`);
}

/** The jail, or (when only preferred) no jail, or a refusal naming what is missing. */
async function prepare(req: InvocationRequest): Promise<Launch | InvocationOutcome> {
  const limits: InvocationLimits = { memoryMiB: req.memorySize, timeoutSeconds: req.timeoutSeconds };
  const support = jailSupport();
  let reason: string;
  if (support.ok) {
    try {
      const image = isPythonRuntime(req.runtime) ? await pythonImage(pythonExecutable()) : await nodeImage(process.execPath);
      return jailedLaunch(req, support.bwrap, image, limits);
    } catch (err) {
      reason = `the runtime's files for the jail could not be listed: ${(err as Error).message}`;
    }
  } else {
    reason = support.reason;
  }
  const fallback = withoutJail(req.confinement, reason);
  return fallback === "unconfined" ? unconfinedLaunch(req, limits) : fallback;
}

/** `signal: killed` and the like: how Lambda's runtime reports a runtime that died of a signal. */
const SIGNAL_TEXT: Record<string, string> = {
  SIGKILL: "killed", SIGABRT: "aborted", SIGSEGV: "segmentation fault", SIGTERM: "terminated", SIGBUS: "bus error",
  SIGILL: "illegal instruction", SIGFPE: "floating point exception", SIGXCPU: "CPU time limit exceeded",
  SIGXFSZ: "file size limit exceeded", SIGPIPE: "broken pipe", SIGHUP: "hangup", SIGINT: "interrupt", SIGQUIT: "quit", SIGTRAP: "trace/breakpoint trap",
};

/** bwrap exits 128+N when the runtime died of signal N. */
function signalOf(code: number | null, signal: NodeJS.Signals | null, jailed: boolean): string | undefined {
  if (signal !== null) return signal;
  if (!jailed || code === null || code <= 128 || code >= 128 + 65) return undefined;
  return Object.entries(osConstants.signals).find(([, n]) => n === code - 128)?.[0];
}

function exitError(req: InvocationRequest, code: number | null, signal: string | undefined): string {
  const how = signal !== undefined ? `signal: ${SIGNAL_TEXT[signal] ?? signal}` : `exit status ${code ?? "unknown"}`;
  return `RequestId: ${req.requestId} Error: Runtime exited with error: ${how}`;
}

function readOutcome(text: string, logs: string): InvocationOutcome {
  try {
    const outcome = JSON.parse(text) as Record<string, unknown>;
    if (outcome.ok === true) return { ok: true, payload: JSON.stringify(outcome.result ?? null), logs };
    const { ok: _ok, ...error } = outcome;
    return { ok: false, error: { ...error, errorType: String(error.errorType ?? "Error"), errorMessage: String(error.errorMessage ?? "") }, logs };
  } catch (err) {
    return failure("Runtime.MarshalError", `The runtime wrote an unreadable result: ${(err as Error).message}`, logs);
  }
}

/** `running` holds the pids of this service instance's children, so close() can stop them. */
export async function invokeInChildProcess(req: InvocationRequest, running: Set<number>): Promise<InvocationOutcome> {
  const launch = await prepare(req);
  if (!("command" in launch)) return launch;
  const outcome = await run(req, launch, running);
  // Nothing of the invocation outlives it: what is left in its groups is killed before the
  // answer; the empty groups go in the background.
  void launch.groups.release();
  return outcome;
}

function run(req: InvocationRequest, launch: Launch, running: Set<number>): Promise<InvocationOutcome> {
  return new Promise((resolve) => {
    let logs = "";
    const keep = (chunk: Buffer) => {
      logs += chunk.toString("utf8");
      if (logs.length > LOG_LIMIT) logs = logs.slice(-LOG_LIMIT);
    };
    const result: Buffer[] = [];
    let resultBytes = 0;
    let timedOut = false;
    let settled = false;
    const child = spawn(launch.command, launch.args, {
      ...(launch.cwd !== undefined ? { cwd: launch.cwd } : {}),
      env: launch.env as NodeJS.ProcessEnv,
      // Its own process group, so a timeout also kills whatever the handler started.
      detached: true,
      stdio: ["pipe", "pipe", "pipe", "pipe", ...(launch.options !== undefined ? (["pipe"] as const) : [])],
    });
    const pid = child.pid;
    if (pid !== undefined) running.add(pid);
    const finish = (outcome: InvocationOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (pid !== undefined) {
        running.delete(pid);
        killGroup(pid); // unconfined: stragglers of its group; jailed: already gone with the jail
      }
      for (const s of child.stdio) s?.destroy();
      resolve(outcome);
    };
    // The timeout is wall-clock time of a real process, so it uses a real timer, not the
    // sandbox scheduler (whose test double only moves when a test advances it).
    const timer = setTimeout(() => {
      timedOut = true;
      if (pid !== undefined) killGroup(pid);
      launch.groups.kill();
    }, req.timeoutSeconds * 1000);
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    const resultPipe = child.stdio[RESULT_FD] as NodeJS.ReadableStream | null;
    resultPipe?.on("data", (chunk: Buffer) => {
      resultBytes += chunk.length;
      if (resultBytes <= RESULT_LIMIT) result.push(chunk);
    });
    resultPipe?.on("error", () => undefined);
    const optionsPipe = child.stdio[OPTIONS_FD] as NodeJS.WritableStream | null;
    if (optionsPipe && launch.options !== undefined) {
      optionsPipe.on("error", () => undefined);
      optionsPipe.end(launch.options);
    }
    child.stdin?.on("error", () => undefined); // a handler that exits before reading its event
    child.stdin?.end(req.payload);
    child.on("error", (err) => finish(failure("Runtime.StartError", `The runtime could not start: ${err.message}`, logs)));

    const conclude = (code: number | null, signal: NodeJS.Signals | null) => {
      if (timedOut) return finish(failure("Sandbox.Timedout", `Task timed out after ${req.timeoutSeconds.toFixed(2)} seconds`, logs));
      if (resultBytes > RESULT_LIMIT) return finish(failure("Function.ResponseSizeTooLarge", `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE} bytes).`, logs));
      if (resultBytes > 0) return finish(readOutcome(Buffer.concat(result).toString("utf8"), logs));
      if (launch.groups.oomKilled() || /heap out of memory|MemoryError/i.test(logs)) {
        return finish(failure("Runtime.OutOfMemory", `RequestId: ${req.requestId} Error: Runtime exited with error: signal: killed`, logs));
      }
      return finish(failure("Runtime.ExitError", exitError(req, code, signalOf(code, signal, launch.jailed)), logs));
    };
    let closed = false;
    child.on("close", (code, signal) => {
      closed = true;
      conclude(code, signal);
    });
    // Unconfined, a process the handler left behind can hold the output pipes open: give them a
    // moment after the runtime exits, then conclude without waiting for it.
    child.on("exit", (code, signal) => {
      setTimeout(() => {
        if (!closed) conclude(code, signal);
      }, OUTPUT_GRACE_MS);
    });
  });
}
