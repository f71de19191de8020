// The built-in sandbox as a child of `npm start`: its own process, so a crash or a heavy Lambda
// run in it never takes the site down, and the site reaches it only over HTTP.
import { spawn, type ChildProcess } from "node:child_process";

export function sandboxUrl(): string {
  return `http://${process.env.SANDBOX_HOST || "127.0.0.1"}:${process.env.SANDBOX_PORT || "4566"}`;
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/_sandbox/health`, { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}

/** Starts the sandbox and resolves once it answers its health check. */
export async function startSandboxProcess(): Promise<ChildProcess> {
  const url = sandboxUrl();
  if (await healthy(url)) {
    throw new Error(
      `Something already answers on ${url}. Stop it, set SANDBOX_PORT to a free port, or set SANDBOX=off to use it (LocalStack, say) instead of the built-in sandbox.`,
    );
  }
  // Node itself with the tsx loader, not the tsx wrapper: signals then reach the sandbox directly.
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/sandbox.ts"], { stdio: ["ignore", "inherit", "pipe"], env: process.env });
  // Its errors go on to our stderr as they come, and the last of them into our own message.
  let stderrTail = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    process.stderr.write(chunk);
    stderrTail = (stderrTail + chunk.toString()).slice(-2000);
  });
  let exited: string | null = null;
  child.on("exit", (code, signal) => (exited = signal ?? `exit ${code}`));
  for (let i = 0; i < 300; i++) {
    if (exited !== null) throw new Error(`The sandbox stopped during start (${exited}): ${stderrTail.trim() || "it printed nothing"}`);
    if (await healthy(url)) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGTERM");
  throw new Error(`The sandbox did not answer on ${url} within 30 seconds.`);
}
