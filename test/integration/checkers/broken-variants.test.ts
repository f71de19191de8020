// Each broken variant of the reference solution, applied on top of it, fails exactly the
// check(s) its header names and passes the rest of its step.
//
// One sandbox account per step, holding what that step's checks read (steps 4 and 5 depend on
// nothing earlier; step 3 needs 1 and 2). The AWS CLI costs about a second a call, so the
// reference scripts take over two minutes for steps 1-5: the accounts are prepared with the
// solution's SDK form (labs/order-system/solution/sdk/apply.ts; the scripts themselves are proven by lab-steps.test.ts)
// and, between variants, the reference is put back from an SDK snapshot (restore.ts) instead of
// re-running the step's script; the last check of each step proves the restore is complete.
// The variants themselves are applied with the AWS CLI, as a learner's mistakes would be.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "@/checkers/context";
import { runSteps, type StepToRun } from "@/checkers/runner";
import type { LabReport } from "@/checkers/types";
import type { AccountKeys, TestSandbox } from "@/test/support/sandbox";
import { startTestSandbox } from "@/test/support/sandbox";
import { labSteps, toolsAvailable } from "./support";
import { snapshotStep } from "./restore";
import { prepareStep, step1 } from "@/labs/order-system/solution/sdk/apply";
import { brokenVariants, runScript, variantScript, type Variant } from "./variants";

const REGION = "us-east-1";

/**
 * Variants that cannot be undone at once get an account of their own: SQS refuses to recreate a
 * deleted queue's name for 60 s.
 */
const OWN_ACCOUNT = new Set(["step2-dlq-missing"]);

const variants = brokenVariants();
const byStep = [1, 2, 3, 4, 5].map((step) => ({ step, variants: variants.filter((v) => v.step === step) }));
/** One account per group: a step's variants that share one, or a variant alone. */
const groups = [
  ...byStep.map(({ step, variants: vs }) => ({ key: `step ${step}`, step, variants: vs.filter((v) => !OWN_ACCOUNT.has(v.name)), undo: true })),
  ...variants.filter((v) => OWN_ACCOUNT.has(v.name)).map((v) => ({ key: v.name, step: v.step, variants: [v], undo: false })),
];

let sb: TestSandbox;
let steps: StepToRun[];
const accounts = new Map<string, AccountKeys>();

beforeAll(async () => {
  sb = await startTestSandbox();
  steps = await labSteps(5);
  await Promise.all(
    groups.map(async ({ key, step }) => {
      const keys = await sb.createAccount();
      await prepareStep(sb.clientConfig(keys), step);
      accounts.set(key, keys);
    }),
  );
}, 60_000);
afterAll(async () => {
  await sb?.close();
});

async function checkStep(keys: AccountKeys, step: number): Promise<LabReport> {
  const connection = await connect({ target: "sandbox", region: REGION, endpoint: sb.endpoint, baseCredentials: keys });
  return runSteps({ lab: "order-system", connection, labSteps: steps.map((s) => s.frontMatter) }, steps.filter((s) => s.checker.step === step));
}

const notPassing = (r: LabReport) => r.steps.flatMap((s) => s.checks).filter((c) => c.status !== "pass" && c.status !== "skip");

describe.skipIf(!toolsAvailable())("broken variants of the reference solution", () => {
  it("has at least three variants for each of steps 1-5", () => {
    for (const { step, variants: vs } of byStep) expect(vs.length, `step ${step}`).toBeGreaterThanOrEqual(3);
  });

  it.concurrent.for(groups)("$key: each variant fails exactly the checks its header names", { timeout: 240_000 }, async ({ key, step, variants: vs, undo }, { expect }) => {
    const keys = accounts.get(key) as AccountKeys;
    const restore = step === 1 ? () => step1(sb.clientConfig(keys)) : await snapshotStep(sb.clientConfig(keys), step);
    const baseline = await checkStep(keys, step);
    expect(notPassing(baseline).map((c) => c.id), "the reference solution passes").toEqual([]);

    const apply = async (v: Variant) => {
      const applied = await runScript(sb, keys, variantScript(v.name));
      expect(applied.code, `${v.name}:\n${applied.output.slice(-2000)}`).toBe(0);
      const r = await checkStep(keys, step);
      const failing = notPassing(r);
      expect.soft(failing.map((c) => c.id).sort(), `${v.name}: ${JSON.stringify(failing.map((c) => [c.id, c.status, c.message]), null, 1)}`).toEqual(v.fails);
      // The check that names the mistake fails (not errs) with a hint.
      for (const c of failing) {
        expect.soft(c.status, `${v.name}: ${c.id}`).toBe("fail");
        expect.soft(c.hint, `${v.name}: ${c.id}`).toBeTruthy();
      }
      if (undo) await restore();
    };
    for (const v of vs) await apply(v);
    if (!undo) return;

    const after = await checkStep(keys, step);
    expect(notPassing(after).map((c) => c.id), "the restore undoes every variant").toEqual([]);
  });
});
