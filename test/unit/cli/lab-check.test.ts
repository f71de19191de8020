// lab-check's pure parts: flag parsing, and the text and JUnit renderings of a report.
import { describe, expect, it } from "vitest";
import { parseCli, UsageError } from "@/cli/args";
import { formatJunit } from "@/cli/format-junit";
import { formatText, wantsColor } from "@/cli/format-text";
import { labReportSchema } from "@/cli/lab-report-schema";
import type { LabReport } from "@/checkers/types";

const report: LabReport = {
  lab: "order-system",
  target: "sandbox",
  region: "us-east-1",
  startedAt: "2026-11-26T19:00:00.000Z",
  durationMs: 42,
  passed: false,
  steps: [
    { step: 1, slug: "sns-topic", status: "pass", durationMs: 3, checks: [{ id: "step1.topic-exists", title: "t", status: "pass", message: "The topic exists." }] },
    {
      step: 3,
      slug: "fan-out",
      status: "fail",
      durationMs: 9,
      checks: [
        { id: "step3.shipping-filter-accepts-1000", title: "t", status: "fail", message: 'Rejects <1000> & "more".', hint: "Use >= 1000.", expected: ">=", found: ">" },
        { id: "step3.shipping-policy-allows-topic", title: "t", status: "error", message: "Denied sqs:GetQueueAttributes.", hint: "Add the action." },
        { id: "step3.queues", title: "t", status: "skip", message: "Skipped." },
      ],
    },
  ],
};

describe("parseCli", () => {
  it("defaults to steps 1-5, target aws, text; all includes step 6 only with --probe", () => {
    const p = parseCli([]);
    expect(p).toMatchObject({ kind: "run", options: { steps: [1, 2, 3, 4, 5], target: "aws", format: "text", probe: false } });
    expect(parseCli(["--probe"])).toMatchObject({ options: { steps: [1, 2, 3, 4, 5, 6] } });
    expect(parseCli(["--step", "3,1,3"])).toMatchObject({ options: { steps: [1, 3] } });
  });

  it("takes the sandbox as target with --endpoint, and localhost:4566 for sandbox and localstack", () => {
    expect(parseCli(["--endpoint", "http://127.0.0.1:4566/"])).toMatchObject({ options: { target: "sandbox", endpoint: "http://127.0.0.1:4566" } });
    expect(parseCli(["--target", "localstack"])).toMatchObject({ options: { endpoint: "http://localhost:4566" } });
  });

  it.each([[["--role-arn", "LabGraderRole"]], [["--endpoint", "ftp://x"]], [["--region", "US"]], [["--token", "t"]]])("refuses %j", (args) => {
    expect(() => parseCli(args)).toThrow(UsageError);
  });
});

describe("formatText", () => {
  it("writes one line per check with its mark, hints under fail and error, and names what is not passing", () => {
    const text = formatText(report);
    expect(text).toContain("  ✓ step1.topic-exists  The topic exists.");
    expect(text).toContain('  ✗ step3.shipping-filter-accepts-1000  Rejects <1000> & "more".\n      hint: Use >= 1000.');
    expect(text).toContain("  ! step3.shipping-policy-allows-topic");
    expect(text).toContain("  – step3.queues  Skipped.");
    expect(text).toContain("1 of 2 step(s) pass; not passing: step3.shipping-filter-accepts-1000, step3.shipping-policy-allows-topic.");
    expect(text).not.toContain("\u001b[");
    expect(formatText(report, { color: true })).toContain("\u001b[31m✗\u001b[0m");
  });

  it("colours only a terminal without NO_COLOR", () => {
    expect(wantsColor({ isTTY: true }, {})).toBe(true);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(wantsColor({ isTTY: false }, {})).toBe(false);
    expect(wantsColor({}, {})).toBe(false);
  });
});

describe("formatJunit", () => {
  it("has a testsuite per step and failure, error and skipped elements, escaped", () => {
    const xml = formatJunit(report);
    expect(xml).toContain('<testsuites name="order-system" tests="4" failures="1" errors="1" skipped="1" time="0.042">');
    expect(xml).toContain('<testsuite name="order-system.step3-fan-out" tests="3" failures="1" errors="1" skipped="1"');
    expect(xml).toContain('<failure message="Rejects &lt;1000&gt; &amp; &quot;more&quot;." type="fail">');
    expect(xml).toContain("Hint: Use &gt;= 1000.");
    expect(xml).toContain('<error message="Denied sqs:GetQueueAttributes." type="error">');
    expect(xml).toContain('<skipped message="Skipped."/>');
  });
});

describe("labReportSchema", () => {
  it("accepts a LabReport and refuses extra or missing fields", () => {
    expect(labReportSchema.safeParse(report).success).toBe(true);
    expect(labReportSchema.safeParse({ ...report, extra: 1 }).success).toBe(false);
    const { passed: _passed, ...missing } = report;
    expect(labReportSchema.safeParse(missing).success).toBe(false);
  });
});
