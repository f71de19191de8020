// The Connect page: signed-out redirect, the sandbox flow (create, keys, secret on request,
// test, reset with confirmation), the AWS and LocalStack forms, and an accessibility scan.
import { expect, test } from "@playwright/test";
import { seriousViolations, signUp, uniqueEmail } from "./helpers";

test.describe.configure({ timeout: 180_000 });

test("sends a signed-out visitor to sign in first", async ({ page }) => {
  await page.goto("/connect");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=(\/|%2F)connect$/);
});

test("a learner connects the built-in sandbox, sees the keys, tests and resets it", async ({ page }) => {
  await signUp(page, { name: "Connie", email: uniqueEmail("connect"), password: "correct horse battery" });
  await page.getByRole("link", { name: "Connect" }).click();
  await expect(page.getByRole("heading", { name: "Connect an account" })).toBeVisible();
  await expect(page.getByRole("radio", { name: "Built-in sandbox" })).toBeChecked();
  await expect(page.getByRole("radio", { name: "LocalStack" })).toBeVisible();
  await expect(page.getByRole("radio", { name: "My AWS account" })).toBeVisible();

  await page.getByRole("button", { name: "Create my sandbox account" }).click();
  await expect(page.getByText("Connected to the built-in sandbox")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("sandbox-access-key-id")).toHaveText(/\S{16,}/);
  await expect(page.getByTestId("sandbox-endpoint")).toHaveText(/^https?:\/\//);
  // The secret is not in the page until asked for.
  await expect(page.getByTestId("sandbox-secret-access-key")).toHaveCount(0);
  await page.getByRole("button", { name: "Show the secret key" }).click();
  await expect(page.getByTestId("sandbox-secret-access-key")).toHaveText(/\S{20,}/);
  await expect(page.getByText(/aws configure set aws_access_key_id/)).toBeVisible();

  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByText(/Connection works/)).toBeVisible({ timeout: 30_000 });

  await page.getByRole("button", { name: "Reset my sandbox account", exact: true }).click();
  await expect(page.getByText(/deletes every queue/)).toBeVisible();
  await page.getByRole("button", { name: "Yes, reset my sandbox account" }).click();
  await expect(page.getByText(/was reset/)).toBeVisible({ timeout: 30_000 });
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByText(/Connection works/)).toBeVisible({ timeout: 30_000 });

  expect(await seriousViolations(page)).toEqual([]);
});

test("AWS: an ExternalId, the role's templates, and only a role ARN accepted", async ({ page }) => {
  await signUp(page, { name: "Awsome", email: uniqueEmail("connect-aws"), password: "correct horse battery" });
  await page.getByRole("link", { name: "Connect" }).click();
  await page.getByRole("radio", { name: "My AWS account" }).check();
  await page.getByRole("button", { name: "Use my AWS account" }).click();
  await expect(page.getByTestId("external-id")).toHaveText(/^lab-grader-[0-9a-f]{40}$/, { timeout: 30_000 });
  await expect(page.getByText(/aws cloudformation create-stack --stack-name lab-grader/)).toBeVisible();
  await expect(page.getByText(/resource "aws_iam_role" "lab_grader"/)).toBeVisible();

  await page.getByLabel("Role ARN").fill("LabGraderRole");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText(/not a role ARN/).first()).toBeVisible();
  await page.getByLabel("Role ARN").fill("arn:aws:iam::123456789012:role/LabGraderRole");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Saved. Now test the connection.")).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByRole("radio", { name: "LocalStack" }).check();
  await page.getByLabel("LocalStack endpoint URL").fill("ftp://localhost:4566");
  await page.getByRole("button", { name: "Save LocalStack connection" }).click();
  await expect(page.getByText(/not allowed/).first()).toBeVisible();
});
