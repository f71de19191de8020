import { execFileSync } from "node:child_process";
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
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
}
