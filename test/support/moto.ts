// moto (`python3 -m moto.server`) as a second, independent AWS emulator for differential tests:
// started as a child process on a free port, awaited until it answers, stopped afterwards.
// Where moto is not installed, motoUnavailable() says why and the suites skip. MOTO_PYTHON names
// another interpreter (default python3).
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import type { ClientConfig, Credentials } from "@/test/support/sandbox";
import { startTestSandbox, TEST_CREDENTIALS } from "@/test/support/sandbox";
import { freePort } from "./free-port";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const PYTHON = process.env.MOTO_PYTHON ?? "python3";

let cachedReason: string | null | undefined;

/**
 * Why moto cannot be used here (a sentence for the skip message), or undefined when it can.
 * Checked once per process with `python3 -c "import moto, moto.server"`.
 */
export function motoUnavailable(): string | undefined {
  if (cachedReason === undefined) {
    const r = spawnSync(PYTHON, ["-c", "import moto, moto.server; print(moto.__version__)"], { encoding: "utf8", timeout: 30_000 });
    if (r.error) cachedReason = `moto is absent: ${PYTHON} could not be run (${r.error.message})`;
    else if (r.status !== 0) cachedReason = `moto is absent: \`${PYTHON} -c "import moto, moto.server"\` failed (${(r.stderr || "").trim().split("\n").pop() ?? "exit " + String(r.status)})`;
    else cachedReason = null;
  }
  return cachedReason ?? undefined;
}

/** The reason a differential suite skips, announced once with console.warn; undefined when moto is there. */
export function motoSkipReason(suite: string): string | undefined {
  const reason = motoUnavailable();
  if (reason) console.warn(`[${suite}] differential tests skipped: ${reason} (install moto[server] 5.x for python3 to run them)`);
  return reason;
}

export interface MotoServer {
  endpoint: string;
  port: number;
  /** SDK v3 client settings, like TestSandbox.clientConfig (one attempt, test keys by default). */
  clientConfig(creds?: Credentials, region?: string): ClientConfig;
  /** POST /moto-api/config: lets Step Functions executions actually run (StartExecution then needs a name). */
  enableStepFunctionsExecution(): Promise<void>;
  /** POST /moto-api/reset: forgets every resource in every service (the config above stays). */
  reset(): Promise<void>;
  /** Output so far, for failure messages. */
  output(): string;
  close(): Promise<void>;
}


async function answers(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/** Stops moto: SIGKILL, since it keeps everything in memory and has nothing to flush (and a SIGTERM
 *  can take seconds while its worker threads wind down). */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

// Children still running when the test process exits (a crash, a missed close) are killed with it.
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const c of running) c.kill("SIGKILL");
});

async function startOnce(timeoutMs: number): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(PYTHON, ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], {
    env: { ...process.env, PYTHONUNBUFFERED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  running.add(child);
  let exited = false;
  child.once("exit", () => {
    exited = true;
    running.delete(child);
  });
  child.once("error", (e) => {
    exited = true;
    out += String(e);
  });

  const deadline = Date.now() + timeoutMs;
  while (!(await answers(endpoint))) {
    if (exited || Date.now() > deadline) {
      await stop(child);
      throw new Error(`moto did not answer on ${endpoint} within ${timeoutMs} ms${exited ? " (it exited)" : ""}:\n${out.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    endpoint,
    port,
    clientConfig(creds = TEST_CREDENTIALS, region = "us-east-1") {
      const credentials: Credentials = { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey };
      if (creds.sessionToken !== undefined) credentials.sessionToken = creds.sessionToken;
      return { endpoint, region, credentials, maxAttempts: 1 };
    },
    async enableStepFunctionsExecution() {
      const res = await fetch(`${endpoint}/moto-api/config`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ stepfunctions: { execute_state_machine: true } }),
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`moto refused the Step Functions config: HTTP ${res.status}`);
    },
    async reset() {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`moto refused the reset: HTTP ${res.status}`);
    },
    output: () => out,
    close: () => stop(child),
  };
}

/** Starts moto on a free port and waits until it answers (one retry, in case the port was taken meanwhile). */
export async function startMoto(timeoutMs = 30_000): Promise<MotoServer> {
  try {
    return await startOnce(timeoutMs);
  } catch {
    return startOnce(timeoutMs);
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers for comparing what the sandbox and moto answer to the same calls.

/** moto's default account (MOTO_ACCOUNT_ID changes it); the sandbox's `test` keys are 000000000000. */
export const MOTO_ACCOUNT = process.env.MOTO_ACCOUNT_ID ?? "123456789012";
export const SANDBOX_ACCOUNT = "000000000000";

/** One side of a differential test: where to send calls and what to take out of its answers. */
export interface Target {
  name: "sandbox" | "moto";
  endpoint: string;
  account: string;
  config: ClientConfig;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * A deep copy with the parts that legitimately differ between two emulators taken out: keys in
 * `drop` are removed, the endpoint becomes `<endpoint>` (so QueueUrls compare), the account id
 * `<account>`, UUIDs `<uuid>`, Dates `<date>`; `$metadata` (request ids) always goes.
 */
export function normalise(value: unknown, target: Pick<Target, "endpoint" | "account">, drop: readonly string[] = []): unknown {
  const dropped = new Set(["$metadata", ...drop]);
  const str = (s: string) => s.split(target.endpoint).join("<endpoint>").split(target.account).join("<account>").replace(UUID, "<uuid>");
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return str(v);
    if (v instanceof Date) return "<date>";
    if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (!dropped.has(k) && x !== undefined) out[k] = walk(x);
      return out;
    }
    return v;
  };
  return walk(value);
}

/** What a call came to: its (normalised) answer, or the error's name and HTTP status. */
export type Outcome = { ok: unknown } | { error: string; status: number | undefined };

export async function outcome(call: Promise<unknown>, target: Pick<Target, "endpoint" | "account">, drop: readonly string[] = []): Promise<Outcome> {
  try {
    return { ok: normalise(await call, target, drop) };
  } catch (e) {
    const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
    return { error: String(err.name), status: err.$metadata?.httpStatusCode };
  }
}

/** Only the error name of an outcome (for errors where the HTTP status or message may differ). */
export function errorName(o: Outcome): string | undefined {
  return "error" in o ? o.error : undefined;
}

/** Runs `scenario` against both targets at once; returns [sandbox, moto]. */
export function both<T>(sandbox: Target, moto: Target, scenario: (t: Target) => Promise<T>): Promise<[T, T]> {
  return Promise.all([scenario(sandbox), scenario(moto)]);
}

/** Polls `read` until `done` says so or `ms` pass; returns the last value read. */
export async function pollUntil<T>(read: () => Promise<T>, done: (v: T) => boolean, ms: number, every = 100): Promise<T> {
  const deadline = Date.now() + ms;
  let v = await read();
  while (!done(v) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, every));
    v = await read();
  }
  return v;
}

export interface Targets {
  sandbox: Target;
  moto: Target;
  motoServer: MotoServer;
  close(): Promise<void>;
}

/** An in-process sandbox and a moto server side by side, each fresh, both with `test` keys. */
export async function startTargets(): Promise<Targets> {
  const [sb, mo] = await Promise.allSettled([startTestSandbox(), startMoto()]);
  if (sb.status === "rejected" || mo.status === "rejected") {
    if (sb.status === "fulfilled") await sb.value.close();
    if (mo.status === "fulfilled") await mo.value.close();
    throw sb.status === "rejected" ? sb.reason : (mo as PromiseRejectedResult).reason;
  }
  const sandbox = sb.value;
  const moto = mo.value;
  return {
    sandbox: { name: "sandbox", endpoint: sandbox.endpoint, account: SANDBOX_ACCOUNT, config: sandbox.clientConfig() },
    moto: { name: "moto", endpoint: moto.endpoint, account: MOTO_ACCOUNT, config: moto.clientConfig() },
    motoServer: moto,
    async close() {
      await Promise.all([sandbox.close(), moto.close()]);
    },
  };
}
