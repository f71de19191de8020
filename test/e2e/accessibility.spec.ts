import { expect, test } from "@playwright/test";
import { createAdmin, DEMO_LEARNER, seriousViolations, signIn, uniqueEmail } from "./helpers";

// axe checks the contrast of every highlighted token: the module page alone takes half a minute
// on this machine, more when it is busy. A scan is slow, not stuck, so it gets room.
test.describe.configure({ timeout: 300_000 });

const PUBLIC_PAGES = ["/", "/module", "/signin", "/signup", "/reset-password/not-a-real-token-at-all-here", "/no-such-page"];
const LEARNER_PAGES = ["/", "/labs/order-system", ...[1, 2, 3, 4, 5, 6].map((n) => `/labs/order-system/steps/${n}`), "/account"];

for (const path of PUBLIC_PAGES) {
  test(`no serious or critical accessibility violations on ${path} (signed out)`, async ({ page }) => {
    await page.goto(path);
    expect(await seriousViolations(page)).toEqual([]);
  });
}

for (const path of LEARNER_PAGES) {
  test(`no serious or critical accessibility violations on ${path} (signed in)`, async ({ page }) => {
    await signIn(page, DEMO_LEARNER.email, DEMO_LEARNER.password, `/signin?callbackUrl=${encodeURIComponent(path)}`);
    await expect(page).toHaveURL(new RegExp(`${path.replace(/\//g, "\\/")}$`));
    expect(await seriousViolations(page)).toEqual([]);
  });
}

test("no serious or critical accessibility violations with every hint revealed", async ({ page }) => {
  await signIn(page, DEMO_LEARNER.email, DEMO_LEARNER.password, "/signin?callbackUrl=/labs/order-system/steps/3");
  await expect(page).toHaveURL(/steps\/3$/);
  const more = page.getByRole("button", { name: /Show (a hint|hint \d)/ });
  while (await more.isVisible()) await more.click();
  expect(await seriousViolations(page)).toEqual([]);
});

test("no serious or critical accessibility violations on the admin page", async ({ page }) => {
  const email = uniqueEmail("a11y-admin");
  createAdmin(email, "admin password 123");
  await signIn(page, email, "admin password 123", "/signin?callbackUrl=/admin");
  await expect(page.getByRole("heading", { level: 1, name: "Admin" })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole("link", { name: "The whole audit log" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test("no serious or critical accessibility violations on the instructor dashboard and the join pages", async ({ page, browser }) => {
  await signIn(page, "instructor@example.com", "instructor-demo-pass", "/signin?callbackUrl=/cohorts");
  await expect(page.getByRole("heading", { level: 1, name: "Cohorts" })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  const name = `Accessible cohort ${Date.now()}`;
  await page.getByLabel("Cohort name").fill(name);
  await page.getByRole("button", { name: "Create cohort" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  const code = (await page.getByTestId("join-code").innerText()).trim();
  // Every disclosure open, so the tables behind the charts are scanned too.
  for (const summary of await page.locator("details > summary").all()) await summary.click();
  expect(await seriousViolations(page)).toEqual([]);

  const learner = await (await browser.newContext()).newPage();
  await signIn(learner, DEMO_LEARNER.email, DEMO_LEARNER.password, `/signin?callbackUrl=${encodeURIComponent(`/join/${code}`)}`);
  await expect(learner.getByRole("heading", { level: 1, name: "Join a cohort" })).toBeVisible();
  expect(await seriousViolations(learner)).toEqual([]);
  await learner.goto("/join");
  expect(await seriousViolations(learner)).toEqual([]);
  await learner.context().close();
});
