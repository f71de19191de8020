// The instructor dashboard end to end, in two browsers at once: an instructor creates a cohort
// and keeps its dashboard open; a learner of their own joins with the link, connects the
// built-in sandbox, builds step 1 with the AWS CLI and passes Check; the open dashboard shows it
// without a reload. Then the CSV has the row, the drill-down shows the attempt's checks, and a
// re-check run from the dashboard shows its progress and records an attempt from a re-check.
import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { applySolutionScript, AWS_CLI, checkStep, connectSandboxAccount, DEMO_INSTRUCTOR, seriousViolations, signIn, signUp, uniqueEmail } from "./helpers";

test.describe.configure({ timeout: 300_000 });
test.skip(!fs.existsSync(AWS_CLI), `the AWS CLI (${AWS_CLI}) is not installed`);

const cellOf = (page: Page, learnerName: string, step: number) => page.getByRole("row", { name: new RegExp(learnerName) }).locator(`td[data-step="${step}"]`);

test("an instructor's open dashboard follows a learner who joins and passes step 1; CSV, drill-down and re-check", async ({ browser }) => {
  const instructorContext = await browser.newContext({ acceptDownloads: true });
  const dash = await instructorContext.newPage();
  await signIn(dash, DEMO_INSTRUCTOR.email, DEMO_INSTRUCTOR.password, "/signin?callbackUrl=/cohorts");
  await expect(dash.getByRole("heading", { level: 1, name: "Cohorts" })).toBeVisible();

  // A name that is too short is refused with a message, and nothing is created.
  await dash.getByLabel("Cohort name").fill(" ");
  await dash.getByRole("button", { name: "Create cohort" }).click();
  await expect(dash.getByText("Give the cohort a name.")).toBeVisible();
  await expect(dash).toHaveURL(/\/cohorts$/);

  const cohortName = `Live cohort ${Date.now()}`;
  await dash.getByLabel("Cohort name").fill(cohortName);
  await dash.getByRole("button", { name: "Create cohort" }).click();
  await expect(dash.getByRole("heading", { level: 1, name: cohortName })).toBeVisible();
  const dashboardUrl = dash.url();
  expect(dashboardUrl).toMatch(/\/cohorts\/[A-Za-z0-9_-]+$/);
  const joinLink = (await dash.getByTestId("join-link").innerText()).trim();
  expect(joinLink).toMatch(/\/join\/[A-Z2-9]{8}$/);
  await expect(dash.getByText("No learners have joined yet. Share the join link above.")).toBeVisible();

  // From here on the dashboard is never reloaded: this marker would not survive a navigation.
  await dash.evaluate(() => ((window as unknown as { __dashboardMarker: string }).__dashboardMarker = "still the same page"));

  // The learner, in a browser of their own.
  const learnerContext = await browser.newContext();
  const learner = await learnerContext.newPage();
  const learnerName = `Lena ${Math.random().toString(36).slice(2, 8)}`;
  const learnerEmail = uniqueEmail("dash-learner");
  await signUp(learner, { name: learnerName, email: learnerEmail, password: "learner password 1" });
  await expect(learner).toHaveURL(/\/labs\/order-system$/);
  await learner.goto(joinLink);
  await expect(learner.getByRole("heading", { level: 1, name: "Join a cohort" })).toBeVisible();
  await learner.getByRole("button", { name: "Join the cohort" }).click();
  await expect(learner.getByTestId("join-outcome")).toContainText(`You joined ${cohortName}.`);
  await learner.goto("/join");
  await expect(learner.getByTestId("memberships")).toContainText(cohortName);

  // The dashboard picks the new learner up by itself.
  await expect(cellOf(dash, learnerName, 1)).toHaveAttribute("data-state", "not-started", { timeout: 20_000 });
  await expect(dash.getByTestId("stat-learners")).toContainText("1");

  const keys = await connectSandboxAccount(learner);
  const applied = await applySolutionScript(keys, "01-sns-topic");
  expect(applied.code, applied.output).toBe(0);
  await checkStep(learner, 1);
  await expect(learner.getByTestId("check-summary")).toContainText("Passed");

  const cell = cellOf(dash, learnerName, 1);
  await expect(cell).toHaveAttribute("data-state", "pass", { timeout: 20_000 });
  await expect(cell).toContainText("Passed");
  await expect(cell).toContainText("1 check");
  await expect(cell.locator("time")).toHaveAttribute("title", /UTC$/);
  await expect(dash.getByRole("row", { name: new RegExp(learnerName) }).getByTestId("passed-steps")).toHaveText("1 of 6");
  await expect(dash.getByTestId("live-status")).toContainText(/Updated \d\d:\d\d:\d\d UTC/);
  expect(await dash.evaluate(() => (window as unknown as { __dashboardMarker?: string }).__dashboardMarker)).toBe("still the same page");
  expect(dash.url()).toBe(dashboardUrl);
  // The funnel counts the learner at step 1.
  await expect(dash.getByTestId("funnel-chart").locator("desc")).toContainText("step 1: 1 of 1");
  expect(await seriousViolations(dash)).toEqual([]);

  // The CSV has the learner's row with step 1 passed.
  const [download] = await Promise.all([dash.waitForEvent("download"), dash.getByRole("link", { name: "Download progress as CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const csv = fs.readFileSync(await download.path(), "utf8");
  const [header, ...lines] = csv.trim().split(/\r?\n/);
  const columns = header!.split(",");
  const row = lines.find((l) => l.includes(learnerEmail));
  expect(row, csv).toBeTruthy();
  expect(row!.split(",")[columns.indexOf("step 1 status")]).toBe("passed");
  expect(row!.split(",")[columns.indexOf("step 2 status")]).toBe("not started");

  // The drill-down shows the attempt's checks as the learner saw them.
  await dash.getByRole("row", { name: new RegExp(learnerName) }).getByRole("link", { name: learnerName }).click();
  await expect(dash.getByRole("heading", { level: 1, name: learnerName })).toBeVisible();
  const step1 = dash.getByTestId("drill-step-1");
  await expect(step1.locator("[data-state]").first()).toHaveAttribute("data-state", "pass");
  const attempts = step1.getByTestId("attempt-history").locator("ol > li");
  await expect(attempts).toHaveCount(1);
  await expect(attempts.first()).toContainText("Passed");
  await expect(attempts.first()).toContainText("from the web page");
  await attempts.first().locator("summary").click();
  const check = attempts.first().locator("[data-check-id]").first();
  await expect(check).toBeVisible();
  await expect(check).toContainText("order-events");
  await expect(dash.getByTestId("drill-step-2")).toContainText("No checks of this step yet.");
  expect(await seriousViolations(dash)).toEqual([]);

  // A re-check of the whole cohort, from the dashboard, with its progress shown.
  await dash.goto(dashboardUrl);
  await dash.getByRole("button", { name: "Re-check the whole cohort" }).click();
  await expect(dash.getByRole("group", { name: /Re-check all 1 learner\?/ })).toBeVisible();
  await dash.getByRole("button", { name: "Yes, re-check everyone" }).click();
  await expect(dash.getByTestId("recheck-summary")).toBeVisible({ timeout: 60_000 });
  await expect(dash.getByTestId("recheck-progress")).toContainText("1 of 1 learner done");
  await expect(dash.getByTestId("recheck-progress").locator("progress")).toHaveAttribute("value", "1");
  await expect(dash.getByTestId("recheck-lines")).toContainText(`${learnerName}: step 1 passed.`);
  await expect(dash.getByTestId("recheck-summary")).toContainText("1 step checked over 1 learner; 1 passed");
  await expect(dash.getByRole("button", { name: "Re-check the whole cohort" })).toBeEnabled();
  // The matrix refreshes when the re-check is done.
  await expect(cellOf(dash, learnerName, 1)).toContainText("2 checks", { timeout: 10_000 });

  // One learner's row button re-checks just them.
  await dash.getByRole("button", { name: `Re-check ${learnerName}` }).click();
  await expect(dash.getByTestId("recheck-summary")).toBeVisible({ timeout: 60_000 });
  await expect(cellOf(dash, learnerName, 1)).toContainText("3 checks", { timeout: 10_000 });

  // The drill-down lists the re-checks first, from a re-check.
  await dash.getByRole("row", { name: new RegExp(learnerName) }).getByRole("link", { name: learnerName }).click();
  const history = dash.getByTestId("drill-step-1").getByTestId("attempt-history").locator("ol > li");
  await expect(history).toHaveCount(3);
  await expect(history.first()).toContainText("from a re-check");
  await expect(history.last()).toContainText("from the web page");

  await learnerContext.close();
  await instructorContext.close();
});

test("the matrix's filters, sorting and search live in the URL", async ({ page }) => {
  await signIn(page, DEMO_INSTRUCTOR.email, DEMO_INSTRUCTOR.password, "/signin?callbackUrl=/cohorts");
  const cohortName = `Filter cohort ${Date.now()}`;
  await page.getByLabel("Cohort name").fill(cohortName);
  await page.getByRole("button", { name: "Create cohort" }).click();
  await expect(page.getByRole("heading", { level: 1, name: cohortName })).toBeVisible();
  const base = page.url();

  await page.getByLabel("Name or email").fill("nobody-matches-this");
  await page.getByLabel("Stuck on").selectOption("2");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/search=nobody-matches-this/);
  await expect(page).toHaveURL(/stuckOn=2/);
  await page.reload();
  await expect(page.getByLabel("Name or email")).toHaveValue("nobody-matches-this");
  await expect(page.getByLabel("Stuck on")).toHaveValue("2");
  await expect(page.getByText("No learners match these filters.")).toBeVisible();
  await page.getByRole("link", { name: "Clear filters" }).click();
  await expect(page.getByLabel("Name or email")).toHaveValue("");
  expect(page.url().startsWith(base)).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);
});
