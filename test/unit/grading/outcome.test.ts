// The grading service's pure decisions: what counts as attempted, how a stored attempt reads back.
import { describe, expect, it } from "vitest";
import type { CheckResult, StepReport } from "@/checkers/types";
import { rateLimitMessage, shownStatus, toAttemptView, wasAttempted } from "@/lib/grading/outcome";

const check = (status: CheckResult["status"]): CheckResult => ({ id: `x.${status}`, title: status, status, message: `It is ${status}.` });
const report = (...statuses: CheckResult["status"][]): StepReport => ({
  step: 6,
  slug: "end-to-end",
  status: statuses.includes("fail") ? "fail" : statuses.includes("error") ? "error" : "pass",
  durationMs: 3,
  checks: statuses.map(check),
});

describe("what the grading service records", () => {
  it("does not count a step whose checks all skipped (step 6 without the probe) as attempted", () => {
    expect(wasAttempted(report("skip", "skip"))).toBe(false);
    expect(shownStatus(report("skip", "skip"))).toBe("skip");
    expect(wasAttempted(report())).toBe(false);
  });

  it("counts any step with a real result, keeping the runner's status", () => {
    expect(wasAttempted(report("skip", "pass"))).toBe(true);
    expect(shownStatus(report("skip", "pass"))).toBe("pass");
    expect(shownStatus(report("pass", "fail"))).toBe("fail");
    expect(shownStatus(report("pass", "error"))).toBe("error");
  });

  it("reads a stored attempt back with its results, and survives unreadable rows", () => {
    const createdAt = new Date("2026-11-26T10:00:00Z");
    const row = { id: "a1", step: 3, status: "fail", source: "cli", durationMs: 42, createdAt, results: JSON.stringify([check("fail")]) };
    expect(toAttemptView(row)).toEqual({ id: "a1", step: 3, status: "fail", source: "cli", durationMs: 42, createdAt: "2026-11-26T10:00:00.000Z", checks: [check("fail")] });
    expect(toAttemptView({ ...row, results: "not json", status: "weird", source: "odd" })).toMatchObject({ checks: [], status: "error", source: "web" });
    expect(toAttemptView({ ...row, results: "{}" }).checks).toEqual([]);
  });

  it("tells a rate-limited learner when to try again", () => {
    expect(rateLimitMessage(1)).toMatch(/in 1 second\.$/);
    expect(rateLimitMessage(42)).toMatch(/in 42 seconds\.$/);
  });
});
