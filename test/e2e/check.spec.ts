// "Check my progress" end to end: the demo learner connects the built-in sandbox, the test
// applies the reference solution with the AWS CLI as the learner would, and each step passes in
// the browser; then a broken variant (the shipping filter on the message body) fails step 3
// and its hint is revealed.
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { AWS_CLI, DEMO_LEARNER, applySolutionScript, awsCliEnv, checkStep as check, connectSandboxAccount, runCommand as run, seriousViolations, signIn } from "./helpers";

const SCRIPTS = ["01-sns-topic", "02-sqs-queues", "03-fan-out", "04-eventbridge-rule", "05-step-functions"];

test.describe.configure({ timeout: 300_000 });

test.skip(!fs.existsSync(AWS_CLI), `the AWS CLI (${AWS_CLI}) is not installed`);

test("a learner connects the sandbox, builds the lab with the AWS CLI and sees every step pass, then a broken step fail with its hint", async ({ page }) => {
  await signIn(page, DEMO_LEARNER.email, DEMO_LEARNER.password);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  const learner = await connectSandboxAccount(page);
  const env = awsCliEnv(learner);

  for (const script of SCRIPTS) {
    const out = await applySolutionScript(learner, script, env);
    expect(out.code, `${script}.sh\n${out.output}`).toBe(0);
  }

  for (const step of [1, 2, 3, 4, 5]) {
    await check(page, step);
    await expect(page.getByTestId("check-summary"), `step ${step}`).toContainText("Passed");
    // The badge and the progress bar follow without a reload.
    await expect(page.getByTestId("step-status")).toHaveText("Passed");
    await expect(page.getByText(`${step} of 6 steps passed`)).toBeVisible();
    await expect(page.getByTestId("attempt-history").getByRole("listitem")).toHaveCount(1);
  }

  // Step 6: "Check my progress" only explains (nothing recorded); the probe says what it will do first.
  await check(page, 6);
  await expect(page.getByTestId("check-summary")).toContainText("nothing was recorded");
  await expect(page.getByTestId("attempt-history")).toContainText("No checks of this step yet.");
  await page.getByRole("button", { name: "Run the end-to-end probe" }).click();
  const confirm = page.getByRole("group", { name: "Run the end-to-end probe?" });
  await expect(confirm).toContainText("publishes three tagged probe orders");
  await confirm.getByRole("button", { name: "Run the probe" }).click();
  await expect(page.getByText(/Probe running: \d+ s of at most 60 s/)).toBeVisible();
  await expect(page.getByTestId("check-results")).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId("check-summary")).toContainText("Passed");
  await expect(page.getByTestId("step-status")).toHaveText("Passed");
  await expect(page.getByText("6 of 6 steps passed")).toBeVisible();

  // The broken variant: shipping's filter policy judged against the message body.
  // Debian's CLI 2.9 predates AWS_ENDPOINT_URL, so direct calls name the endpoint.
  const aws = (args: string[]) => run("aws", ["--endpoint-url", learner.endpoint, ...args], env);
  const topic = `arn:aws:sns:us-east-1:${(await aws(["sts", "get-caller-identity", "--query", "Account", "--output", "text"])).output.trim()}:order-events`;
  const subs = await aws(["sns", "list-subscriptions-by-topic", "--topic-arn", topic, "--query", "Subscriptions[?ends_with(Endpoint, ':shipping-orders')].SubscriptionArn | [0]", "--output", "text"]);
  const subscription = subs.output.trim();
  expect(subscription, subs.output).toMatch(/^arn:aws:sns:/);
  const broke = await aws(["sns", "set-subscription-attributes", "--subscription-arn", subscription, "--attribute-name", "FilterPolicyScope", "--attribute-value", "MessageBody"]);
  expect(broke.code, broke.output).toBe(0);

  await check(page, 3);
  await expect(page.getByTestId("check-summary")).toContainText("Failed");
  await expect(page.getByTestId("step-status")).toHaveText("Passed earlier, failing now");
  const results = page.getByTestId("check-results");
  const scope = results.getByRole("listitem").filter({ hasText: "shipping-orders's filter policy applies to message attributes" });
  await expect(scope).toContainText("Failed");
  await expect(scope).toContainText("MessageBody");
  await scope.getByRole("button", { name: /Show a hint/ }).click();
  await expect(scope).toContainText("Set the subscription attribute FilterPolicyScope to MessageAttributes");
  // The history keeps both attempts, newest first, each as the learner saw it.
  const history = page.getByTestId("attempt-history").getByRole("listitem");
  await expect(history).toHaveCount(2);
  await expect(history.first()).toContainText("Failed");
  await expect(history.nth(1)).toContainText("Passed");
  await history.first().locator("summary").click();
  await expect(history.first().getByRole("listitem").first()).toBeVisible();
  // Results, a revealed hint and an opened history entry are accessible too.
  expect(await seriousViolations(page)).toEqual([]);
});
