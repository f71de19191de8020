import { expect, test } from "@playwright/test";
import { DEMO_LEARNER, signIn, signUp, uniqueEmail } from "./helpers";

test("the module has a table of contents, drawn diagrams and highlighted code", async ({ page }) => {
  await page.goto("/module");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("AWS Messaging and Integration Services");
  const toc = page.getByRole("navigation", { name: "Contents" });
  for (const topic of ["SQS", "SNS", "EventBridge", "Step Functions", "API Gateway", "Review questions"]) {
    await expect(toc.getByRole("link", { name: new RegExp(topic, "i") }).first()).toBeVisible();
  }
  // A TOC link jumps to its section.
  const link = toc.getByRole("link", { name: /Step Functions/i }).first();
  const target = (await link.getAttribute("href"))!;
  await link.click();
  await expect(page).toHaveURL(new RegExp(`${target}$`));
  await expect(page.locator(target)).toBeInViewport();

  const diagrams = page.locator("figure.diagram svg[role=img]");
  expect(await diagrams.count()).toBeGreaterThanOrEqual(8);
  for (const svg of await diagrams.all()) {
    const box = await svg.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(200);
    expect(box?.height ?? 0).toBeGreaterThan(80);
  }
  // Shiki colours tokens inline: highlighted code has coloured spans.
  expect(await page.locator(".code-block pre.shiki span[style*='color']").count()).toBeGreaterThan(100);
});

test("a learner can open all six lab steps, each with CLI, console and Terraform instructions", async ({ page }) => {
  // A learner of their own: the demo learner's progress belongs to the other specs.
  await signUp(page, { name: "Reader", email: uniqueEmail("reader"), password: "reader password 1" });
  await expect(page).toHaveURL(/\/labs\/order-system$/);
  const steps = page.locator(".steps-list li");
  await expect(steps).toHaveCount(6);
  for (let step = 1; step <= 6; step++) {
    await page.goto(`/labs/order-system/steps/${step}`);
    await expect(page.getByText(`Step ${step} of 6`)).toBeVisible();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "With the AWS CLI" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "In the console" })).toBeVisible();
    await expect(page.getByRole("heading", { name: /With Terraform/ })).toBeVisible();
    await expect(page.getByText("Not started").first()).toBeVisible();
  }
  await expect(page.getByRole("heading", { name: "Clean up" })).toBeVisible();
});

test("hints are revealed one at a time", async ({ page }) => {
  await signIn(page, DEMO_LEARNER.email, DEMO_LEARNER.password, "/signin?callbackUrl=/labs/order-system/steps/2");
  await expect(page).toHaveURL(/steps\/2$/);
  const hints = page.locator(".hint-list li");
  await expect(hints).toHaveCount(0);
  await page.getByRole("button", { name: "Show a hint" }).click();
  await expect(hints).toHaveCount(1);
  await page.getByRole("button", { name: /Show hint 2 of/ }).click();
  await expect(hints).toHaveCount(2);
});

for (const path of ["/labs/order-system/steps/7", "/labs/order-system/steps/0", "/labs/order-system/steps/1.0", "/labs/order-system/steps/%2e%2e%2fetc", "/labs/nope/steps/1", "/labs/nope", "/definitely-not-here"]) {
  test(`a malformed URL (${path}) is a 404 page, not an error`, async ({ page }) => {
    const response = await page.goto(path);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    const html = await page.content();
    expect(html).not.toMatch(/at [A-Za-z.]+ \(|node_modules|\.tsx?:\d+/);
  });
}

test("the health endpoint answers", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: "ok", db: "ok", sandbox: "up" });
});
