// Shared by the checkers' integration tests and bench/checkers.ts: apply the reference
// solution's CLI scripts to a sandbox account, and make the grader role the platform would.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import type { AccountKeys, TestSandbox } from "@/test/support/sandbox";
import { loadLab } from "@/lib/content/lab";
import { STEP_CHECKERS, graderActions } from "@/checkers/registry";
import type { StepToRun } from "@/checkers/runner";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const SOLUTION_SCRIPTS = ["01-sns-topic", "02-sqs-queues", "03-fan-out", "04-eventbridge-rule", "05-step-functions"] as const;

/**
 * The AWS CLI the reference scripts run with. Debian's CLI 2.9 (/usr/bin/aws) runs all five;
 * pyenv's 1.x works too. LAB_AWS_CLI picks another.
 */
export const AWS_CLI = process.env.LAB_AWS_CLI ?? "/usr/bin/aws";

export function toolsAvailable(): boolean {
  return fs.existsSync(AWS_CLI) && ["jq"].every((t) => (process.env.PATH ?? "").split(":").some((d) => fs.existsSync(path.join(d, t))));
}

/** A PATH whose `aws` is AWS_CLI, ahead of the rest. */
function pathWithCli(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-cli-"));
  fs.symlinkSync(AWS_CLI, path.join(dir, "aws"));
  return `${dir}:${process.env.PATH ?? "/usr/bin:/bin"}`;
}

/**
 * Runs labs/order-system/solution/cli/<script>.sh as the learner. Asynchronous on purpose: an
 * in-process sandbox must keep serving while the CLI waits for it.
 */
export function applySolution(sb: TestSandbox, keys: AccountKeys, script: string): Promise<{ code: number | null; output: string }> {
  const env = { ...sb.cliEnv(keys), AWS_ENDPOINT_URL: sb.endpoint, PATH: pathWithCli() };
  return new Promise((resolve) => {
    const child = spawn("bash", [path.join(ROOT, "labs/order-system/solution/cli", `${script}.sh`)], { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("close", (code) => resolve({ code, output }));
  });
}

/** The grader's permission policy as the Connect page will generate it: the checkers' declared actions. */
export function graderPolicy(without: string[] = []): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: graderActions().filter((a) => !without.includes(a)), Resource: "*" }],
  });
}

/** LabGraderRole in the learner's account, trusting the grader account with an ExternalId. */
export async function createGraderRole(sb: TestSandbox, learner: AccountKeys, grader: AccountKeys, o: { name?: string; externalId: string; without?: string[] }): Promise<string> {
  const iam = new IAMClient(sb.clientConfig(learner));
  const name = o.name ?? "LabGraderRole";
  const trust = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${grader.accountId}:root` }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": o.externalId } } }],
  };
  const out = await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust) }));
  await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: "lab-grader", PolicyDocument: graderPolicy(o.without) }));
  return out.Role?.Arn ?? "";
}

export async function labSteps(upTo = 6): Promise<StepToRun[]> {
  const lab = await loadLab("order-system");
  return STEP_CHECKERS.filter((c) => c.step <= upTo).map((checker) => {
    const frontMatter = lab.steps.find((s) => s.step === checker.step);
    if (!frontMatter) throw new Error(`no front matter for step ${checker.step}`);
    return { checker, frontMatter };
  });
}
