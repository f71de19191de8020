import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { E2E_DATA_DIR } from "../../playwright.config";

export const DEMO_LEARNER = { email: "learner@example.com", password: "learner-demo-pass" };

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@example.com`;
}

export async function signIn(page: Page, email: string, password: string, path = "/signin") {
  await page.goto(path);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signUp(page: Page, user: { name: string; email: string; password: string; confirm?: string }) {
  await page.goto("/signup");
  await page.getByLabel("Name").fill(user.name);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByLabel("Repeat the password").fill(user.confirm ?? user.password);
  await page.getByRole("button", { name: "Create account" }).click();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
}

/** Runs `npm run create-admin` against the e2e database, as an operator would. */
export function createAdmin(email: string, password: string) {
  execFileSync("npx", ["tsx", "scripts/create-admin.ts", "--email", email, "--name", "E2E Admin"], {
    env: { ...process.env, DATA_DIR: E2E_DATA_DIR, DATABASE_URL: `file:${process.cwd()}/${E2E_DATA_DIR}/lab-grader.db`, ADMIN_PASSWORD: password },
    stdio: "pipe",
  });
}

/** Serious and critical accessibility violations on the page as it is now. */
export async function seriousViolations(page: Page) {
  // Next streams a page's metadata: right after a client-side navigation the <title> may not be
  // in the document yet. Scan the page once it has arrived, not a moment before.
  await expect(page).toHaveTitle(/\S/);
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
}

// ---- Added for the instructor dashboard specs (dashboard*.spec.ts) ----

export const DEMO_INSTRUCTOR = { email: "instructor@example.com", password: "instructor-demo-pass" };

/** An admin page session (already signed in as an admin) makes `email` an instructor. */
export async function promoteToInstructor(adminPage: Page, email: string) {
  await adminPage.goto(`/admin?q=${encodeURIComponent(email)}`);
  const row = adminPage.getByRole("row", { name: new RegExp(email.replace(/[.+]/g, "\\$&")) });
  await row.getByLabel(`Role of ${email}`).selectOption("instructor");
  await row.getByRole("button", { name: "Save" }).click();
  await expect(row.getByRole("status")).toContainText("Role set to instructor");
}

export interface SandboxKeys {
  accessKeyId: string;
  secretAccessKey: string;
  endpoint: string;
}

/** The signed-in learner connects the built-in sandbox on /connect and reads their keys off the page. */
export async function connectSandboxAccount(page: Page): Promise<SandboxKeys> {
  await page.goto("/connect");
  const create = page.getByRole("button", { name: "Create my sandbox account" });
  if (await create.isVisible()) await create.click();
  const keyId = page.getByTestId("sandbox-access-key-id");
  await expect(keyId).toBeVisible({ timeout: 30_000 });
  await page.getByRole("button", { name: "Show the secret key" }).click();
  const secret = page.getByTestId("sandbox-secret-access-key");
  await expect(secret).toBeVisible();
  return {
    accessKeyId: (await keyId.innerText()).trim(),
    secretAccessKey: (await secret.innerText()).trim(),
    endpoint: (await page.getByTestId("sandbox-endpoint").innerText()).trim(),
  };
}

export const AWS_CLI = process.env.LAB_AWS_CLI ?? "/usr/bin/aws";

/** The environment of an AWS CLI run with the learner's keys: a PATH whose `aws` is the CLI the reference scripts are tested with, and nothing of the machine's own AWS set-up. */
export function awsCliEnv(keys: SandboxKeys): NodeJS.ProcessEnv {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-aws-"));
  fs.symlinkSync(AWS_CLI, path.join(bin, "aws"));
  return {
    NODE_ENV: "test",
    PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}`,
    HOME: os.tmpdir(),
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL: keys.endpoint,
    AWS_PAGER: "",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

/** Runs a command asynchronously (the sandbox answers from the site's process meanwhile). */
export function runCommand(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", (e) => resolve({ code: -1, output: output + String(e) }));
    child.on("close", (code) => resolve({ code, output }));
  });
}

/** Runs one reference-solution script (labs/order-system/solution/cli/NAME.sh) with the learner's keys, as they would. */
export function applySolutionScript(keys: SandboxKeys, script: string, env: NodeJS.ProcessEnv = awsCliEnv(keys)): Promise<{ code: number | null; output: string }> {
  return runCommand("bash", [path.resolve("labs/order-system/solution/cli", `${script}.sh`)], env);
}

/** Presses "Check my progress" on a step page and waits for the results. */
export async function checkStep(page: Page, step: number) {
  await page.goto(`/labs/order-system/steps/${step}`);
  await page.getByRole("button", { name: "Check my progress" }).click();
  await expect(page.getByTestId("check-results")).toBeVisible({ timeout: 30_000 });
}
