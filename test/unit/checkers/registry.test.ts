import { describe, expect, it } from "vitest";
import { loadLab } from "@/lib/content/lab";
import { STEP_CHECKERS, checkerFor, graderActions } from "@/checkers/registry";

describe("registry", () => {
  it("has one checker per step of the lab, with the step files' slugs", async () => {
    const lab = await loadLab("order-system");
    expect(STEP_CHECKERS.map((c) => [c.step, c.slug])).toEqual(lab.steps.map((s) => [s.step, s.slug]));
    expect(checkerFor(4)?.slug).toBe("eventbridge-rule");
  });

  it("declares IAM actions that are all service:Action, read-only except step 6's probe", () => {
    const actions = graderActions();
    for (const a of actions) expect(a).toMatch(/^(sts|sns|sqs|events|lambda|states):[A-Z][A-Za-z]+$/);
    const writes = actions.filter((a) => /:(Publish|DeleteMessage|ChangeMessageVisibility|StartExecution)$/.test(a));
    expect(writes.sort()).toEqual(["sns:Publish", "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "states:StartExecution"]);
    for (const c of STEP_CHECKERS.filter((s) => s.step < 6)) {
      expect(c.actions.filter((a) => writes.includes(a))).toEqual([]);
    }
  });
});
