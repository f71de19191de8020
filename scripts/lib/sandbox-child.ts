// The built-in sandbox as a supervised child of `npm start`: its own process (a crash or a heavy
// Lambda run in it never takes the site down; the site reaches it only over HTTP), started with
// an environment built from an allow-list — the sandbox's own settings and what Node needs —
// so none of the site's secrets (AUTH_SECRET, DATABASE_URL, NEXTAUTH_*) is ever in it.
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { SANDBOX_SETTING_NAMES, type SandboxSettings } from "../../sandbox/settings";
import type { SandboxUser } from "./sandbox-user";
import type { SupervisedProcess } from "./supervisor";

/** What Node and the language runtimes need from the parent's environment, besides the sandbox's settings. */
const PASSED_THROUGH = ["PATH", "TZ", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "TMPDIR", "NODE_OPTIONS", "NODE_EXTRA_CA_CERTS"];
/** Handed over as a file in SANDBOX_DATA instead (sandbox-files.ts), so the environment holds no secret. */
const NOT_IN_ENVIRONMENT = new Set<string>(["SANDBOX_ADMIN_TOKEN"]);

/**
 * The sandbox's complete environment: its settings as validated (so it runs with exactly what
 * npm start checked, SANDBOX_DATA absolute), plus the allow-listed part of the parent's; nothing else.
 */
export function sandboxEnvironment(settings: SandboxSettings, parent: NodeJS.ProcessEnv, user: SandboxUser | null = null): Record<string, string> {
  const env: Record<string, string> = {
    HOME: user?.home ?? parent.HOME ?? os.tmpdir(),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
  for (const name of PASSED_THROUGH) {
    const value = parent[name];
    if (value !== undefined) env[name] = value;
  }
  for (const name of SANDBOX_SETTING_NAMES) {
    const value = settings[name];
    if (value !== undefined && !NOT_IN_ENVIRONMENT.has(name)) env[name] = String(value);
  }
  env.SANDBOX_DATA = path.resolve(settings.SANDBOX_DATA);
  return env;
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/_sandbox/health`, { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}

/** Refuses to start a second server on an address something already answers on. */
export async function checkAddressFree(url: string): Promise<void> {
  if (await answers(url)) {
    throw new Error(
      `Something already answers on ${url}. Stop it, set SANDBOX_PORT to a free port, or set SANDBOX=off to use it (LocalStack, say) instead of the built-in sandbox.`,
    );
  }
}

export interface SandboxChildOptions {
  /** Where the sandbox answers (sandboxLocalUrl of its settings). */
  url: string;
  env: Record<string, string>;
  user: SandboxUser | null;
  /** The repository (scripts/sandbox.ts is run from here). */
  cwd?: string;
  /** How long a fresh sandbox may take to answer its health check. */
  readyTimeoutMs?: number;
  /** Where its output goes; `npm start` passes its own. */
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

/** The sandbox as a SupervisedProcess; `stderrTail()` holds its last errors, for a failed start's message. */
export function sandboxChild(o: SandboxChildOptions): SupervisedProcess & { stderrTail(): string } {
  let tail = "";
  return {
    name: "The sandbox",
    spawn(): ChildProcess {
      tail = "";
      // Node itself with the tsx loader, not the tsx wrapper: signals then reach the sandbox directly.
      const child = spawn(process.execPath, ["--import", "tsx", "scripts/sandbox.ts"], {
        cwd: o.cwd ?? process.cwd(),
        env: o.env as NodeJS.ProcessEnv, // complete as given: nothing inherited
        stdio: ["ignore", "pipe", "pipe"],
        ...(o.user ? { uid: o.user.uid, gid: o.user.gid } : {}),
      });
      child.stdout?.on("data", (chunk: Buffer) => (o.stdout ?? process.stdout).write(chunk));
      child.stderr?.on("data", (chunk: Buffer) => {
        (o.stderr ?? process.stderr).write(chunk);
        tail = (tail + chunk.toString()).slice(-2000);
      });
      return child;
    },
    async ready(child) {
      const deadline = Date.now() + (o.readyTimeoutMs ?? 30_000);
      while (Date.now() < deadline) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error("exited");
        if (await answers(o.url)) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`The sandbox did not answer on ${o.url} within ${Math.round((o.readyTimeoutMs ?? 30_000) / 1000)} seconds.`);
    },
    ownGroup: true,
    // scripts/sandbox.ts exits 2 on an invalid setting: the same settings would fail the same way.
    isPermanent: (code) => code === 2,
    stderrTail: () => tail.trim(),
  };
}
