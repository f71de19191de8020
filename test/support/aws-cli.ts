// The AWS CLI (either one: Debian's 2.9 speaks query, pyenv's 1.45 JSON) against a test sandbox,
// with JSON output parsed. Asynchronous on purpose: an in-process sandbox must keep serving.
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import type { TestSandbox } from "./sandbox";

const run = promisify(execFile);

export function awsCli(bin: string, sandbox: Pick<TestSandbox, "endpoint" | "cliEnv">) {
  const args = (a: string[]) => ["--endpoint-url", sandbox.endpoint, "--output", "json", "--region", "us-east-1", ...a];
  const env = sandbox.cliEnv();
  return {
    /** Runs a command that must succeed; its JSON output, or {} when it prints nothing. */
    async json(...a: string[]): Promise<Record<string, unknown>> {
      const { stdout } = await run(bin, args(a), { env, timeout: 60_000 });
      return stdout.trim() === "" ? {} : (JSON.parse(stdout) as Record<string, unknown>);
    },
    /** Runs a command that must fail; its stderr. */
    async fails(...a: string[]): Promise<string> {
      try {
        await run(bin, args(a), { env, timeout: 60_000 });
      } catch (e) {
        return String((e as { stderr?: string }).stderr);
      }
      throw new Error(`aws ${a.join(" ")} succeeded`);
    },
    /** Starts a command in the background; resolves with its parsed output and when it ended. */
    background(...a: string[]): Promise<{ out: Record<string, unknown>; endedAt: number }> {
      return new Promise((resolve, reject) => {
        const child = spawn(bin, args(a), { env });
        let out = "";
        let err = "";
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.on("error", reject);
        child.on("exit", (code) => {
          if (code !== 0) reject(new Error(`exit ${code}: ${err}`));
          else resolve({ out: out.trim() ? (JSON.parse(out) as Record<string, unknown>) : {}, endedAt: performance.now() });
        });
      });
    },
  };
}
