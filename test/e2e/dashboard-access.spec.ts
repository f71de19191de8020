// Who gets what on every dashboard page and route, for each kind of user: anonymous, a learner
// (a member of the cohort), an instructor of another cohort, the cohort's instructor and an
// admin. Refusals are 401 (API, signed out), a redirect to sign in (pages, signed out) or a 404
// (the cohort's existence is not advertised), and a refused request changes nothing.
import fs from "node:fs";
import { expect, test, type APIRequestContext, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { E2E_PORT } from "../../playwright.config";
import { applySolutionScript, AWS_CLI, checkStep, connectSandboxAccount, createAdmin, DEMO_INSTRUCTOR, promoteToInstructor, signIn, signUp, uniqueEmail } from "./helpers";

test.describe.configure({ mode: "serial", timeout: 300_000 });
test.skip(!fs.existsSync(AWS_CLI), `the AWS CLI (${AWS_CLI}) is not installed`);

const ORIGIN = `http://localhost:${E2E_PORT}`;
type Kind = "anonymous" | "learner" | "other instructor" | "instructor" | "admin";
const KINDS: Kind[] = ["anonymous", "learner", "other instructor", "instructor", "admin"];

interface World {
  contexts: Record<Kind, BrowserContext>;
  cohortId: string;
  cohortName: string;
  joinCode: string;
  learnerId: string;
  learnerEmail: string;
}
let world: World;

async function newSignedIn(browser: Browser, email: string, password: string, path = "/"): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email, password, `/signin?callbackUrl=${encodeURIComponent(path)}`);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  return { context, page };
}

/** What the cohort's own instructor sees of step 1 of the learner: the yardstick for "changed nothing". */
async function step1Attempts(): Promise<{ total: number; attempts: number }> {
  const res = await world.contexts.instructor.request.get(`/api/cohorts/${world.cohortId}/progress?pageSize=200`);
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { total: number; rows: { userId: string; cells: { step: number; attempts: number }[] }[] };
  const row = body.rows.find((r) => r.userId === world.learnerId);
  return { total: body.total, attempts: row?.cells.find((c) => c.step === 1)?.attempts ?? -1 };
}

/** Sent to sign in, to come back to `path` afterwards. */
async function expectSignIn(page: Page, path: string) {
  await expect(page).toHaveURL(/\/signin\?/);
  const url = new URL(page.url());
  expect(url.searchParams.get("callbackUrl"), path).toBe(path);
}

const recheck = (request: APIRequestContext, body: unknown = {}) =>
  request.post(`/api/cohorts/${world.cohortId}/recheck`, { data: body, headers: { Origin: ORIGIN, "Content-Type": "application/json" }, maxRedirects: 0 });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000);
  const adminEmail = uniqueEmail("access-admin");
  createAdmin(adminEmail, "admin password 123");
  const admin = await newSignedIn(browser, adminEmail, "admin password 123", "/admin");

  // An instructor of another cohort: signed up, promoted by the admin, with a cohort of their own.
  const otherEmail = uniqueEmail("access-other");
  const otherContext = await browser.newContext();
  const otherPage = await otherContext.newPage();
  await signUp(otherPage, { name: "Other Instructor", email: otherEmail, password: "other password 1" });
  await expect(otherPage).toHaveURL(/\/labs\/order-system$/);
  await promoteToInstructor(admin.page, otherEmail);
  await otherPage.goto("/cohorts");
  await otherPage.getByLabel("Cohort name").fill(`Someone else's cohort ${Date.now()}`);
  await otherPage.getByRole("button", { name: "Create cohort" }).click();
  await expect(otherPage).toHaveURL(/\/cohorts\/[A-Za-z0-9_-]+$/);

  // The cohort under test, the demo instructor's.
  const owner = await newSignedIn(browser, DEMO_INSTRUCTOR.email, DEMO_INSTRUCTOR.password, "/cohorts");
  const cohortName = `Access cohort ${Date.now()}`;
  await owner.page.getByLabel("Cohort name").fill(cohortName);
  await owner.page.getByRole("button", { name: "Create cohort" }).click();
  await expect(owner.page.getByRole("heading", { level: 1, name: cohortName })).toBeVisible();
  const cohortId = /\/cohorts\/([A-Za-z0-9_-]+)$/.exec(owner.page.url())![1]!;
  const joinCode = (await owner.page.getByTestId("join-code").innerText()).trim();

  // A learner who joins and passes step 1, so a refused re-check would have something to change.
  const learnerEmail = uniqueEmail("access-learner");
  const learnerContext = await browser.newContext();
  const learnerPage = await learnerContext.newPage();
  await signUp(learnerPage, { name: "Access Learner", email: learnerEmail, password: "learner password 1" });
  await expect(learnerPage).toHaveURL(/\/labs\/order-system$/);
  await learnerPage.goto("/join");
  await learnerPage.getByLabel("Join code").fill(joinCode.toLowerCase());
  await learnerPage.getByRole("button", { name: "Join", exact: true }).click();
  await expect(learnerPage.getByTestId("join-outcome")).toContainText(`You joined ${cohortName}.`);
  const keys = await connectSandboxAccount(learnerPage);
  const applied = await applySolutionScript(keys, "01-sns-topic");
  expect(applied.code, applied.output).toBe(0);
  await checkStep(learnerPage, 1);

  const anonymous = await browser.newContext();
  const progress = await owner.context.request.get(`/api/cohorts/${cohortId}/progress`);
  const learnerId = ((await progress.json()) as { rows: { userId: string; email: string }[] }).rows.find((r) => r.email === learnerEmail)!.userId;
  world = {
    contexts: { anonymous, learner: learnerContext, "other instructor": otherContext, instructor: owner.context, admin: admin.context },
    cohortId,
    cohortName,
    joinCode,
    learnerId,
    learnerEmail,
  };
  for (const p of [admin.page, otherPage, owner.page, learnerPage]) await p.close();
});

test.afterAll(async () => {
  for (const c of Object.values(world?.contexts ?? {})) await c.close();
});

const PAGE_EXPECTED: Record<Kind, "signin" | 404 | 200> = { anonymous: "signin", learner: 404, "other instructor": 404, instructor: 200, admin: 200 };
const API_EXPECTED: Record<Kind, number> = { anonymous: 401, learner: 404, "other instructor": 404, instructor: 200, admin: 200 };

for (const kind of KINDS) {
  test(`${kind}: the cohort pages`, async () => {
    const page = await world.contexts[kind].newPage();
    const paths = [`/cohorts/${world.cohortId}`, `/cohorts/${world.cohortId}/learners/${world.learnerId}`];
    for (const path of paths) {
      const res = await page.goto(path);
      const expected = PAGE_EXPECTED[kind];
      if (expected === "signin") {
        await expectSignIn(page, path);
      } else {
        expect(res?.status(), path).toBe(expected);
        if (expected === 404) {
          await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
          await expect(page.getByText(world.cohortName)).toHaveCount(0);
        } else {
          await expect(page.getByRole("heading", { level: 1 })).toHaveText(path.includes("/learners/") ? "Access Learner" : world.cohortName);
        }
      }
    }

    // The cohort list: a 404 for learners; instructors see only their own; the admin sees all, with the owner.
    const res = await page.goto("/cohorts");
    if (kind === "anonymous") await expectSignIn(page, "/cohorts");
    else if (kind === "learner") expect(res?.status()).toBe(404);
    else {
      expect(res?.status()).toBe(200);
      const listed = page.getByTestId("cohort-list").getByRole("link", { name: world.cohortName });
      await expect(listed).toHaveCount(kind === "other instructor" ? 0 : 1);
      if (kind === "admin") await expect(page.getByRole("row", { name: new RegExp(world.cohortName) })).toContainText(DEMO_INSTRUCTOR.email);
    }
    await page.close();
  });

  test(`${kind}: the progress and CSV routes`, async () => {
    const { request } = world.contexts[kind];
    const progress = await request.get(`/api/cohorts/${world.cohortId}/progress`, { maxRedirects: 0 });
    expect(progress.status()).toBe(API_EXPECTED[kind]);
    const csv = await request.get(`/api/cohorts/${world.cohortId}/export.csv`, { maxRedirects: 0 });
    expect(csv.status()).toBe(API_EXPECTED[kind]);
    if (API_EXPECTED[kind] === 200) {
      expect(((await progress.json()) as { rows: { email: string }[] }).rows.map((r) => r.email)).toContain(world.learnerEmail);
      expect(csv.headers()["content-type"]).toMatch(/text\/csv/);
      expect(await csv.text()).toContain(world.learnerEmail);
    } else {
      // A refusal says nothing about the cohort or its learners.
      for (const body of [await progress.text(), await csv.text()]) {
        expect(body).not.toContain(world.learnerEmail);
        expect(body).not.toContain(world.cohortName);
      }
    }
  });

  test(`${kind}: re-check`, async () => {
    const before = await step1Attempts();
    expect(before.attempts).toBeGreaterThanOrEqual(1);
    const res = await recheck(world.contexts[kind].request, { userIds: [world.learnerId] });
    expect(res.status()).toBe(API_EXPECTED[kind]);
    const after = await step1Attempts();
    if (API_EXPECTED[kind] === 200) {
      const events = (await res.text()).trim().split("\n").map((l) => JSON.parse(l) as { type: string });
      expect(events[0]?.type).toBe("start");
      expect(events.at(-1)?.type).toBe("done");
      expect(after.attempts).toBe(before.attempts + 1);
    } else {
      expect(await res.text()).not.toContain("Access Learner");
      expect(after).toEqual(before);
    }
  });

  test(`${kind}: the join pages`, async () => {
    const page = await world.contexts[kind].newPage();
    const before = await step1Attempts();
    for (const path of ["/join", `/join/${world.joinCode}`]) {
      const res = await page.goto(path);
      if (kind === "anonymous") {
        await expectSignIn(page, path);
      } else {
        expect(res?.status(), path).toBe(200);
        await expect(page.getByRole("heading", { level: 1, name: "Join a cohort" })).toBeVisible();
      }
    }
    // Opening the join link (a GET) joined nobody.
    expect((await step1Attempts()).total).toBe(before.total);
    await page.close();
  });
}

test("an instructor cannot re-check or drill into someone outside the cohort", async () => {
  const { request } = world.contexts.instructor;
  const before = await step1Attempts();
  const res = await recheck(request, { userIds: [world.learnerId, "not-a-member-of-this-cohort"] });
  expect(res.status()).toBe(404);
  expect(await step1Attempts()).toEqual(before);
  const page = await world.contexts.instructor.newPage();
  expect((await page.goto(`/cohorts/${world.cohortId}/learners/not-a-member-of-this-cohort`))?.status()).toBe(404);
  await page.close();
});
