import { expect, test } from "@playwright/test";
import { signIn, signOut, signUp, uniqueEmail } from "./helpers";

test("a learner signs up, signs out, is sent to sign-in from a learner page, and signs back in", async ({ page }) => {
  const email = uniqueEmail("learner");
  await signUp(page, { name: "Grace Learner", email, password: "first password 123" });
  await expect(page).toHaveURL(/\/labs\/order-system$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/order system/i);
  await expect(page.getByText("0 of 6 steps passed")).toBeVisible();

  await signOut(page);
  await page.goto("/labs/order-system/steps/3");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Flabs%2Forder-system%2Fsteps%2F3/);

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("not my password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "do not match" })).toBeVisible();
  await expect(page).toHaveURL(/\/signin/);

  await page.getByLabel("Password").fill("first password 123");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/labs\/order-system\/steps\/3$/);
});

test("a duplicate sign-up is refused with a clear message and keeps what was typed", async ({ page }) => {
  const email = uniqueEmail("twice");
  await signUp(page, { name: "Once", email, password: "some password 123" });
  await expect(page).toHaveURL(/\/labs\/order-system$/);
  await signOut(page);

  await signUp(page, { name: "Twice", email: email.toUpperCase(), password: "other password 456" });
  await expect(page.getByRole("alert").filter({ hasText: "already exists" }).first()).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue(email.toUpperCase());
  await expect(page).toHaveURL(/\/signup/);
});

test("sign-up explains each invalid field", async ({ page }) => {
  await signUp(page, { name: "", email: "nope", password: "short", confirm: "different" });
  await expect(page.getByText("Enter your name.")).toBeVisible();
  await expect(page.getByText("Enter a valid email address.")).toBeVisible();
  await expect(page.getByText("Use at least 10 characters for your password.")).toBeVisible();
});

test("a learner changes their password and must use the new one", async ({ page }) => {
  const email = uniqueEmail("changer");
  await signUp(page, { name: "Changer", email, password: "old password 123" });
  await expect(page).toHaveURL(/\/labs\/order-system$/);

  await page.goto("/account");
  await page.getByLabel("Current password").fill("wrong current pw");
  await page.getByLabel("New password", { exact: true }).fill("new password 456");
  await page.getByLabel("Repeat the new password").fill("new password 456");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "current password is not correct" }).first()).toBeVisible();

  await page.getByLabel("Current password").fill("old password 123");
  await page.getByLabel("New password", { exact: true }).fill("new password 456");
  await page.getByLabel("Repeat the new password").fill("new password 456");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page).toHaveURL(/\/signin\?notice=password-changed/);
  await expect(page.getByRole("status")).toContainText("password was changed");

  await signIn(page, email, "old password 123");
  await expect(page.getByRole("alert").filter({ hasText: "do not match" })).toBeVisible();
  await signIn(page, email, "new password 456");
  await expect(page).toHaveURL(/\/labs\/order-system$/);
});
