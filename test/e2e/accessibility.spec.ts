import { expect, test } from "@playwright/test";
import { createAdmin, DEMO_LEARNER, seriousViolations, signIn, uniqueEmail } from "./helpers";

const PUBLIC_PAGES = ["/", "/module", "/signin", "/signup", "/reset-password/not-a-real-token-at-all-here", "/no-such-page"];
const LEARNER_PAGES = ["/", "/labs/order-system", ...[1, 2, 3, 4, 5, 6].map((n) => `/labs/order-system/steps/${n}`), "/account"];

for (const path of PUBLIC_PAGES) {
  test(`no serious or critical accessibility violations on ${path} (signed out)`, async ({ page }) => {
    await page.goto(path);
    expect(await seriousViolations(page)).toEqual([]);
  });
}

test("no serious or critical accessibility violations on the learner pages", async ({ page }) => {
  await signIn(page, DEMO_LEARNER.email, DEMO_LEARNER.password);
  await expect(page).toHaveURL(/\/labs\/order-system$/);
  for (const path of LEARNER_PAGES) {
    await page.goto(path);
    expect({ path, violations: await seriousViolations(page) }).toEqual({ path, violations: [] });
  }
  // With every hint revealed, too.
  await page.goto("/labs/order-system/steps/3");
  while (await page.getByRole("button", { name: /Show (a hint|hint \d)/ }).isVisible()) await page.getByRole("button", { name: /Show (a hint|hint \d)/ }).click();
  expect(await seriousViolations(page)).toEqual([]);
});

test("no serious or critical accessibility violations on the admin page", async ({ page }) => {
  const email = uniqueEmail("a11y-admin");
  createAdmin(email, "admin password 123");
  await signIn(page, email, "admin password 123", "/signin?callbackUrl=/admin");
  await expect(page.getByRole("heading", { level: 1, name: "Admin" })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});
