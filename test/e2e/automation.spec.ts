// Automated verification through the real site: a learner's personal API token (created on the
// account page, shown once, refused once revoked), and a cohort webhook that the running site's
// delivery worker (started by instrumentation.ts) POSTs, signed, to a local receiver when a
// learner passes a step — then the webhooks page shows the delivery.
import { createHmac } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { applySolutionScript, AWS_CLI, checkStep, connectSandboxAccount, DEMO_INSTRUCTOR, seriousViolations, signIn, signUp, uniqueEmail } from "./helpers";

test.describe.configure({ timeout: 300_000 });

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on loopback (the local outbound policy allows it) that answers 204 and keeps what it got. */
async function startReceiver(): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/lab-grader`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test("a personal API token is shown once, answers for its owner, and is refused once revoked", async ({ page, request }) => {
  const email = uniqueEmail("api-token");
  await signUp(page, { name: "Tokyo", email, password: "token password 1" });
  await expect(page).toHaveURL(/\/labs\/order-system$/);
  await page.goto("/account");
  await page.getByLabel("Token name").fill("laptop CI");
  await page.getByRole("button", { name: "Create token" }).click();
  const field = page.locator("#new-api-token");
  await expect(field).toBeVisible();
  const token = await field.inputValue();
  expect(token).toMatch(/^lgr_[A-Za-z0-9_-]{40,}$/);
  expect(await seriousViolations(page)).toEqual([]);

  const asToken = { headers: { Authorization: `Bearer ${token}` } };
  const mine = await request.get("/api/v1/me/progress", asToken);
  expect(mine.status()).toBe(200);
  expect((await mine.json()).user.email).toBe(email);

  // Shown once: after a reload the page lists the token by its prefix only.
  await page.reload();
  await expect(page.locator("#new-api-token")).toHaveCount(0);
  expect(await page.content()).not.toContain(token);
  await page.getByRole("button", { name: "Revoke the token laptop CI" }).click();
  await page.getByRole("button", { name: "Yes, revoke it" }).click();
  await expect(page.getByRole("status").filter({ hasText: /revoked/i })).toBeVisible();

  const refused = await request.get("/api/v1/me/progress", asToken);
  expect(refused.status()).toBe(401);
  expect(refused.headers()["content-type"]).toContain("application/problem+json");
});

test.describe("webhooks", () => {
  test.skip(!fs.existsSync(AWS_CLI), `the AWS CLI (${AWS_CLI}) is not installed`);

  test("a registered webhook receives a signed step.passed event when a learner of the cohort passes, and the log shows it", async ({ browser }) => {
    const receiver = await startReceiver();
    try {
      const instructor = await (await browser.newContext()).newPage();
      await signIn(instructor, DEMO_INSTRUCTOR.email, DEMO_INSTRUCTOR.password, "/signin?callbackUrl=/cohorts");
      const cohortName = `Webhook cohort ${Date.now()}`;
      await instructor.getByLabel("Cohort name").fill(cohortName);
      await instructor.getByRole("button", { name: "Create cohort" }).click();
      await expect(instructor.getByRole("heading", { level: 1, name: cohortName })).toBeVisible();
      const joinLink = (await instructor.getByTestId("join-link").innerText()).trim();
      await instructor.getByRole("link", { name: "Webhooks" }).click();
      await expect(instructor.getByRole("heading", { level: 1, name: `Webhooks for ${cohortName}` })).toBeVisible();

      // A URL outside the outbound-address policy is refused and nothing is registered.
      await instructor.getByLabel("Receiver URL").fill("ftp://files.example.com/hook");
      await instructor.getByRole("button", { name: "Add webhook" }).click();
      await expect(instructor.getByText("Only http and https URLs are allowed, not ftp.")).toBeVisible();
      await expect(instructor.getByTestId("webhook-secret")).toHaveCount(0);

      await instructor.getByLabel("Receiver URL").fill(receiver.url);
      await instructor.getByRole("button", { name: "Add webhook" }).click();
      const secret = (await instructor.getByTestId("webhook-secret").innerText()).trim();
      expect(secret.length).toBeGreaterThanOrEqual(32);
      expect(await seriousViolations(instructor)).toEqual([]);

      // A learner of the cohort passes step 1.
      const learner = await (await browser.newContext()).newPage();
      const email = uniqueEmail("hook-learner");
      await signUp(learner, { name: "Hooked Learner", email, password: "learner password 1" });
      await expect(learner).toHaveURL(/\/labs\/order-system$/);
      await learner.goto(joinLink);
      await learner.getByRole("button", { name: "Join the cohort" }).click();
      await expect(learner.getByTestId("join-outcome")).toContainText(`You joined ${cohortName}.`);
      const keys = await connectSandboxAccount(learner);
      const applied = await applySolutionScript(keys, "01-sns-topic");
      expect(applied.code, applied.output).toBe(0);
      await checkStep(learner, 1);
      await expect(learner.getByTestId("check-summary")).toContainText("Passed");

      await expect.poll(() => receiver.received.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
      const delivery = receiver.received[0]!;
      const event = JSON.parse(delivery.body) as Record<string, unknown>;
      expect(event).toMatchObject({ type: "step.passed", lab: "order-system", step: 1, user: { email } });
      expect(Object.keys(event)).toEqual(["id", "type", "occurredAt", "lab", "step", "user", "cohort"]);
      expect(delivery.headers["x-lab-grader-event"]).toBe("step.passed");
      // The signature, checked independently of the site's code: HMAC-SHA256 of "<t>.<body>".
      const signature = String(delivery.headers["x-lab-grader-signature"]);
      const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature);
      expect(match, signature).not.toBeNull();
      const [, t, v1] = match!;
      expect(Math.abs(Date.now() / 1000 - Number(t))).toBeLessThan(300);
      expect(createHmac("sha256", secret).update(`${t}.${delivery.body}`).digest("hex")).toBe(v1);

      // The delivery log on the webhooks page.
      await instructor.reload();
      const log = instructor.getByRole("table", { name: /^Deliveries to / });
      await expect(log.getByRole("row").filter({ hasText: "step.passed" })).toContainText("Delivered");
      await expect(log).toContainText(email);
      expect(await seriousViolations(instructor)).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});
