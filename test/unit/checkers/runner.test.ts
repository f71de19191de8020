// The runner's status rules and report shape, with fake checkers (no AWS: a checker here is
// just a function returning results).
import { describe, expect, it } from "vitest";
import type { StepFrontMatter } from "@/lib/content/step-schema";
import { CallCounter, type AwsClients } from "@/checkers/clients";
import { connectionFromClients } from "@/checkers/context";
import { runSteps, stepStatus, type StepToRun } from "@/checkers/runner";
import type { CheckResult, Status, StepChecker, StepReport } from "@/checkers/types";

const result = (status: Status, id = `x.${status}`): CheckResult => ({ id, title: id, status, message: `${id}.` });

const connection = connectionFromClients({ target: "sandbox", region: "us-east-1" }, {} as AwsClients, new CallCounter());

function fm(step: number): StepFrontMatter {
  return { step, slug: `step-${step}`, title: `Step ${step}`, summary: "A step for the runner's tests.", resources: {}, expect: {}, hints: ["A hint long enough."] };
}

function fake(step: number, run: StepChecker["run"]): StepToRun {
  return { checker: { step, slug: `step-${step}`, actions: [], run }, frontMatter: fm(step) };
}

describe("stepStatus", () => {
  it.each<[Status[], Status]>([
    [["pass", "pass"], "pass"],
    [["pass", "skip"], "pass"],
    [["skip"], "pass"],
    [["pass", "error"], "error"],
    [["error", "fail"], "fail"],
    [["pass", "fail"], "fail"],
    [["fail", "skip"], "fail"],
  ])("%j → %s", (statuses, want) => {
    expect(stepStatus(statuses.map((s, i) => result(s, `c${i}`)))).toBe(want);
  });
});

describe("runSteps", () => {
  it("builds a LabReport with each step's status and passed only when every step passes", async () => {
    const seen: StepReport[] = [];
    const report = await runSteps({ lab: "order-system", connection, onStep: (r) => seen.push(r) }, [
      fake(1, async () => [result("pass")]),
      fake(2, async () => [result("pass"), result("error")]),
    ]);
    expect(report).toMatchObject({ lab: "order-system", target: "sandbox", region: "us-east-1", passed: false });
    expect(report.steps.map((s) => [s.step, s.slug, s.status])).toEqual([[1, "step-1", "pass"], [2, "step-2", "error"]]);
    expect(Date.parse(report.startedAt)).not.toBeNaN();
    expect(seen.map((s) => s.step)).toEqual([1, 2]);
  });

  it("passes when all steps pass", async () => {
    const report = await runSteps({ lab: "order-system", connection }, [fake(1, async () => [result("pass")])]);
    expect(report.passed).toBe(true);
  });

  it("turns a checker that throws (a bug) into an error result, and runs the next step", async () => {
    const report = await runSteps({ lab: "order-system", connection }, [
      fake(1, async () => {
        throw new Error("bug");
      }),
      fake(2, async () => [result("pass")]),
    ]);
    expect(report.steps[0]?.status).toBe("error");
    expect(report.steps[0]?.checks[0]?.message).toContain("bug");
    expect(report.steps[1]?.status).toBe("pass");
  });

  it("hands each checker its own front matter, the whole lab, the probe switch and progress", async () => {
    const progress: string[] = [];
    let seen: { step: number; probe: boolean; lab: number } | undefined;
    await runSteps({ lab: "order-system", connection, probe: true, onProgress: (s, m) => progress.push(`${s}:${m}`), labSteps: [fm(5), fm(6)] }, [
      fake(6, async (ctx) => {
        seen = { step: ctx.step.step, probe: ctx.probe, lab: ctx.labSteps?.length ?? 0 };
        ctx.onProgress?.("half way");
        return [result("pass")];
      }),
    ]);
    expect(seen).toEqual({ step: 6, probe: true, lab: 2 });
    expect(progress).toEqual(["6:half way"]);
  });
});
