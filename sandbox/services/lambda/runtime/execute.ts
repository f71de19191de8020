// Runs one invocation in a child process: node for Node.js runtimes, python3 for Python. The
// child sees only the function's variables plus what Lambda itself sets, so a handler cannot
// read the sandbox's own secrets; the function's Timeout is enforced by killing the process
// group, and MemorySize bounds the Node.js heap.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const NODE_RUNNER = path.join(here, "node-runner.mjs");
const PYTHON_RUNNER = path.join(here, "python_runner.py");
/** The most of a function's own output kept for LogType Tail (Lambda returns the last 4 KB). */
const LOG_LIMIT = 64 * 1024;

export interface InvocationRequest {
  runtime: string;
  handler: string;
  codeDir: string;
  payload: string;
  timeoutSeconds: number;
  memorySize: number;
  requestId: string;
  /** The complete environment of the child. */
  environment: Record<string, string>;
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

/** Stops every child a service instance started (its close()). */
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

/** `running` holds the pids of this service instance's children, so close() can stop them. */
export function invokeInChildProcess(req: InvocationRequest, running: Set<number>): Promise<InvocationOutcome> {
  const resultFile = path.join(os.tmpdir(), `sandbox-lambda-${randomUUID()}.json`);
  const timeoutMs = req.timeoutSeconds * 1000;
  const args = [resultFile, req.handler, req.requestId, String(timeoutMs)];
  const [command, argv]: [string, string[]] = isPythonRuntime(req.runtime)
    ? [pythonExecutable(), ["-u", PYTHON_RUNNER, ...args]]
    : [process.execPath, [`--max-old-space-size=${req.memorySize}`, NODE_RUNNER, ...args]];

  return new Promise((resolve) => {
    let logs = "";
    const keep = (chunk: Buffer) => {
      logs += chunk.toString("utf8");
      if (logs.length > LOG_LIMIT) logs = logs.slice(-LOG_LIMIT);
    };
    let timedOut = false;
    let settled = false;
    const done = (outcome: InvocationOutcome) => {
      if (settled) return;
      settled = true;
      rmSync(resultFile, { force: true });
      resolve(outcome);
    };
    const child = spawn(command, argv, {
      cwd: req.codeDir,
      env: req.environment as NodeJS.ProcessEnv,
      // Its own process group, so a timeout also kills whatever the handler started.
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
    });
    if (child.pid !== undefined) running.add(child.pid);
    // The timeout is wall-clock time of a real process, so it uses a real timer, not the
    // sandbox scheduler (whose test double only moves when a test advances it).
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) killGroup(child.pid);
    }, timeoutMs);
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.stdin.on("error", () => undefined); // a handler that exits before reading its event
    child.stdin.end(req.payload);
    child.on("error", (err) => {
      clearTimeout(timer);
      done({ ok: false, error: { errorType: "Runtime.StartError", errorMessage: `The runtime could not start: ${err.message}` }, logs });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (child.pid !== undefined) running.delete(child.pid);
      if (timedOut) {
        done({ ok: false, error: { errorType: "Sandbox.Timedout", errorMessage: `Task timed out after ${req.timeoutSeconds.toFixed(2)} seconds` }, logs });
        return;
      }
      let text: string | undefined;
      try {
        text = readFileSync(resultFile, "utf8");
      } catch {
        text = undefined;
      }
      if (text === undefined) {
        const out = /heap out of memory|MemoryError/i.test(logs);
        done({
          ok: false,
          error: out
            ? { errorType: "Runtime.OutOfMemory", errorMessage: `RequestId: ${req.requestId} Error: Runtime exited with error: signal: killed` }
            : { errorType: "Runtime.ExitError", errorMessage: `RequestId: ${req.requestId} Error: Runtime exited with error: ${signal ? `signal: ${signal}` : `exit status ${code ?? "unknown"}`}` },
          logs,
        });
        return;
      }
      try {
        const outcome = JSON.parse(text) as Record<string, unknown>;
        if (outcome.ok === true) {
          done({ ok: true, payload: JSON.stringify(outcome.result ?? null), logs });
        } else {
          const { ok: _ok, ...error } = outcome;
          done({ ok: false, error: { ...error, errorType: String(error.errorType ?? "Error"), errorMessage: String(error.errorMessage ?? "") }, logs });
        }
      } catch (err) {
        done({ ok: false, error: { errorType: "Runtime.MarshalError", errorMessage: `The runtime wrote an unreadable result: ${(err as Error).message}` }, logs });
      }
    });
  });
}
