// `lab-check` as a learner or CI runs it: a child process (asynchronous, so the in-process
// sandbox keeps serving) with the grader's keys in the environment, assuming LabGraderRole in
// the learner's sandbox account with its ExternalId. Exit 0 when the selected steps pass, 1 with
// a broken variant, 2 for a wrong ExternalId or bad flags; json validates against the LabReport
// schema; text names the failing checks. The reference solution is applied in its SDK form
// (seconds, where the AWS CLI scripts take over two minutes); the broken variant with the AWS CLI.
// JUnit output is read back with a real XML parser (./junit.ts), as Jenkins and GitLab read it.
//
// `--step all` means steps 1-5: step 6 publishes probe orders, so it runs only with --probe
// (`--step all --probe`, or `--step 6 --probe`); `--step 6` alone is a usage error.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetQueueUrlCommand, SetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { labReportSchema } from "@/cli/lab-report-schema";
import type { AccountKeys, TestSandbox } from "@/test/support/sandbox";
import { startTestSandbox } from "@/test/support/sandbox";
import { createGraderRole, toolsAvailable } from "@/test/integration/checkers/support";
import { applySolutionSdk } from "@/labs/order-system/solution/sdk/apply";
import { runScript, variantScript } from "@/test/integration/checkers/variants";
import { parseJunit } from "./junit";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const BIN = path.join(ROOT, "bin/lab-check.mjs");
const EXTERNAL_ID = "ext-cli-4b8e2f1a9c7d4e3b8a6f5c2d1e0b9a87";

let sb: TestSandbox;
let learner: AccountKeys;
let grader: AccountKeys;
let roleArn: string;

beforeAll(async () => {
  sb = await startTestSandbox();
  [learner, grader] = await Promise.all([sb.createAccount(), sb.grader()]);
  roleArn = await createGraderRole(sb, learner, grader, { externalId: EXTERNAL_ID });
  await applySolutionSdk(sb.clientConfig(learner));
}, 120_000);
afterAll(async () => {
  await sb?.close();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs bin/lab-check.mjs from another directory (it must not depend on the cwd). */
function labCheck(args: string[], keys: AccountKeys = grader, extraEnv: Record<string, string> = {}): Promise<Run> {
  const env = { ...sb.cliEnv(keys), NO_COLOR: "", ...extraEnv };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: "/", env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const viaRole = (...args: string[]) => ["--target", "sandbox", "--endpoint", sb.endpoint, "--role-arn", roleArn, "--external-id", EXTERNAL_ID, ...args];
const show = (r: Run) => `exit ${r.code}\nstdout:\n${r.stdout.slice(-3000)}\nstderr:\n${r.stderr.slice(-3000)}`;

describe("lab-check usage", () => {
  it("prints the help and exits 0", async () => {
    const r = await labCheck(["--help"]);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain("--role-arn ARN");
  });

  it.each([
    [["--stpe", "1"], "Unknown option '--stpe'"],
    [["--format", "xml"], "--format must be one of text, json, junit"],
    [["--step", "9"], "--step must be all or step numbers 1-6"],
    [["--step", "6"], "add --probe"],
    [["--target", "gcp"], "--target must be one of sandbox, localstack, aws"],
    [["--external-id", "x"], "--external-id goes with --role-arn"],
    [["--remote", "https://grader.example"], "--remote needs your API token: set LAB_GRADER_TOKEN"],
    [["--remote", "https://grader.example", "--token", "t", "--role-arn", "arn:aws:iam::123456789012:role/LabGraderRole"], "--role-arn cannot be used with --remote"],
    [["extra"], "Unexpected argument 'extra'"],
  ])("exits 2 on %j with a clear message", async (args, message) => {
    const r = await labCheck(args);
    expect(r.code, show(r)).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe("");
  });
});

describe("lab-check against the sandbox through the grader role", () => {
  it("exits 0 with the solution applied (--step all is steps 1-5), one line per check", async () => {
    const r = await labCheck(viaRole("--step", "all"));
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain("✓ step1.topic-exists");
    expect(r.stdout).toContain("✓ step5.run-premium");
    expect(r.stdout).not.toContain("Step 6");
    expect(r.stdout).toContain("All 5 step(s) pass.");
    expect(r.stdout).not.toContain("\u001b["); // not a terminal: no colours
  });

  it("prints a LabReport as json that validates against the schema", async () => {
    const r = await labCheck(viaRole("--format", "json"));
    expect(r.code, show(r)).toBe(0);
    const report = labReportSchema.parse(JSON.parse(r.stdout));
    expect(report).toMatchObject({ lab: "order-system", target: "sandbox", region: "us-east-1", passed: true });
    expect(report.steps.map((s) => [s.step, s.status])).toEqual([[1, "pass"], [2, "pass"], [3, "pass"], [4, "pass"], [5, "pass"]]);
  });

  it("writes JUnit with every check a passing testcase to --output, and nothing but a note on the terminal", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-check-out-"));
    const file = path.join(dir, "reports/junit.xml");
    try {
      // FORCE_COLOR must not leak colour into JUnit.
      const r = await labCheck(viaRole("--format", "junit", "--output", file), grader, { FORCE_COLOR: "1" });
      expect(r.code, show(r)).toBe(0);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(`lab-check: wrote the junit report to ${file} (5 of 5 step(s) pass).\n`);
      const xml = fs.readFileSync(file, "utf8");
      expect(xml).not.toContain("\u001b");
      const j = parseJunit(xml);
      expect(j.testsuites.map((s) => s.name)).toEqual(["step 1: sns-topic", "step 2: sqs-queues", "step 3: fan-out", "step 4: eventbridge-rule", "step 5: step-functions"]);
      expect(j.tests).toBeGreaterThan(20);
      expect([j.failures, j.errors, j.skipped]).toEqual([0, 0, 0]);
      expect(j.testsuites.every((s) => s.testcases.length === s.tests && s.testcases.every((c) => !c.failure && !c.error && !c.skipped))).toBe(true);
      expect(j.testsuites[0]?.properties).toEqual({ lab: "order-system", target: "sandbox", region: "us-east-1" });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("colours text in a pipe only when FORCE_COLOR asks, and never with NO_COLOR alone", async () => {
    const forced = await labCheck(viaRole("--step", "1"), grader, { FORCE_COLOR: "1" });
    expect(forced.code, show(forced)).toBe(0);
    expect(forced.stdout).toContain("\u001b[32m✓\u001b[0m step1.topic-exists");
    const noColor = await labCheck(viaRole("--step", "1"), grader, { NO_COLOR: "1" });
    expect(noColor.stdout).not.toContain("\u001b[");
    expect(noColor.stderr).toBe(""); // no progress line off a terminal
  });

  it.skipIf(!toolsAvailable())("exits 1 with a broken variant, in every format naming the failing check", async () => {
    const applied = await runScript(sb, learner, variantScript("step2-visibility-timeout-too-short"));
    expect(applied.code, applied.output).toBe(0);
    try {
      const [text, json, junit] = await Promise.all(["text", "json", "junit"].map((f) => labCheck(viaRole("--step", "1,2", "--format", f))));
      for (const r of [text, json, junit]) expect(r?.code, show(r as Run)).toBe(1);
      expect(text?.stdout).toMatch(/✗ step2\.shipping-visibility-timeout .*\n\s+hint: /);
      expect(text?.stdout).toContain("1 of 2 step(s) pass; not passing: step2.shipping-visibility-timeout.");

      const report = labReportSchema.parse(JSON.parse(json?.stdout ?? ""));
      expect(report.passed).toBe(false);
      expect(report.steps.flatMap((s) => s.checks).filter((c) => c.status !== "pass").map((c) => c.id)).toEqual(["step2.shipping-visibility-timeout"]);

      expect(junit?.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
      expect(junit?.stderr).toBe("");
      const j = parseJunit(junit?.stdout ?? "");
      const checks = report.steps.flatMap((s) => s.checks);
      expect(j).toMatchObject({ tests: checks.length, failures: 1, errors: 0, skipped: 0 });
      expect(j.testsuites.map((s) => [s.name, s.tests, s.failures])).toEqual([
        ["step 1: sns-topic", report.steps[0]?.checks.length, 0],
        ["step 2: sqs-queues", report.steps[1]?.checks.length, 1],
      ]);
      const failing = j.testsuites.flatMap((s) => s.testcases).filter((c) => c.failure || c.error);
      expect(failing).toHaveLength(1);
      const check = checks.find((c) => c.id === "step2.shipping-visibility-timeout");
      expect(failing[0]).toMatchObject({ classname: "order-system.step2-sqs-queues", name: "step2.shipping-visibility-timeout", failure: { message: check?.message, type: "CheckFailed" } });
      expect(failing[0]?.failure?.text).toContain(`Hint: ${check?.hint}`);
    } finally {
      const sqs = new SQSClient(sb.clientConfig(learner));
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: "shipping-orders" }));
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { VisibilityTimeout: "30" } }));
    }
  });

  it("exits 2 with a wrong ExternalId, saying the role could not be assumed and why", async () => {
    const args = viaRole("--step", "1");
    args[args.indexOf(EXTERNAL_ID)] = "not-the-external-id";
    const r = await labCheck(args);
    expect(r.code, show(r)).toBe(2);
    expect(r.stderr).toContain(`could not assume ${roleArn}`);
    expect(r.stderr).toContain("ExternalId");
    expect(r.stdout).toBe("");
  });

  it("exits 2 when the endpoint does not answer", async () => {
    const r = await labCheck(["--endpoint", "http://127.0.0.1:9", "--step", "1"], learner);
    expect(r.code, show(r)).toBe(2);
    expect(r.stderr).toContain("http://127.0.0.1:9");
  });

  it("checks with the base credentials directly when no role is given", async () => {
    const r = await labCheck(["--endpoint", sb.endpoint, "--step", "1"], learner);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain("Lab order-system on sandbox (us-east-1)");
  });
});
