// The reference solution's broken variants (labs/order-system/solution/broken): each a bash
// script that changes one thing, with a header naming the step and the check ids it must fail.
// Shared by broken-variants.test.ts and the CLI tests.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { AccountKeys, TestSandbox } from "@/test/support/sandbox";
import { AWS_CLI } from "./support";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const BROKEN_DIR = path.join(ROOT, "labs/order-system/solution/broken");
const CLI_DIR = path.join(ROOT, "labs/order-system/solution/cli");

export interface Variant {
  /** The file name without .sh, e.g. "step3-order-value-as-string". */
  name: string;
  step: number;
  /** The check ids its header says it fails, sorted. */
  fails: string[];
}

/** Every variant, read from its header (`# Broken variant of step N: ...` and `# fails: id id`). */
export function brokenVariants(): Variant[] {
  return fs
    .readdirSync(BROKEN_DIR)
    .filter((f) => f.endsWith(".sh"))
    .sort()
    .map((file) => {
      const text = fs.readFileSync(path.join(BROKEN_DIR, file), "utf8");
      const step = /^# Broken variant of step (\d+):/m.exec(text)?.[1];
      const fails = /^# fails: (.+)$/m.exec(text)?.[1];
      if (!step || !fails) throw new Error(`${file}: the header must say "# Broken variant of step N: ..." and "# fails: <check id>..."`);
      return { name: file.replace(/\.sh$/, ""), step: Number(step), fails: fails.trim().split(/\s+/).sort() };
    });
}

let cliPath: string | undefined;
/** A PATH whose `aws` is AWS_CLI, ahead of the rest (made once per process). */
function pathWithCli(): string {
  if (!cliPath) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-cli-"));
    fs.symlinkSync(AWS_CLI, path.join(dir, "aws"));
    cliPath = `${dir}:${process.env.PATH ?? "/usr/bin:/bin"}`;
  }
  return cliPath;
}

export interface ScriptResult {
  code: number | null;
  output: string;
}

/** Runs a script as the learner with the AWS CLI, asynchronously (the in-process sandbox keeps serving). */
export function runScript(sb: Pick<TestSandbox, "cliEnv" | "endpoint">, keys: AccountKeys, file: string): Promise<ScriptResult> {
  const env = { ...sb.cliEnv(keys), AWS_ENDPOINT_URL: sb.endpoint, PATH: pathWithCli() };
  return new Promise((resolve) => {
    const child = spawn("bash", [file], { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("close", (code) => resolve({ code, output }));
  });
}

export const variantScript = (name: string) => path.join(BROKEN_DIR, `${name}.sh`);
export const solutionScript = (name: string) => path.join(CLI_DIR, `${name}.sh`);

/** Runs scripts one after another; throws with the output of the first that fails. */
export async function runAll(sb: Pick<TestSandbox, "cliEnv" | "endpoint">, keys: AccountKeys, files: readonly string[]): Promise<void> {
  for (const file of files) {
    const r = await runScript(sb, keys, file);
    if (r.code !== 0) throw new Error(`${path.basename(file)} exited ${r.code}:\n${r.output.slice(-3000)}`);
  }
}
