import { expect, test } from "@playwright/test";
import { createAdmin, signIn, signOut, signUp, uniqueEmail } from "./helpers";

test("an admin made by create-admin promotes an instructor and issues a one-time reset link", async ({ page, browser }) => {
  const adminEmail = uniqueEmail("admin");
  createAdmin(adminEmail, "admin password 123");

  const learnerEmail = uniqueEmail("member");
  await signUp(page, { name: "Member", email: learnerEmail, password: "member password 1" });
  await expect(page).toHaveURL(/\/labs\/order-system$/);
  // Learners do not see the admin page at all.
  expect((await page.goto("/admin"))?.status()).toBe(404);
  await signOut(page);

  await signIn(page, adminEmail, "admin password 123", "/signin?callbackUrl=/admin");
  await expect(page.getByRole("heading", { level: 1, name: "Admin" })).toBeVisible();
  await page.getByLabel("Find a user").fill(learnerEmail);
  await page.getByRole("button", { name: "Search" }).click();
  const row = page.getByRole("row", { name: new RegExp(learnerEmail) });
  await row.getByLabel(`Role of ${learnerEmail}`).selectOption("instructor");
  await row.getByRole("button", { name: "Save" }).click();
  await expect(row.getByRole("status")).toContainText("Role set to instructor");

  await row.getByRole("button", { name: `Create a password-reset link for ${learnerEmail}` }).click();
  const link = (await row.locator(".copy-box").textContent())!.trim();
  expect(link).toMatch(/\/reset-password\/[A-Za-z0-9_-]{40,}$/);
  await page.reload();
  await expect(page.getByRole("cell", { name: "user.password-reset-link.create" }).first()).toBeVisible();

  // The learner, in a browser of their own, uses the link once.
  const other = await browser.newContext();
  const learnerPage = await other.newPage();
  await learnerPage.goto(link);
  await learnerPage.getByLabel("New password", { exact: true }).fill("reset password 789");
  await learnerPage.getByLabel("Repeat the new password").fill("reset password 789");
  await learnerPage.getByRole("button", { name: "Set password" }).click();
  await expect(learnerPage).toHaveURL(/\/signin\?notice=password-reset/);
  await signIn(learnerPage, learnerEmail, "reset password 789");
  await expect(learnerPage).toHaveURL(/\/labs\/order-system$/);
  await learnerPage.goto(link);
  await expect(learnerPage.getByRole("heading", { name: "This link cannot be used" })).toBeVisible();
  await other.close();
});
