// lab-check's pure parts: flag parsing, and the text and JUnit renderings of a report.
import { describe, expect, it } from "vitest";
import { parseCli, UsageError } from "@/cli/args";
import { formatJunit } from "@/cli/format-junit";
import { formatText, wantsColor } from "@/cli/format-text";
import { labReportSchema } from "@/cli/lab-report-schema";
import type { LabReport } from "@/checkers/types";
import { parseJunit } from "@/test/integration/cli/junit";

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

  it.each([[["--role-arn", "LabGraderRole"]], [["--endpoint", "ftp://x"]], [["--region", "US"]], [["--token", "t"]], [["--output", " "]]])("refuses %j", (args) => {
    expect(() => parseCli(args)).toThrow(UsageError);
  });

  it("takes --output as the report's file", () => {
    expect(parseCli(["--format", "junit", "--output", "reports/lab.xml"])).toMatchObject({ options: { mode: "local", format: "junit", output: "reports/lab.xml" } });
  });
});

describe("parseCli --remote", () => {
  const TOKEN = "lgr_abcDEF123-_abcDEF123-_abcDEF123-_abcDEF1";

  it("takes the URL (without a trailing slash), the steps and the token, from --token or LAB_GRADER_TOKEN", () => {
    expect(parseCli(["--remote", "https://grader.example/", "--token", TOKEN, "--step", "1"])).toEqual({
      kind: "run",
      options: { mode: "remote", url: "https://grader.example", token: TOKEN, lab: "order-system", steps: [1], format: "text", probe: false },
    });
    expect(parseCli(["--remote", "http://127.0.0.1:3000/lab", "--format", "junit"], { LAB_GRADER_TOKEN: TOKEN })).toMatchObject({
      options: { mode: "remote", url: "http://127.0.0.1:3000/lab", token: TOKEN, steps: [1, 2, 3, 4, 5], format: "junit" },
    });
    // The flag wins over the environment; all with --probe includes step 6.
    expect(parseCli(["--remote", "https://g.example", "--token", TOKEN, "--probe"], { LAB_GRADER_TOKEN: "other" })).toMatchObject({ options: { token: TOKEN, steps: [1, 2, 3, 4, 5, 6], probe: true } });
  });

  it.each([
    [["--remote", "https://g.example"], {}, "--remote needs your API token: set LAB_GRADER_TOKEN"],
    [["--remote", "https://g.example"], { LAB_GRADER_TOKEN: "" }, "--remote needs your API token"],
    [["--remote", "ftp://g.example", "--token", TOKEN], {}, "--remote must be an http or https URL"],
    [["--remote", "g.example", "--token", TOKEN], {}, "--remote must be the platform's URL"],
    [["--remote", "https://me:secret@g.example", "--token", TOKEN], {}, "must not contain a user name or password"],
    [["--remote", "https://g.example/?a=1", "--token", TOKEN], {}, "without a query or fragment, such as https://g.example."],
    [["--remote", "https://g.example", "--role-arn", "arn:aws:iam::123456789012:role/R", "--token", TOKEN], {}, "--role-arn cannot be used with --remote"],
    [["--remote", "https://g.example", "--endpoint", "http://x", "--target", "sandbox", "--token", TOKEN], {}, "--target, --endpoint cannot be used with --remote"],
    [["--remote", "https://g.example", "--external-id", "x", "--region", "us-east-1", "--token", TOKEN], {}, "--region, --external-id cannot be used with --remote"],
    [["--remote", "https://g.example", "--step", "6", "--token", TOKEN], {}, "add --probe"],
    [["--token", TOKEN], {}, "--token goes with --remote"],
  ])("refuses %j (env %j): %s", (args, env, message) => {
    expect(() => parseCli(args, env)).toThrow(message);
  });

  it("never repeats the token in a refusal", () => {
    const bad = "lgr_has a space-SECRETPART";
    let message = "";
    try {
      parseCli(["--remote", "https://g.example", "--token", bad]);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain("has spaces or characters a token never has");
    expect(message).not.toContain("SECRETPART");
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

  it("colours only a terminal without NO_COLOR (or TERM=dumb), unless FORCE_COLOR decides", () => {
    expect(wantsColor({ isTTY: true }, {})).toBe(true);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: "" })).toBe(true); // no-color.org: set and non-empty
    expect(wantsColor({ isTTY: true }, { TERM: "dumb" })).toBe(false);
    expect(wantsColor({ isTTY: false }, {})).toBe(false);
    expect(wantsColor({}, {})).toBe(false);
    expect(wantsColor({ isTTY: false }, { FORCE_COLOR: "1" })).toBe(true);
    expect(wantsColor({ isTTY: false }, { FORCE_COLOR: "1", NO_COLOR: "1" })).toBe(true); // as Node: FORCE_COLOR wins
    expect(wantsColor({ isTTY: true }, { FORCE_COLOR: "0" })).toBe(false);
    expect(wantsColor({ isTTY: true }, { FORCE_COLOR: "false" })).toBe(false);
  });
});

describe("formatJunit", () => {
  it("has the totals, a testsuite per step named \"step N: slug\", and failure, error and skipped elements, escaped", () => {
    const xml = formatJunit(report);
    expect(xml).toContain('<testsuites name="lab-check order-system" tests="4" failures="1" errors="1" skipped="1" time="0.042">');
    expect(xml).toContain('<testsuite id="1" name="step 3: fan-out" tests="3" failures="1" errors="1" skipped="1" time="0.009" timestamp="2026-11-26T19:00:00">');
    expect(xml).toContain('<failure message="Rejects &lt;1000&gt; &amp; &quot;more&quot;." type="CheckFailed">');
    expect(xml).toContain("Hint: Use &gt;= 1000.");
    expect(xml).toContain('<error message="Denied sqs:GetQueueAttributes." type="CheckError">');
    expect(xml).toContain('<skipped message="Skipped."/>');
  });

  it("parses back with a real XML parser into what a CI counts and shows", () => {
    const j = parseJunit(formatJunit(report));
    expect(j).toMatchObject({ name: "lab-check order-system", tests: 4, failures: 1, errors: 1, skipped: 1, time: 0.042 });
    expect(j.testsuites.map((s) => [s.name, s.tests, s.failures, s.errors, s.skipped, s.time])).toEqual([
      ["step 1: sns-topic", 1, 0, 0, 0, 0.003],
      ["step 3: fan-out", 3, 1, 1, 1, 0.009],
    ]);
    expect(j.testsuites[0]?.properties).toEqual({ lab: "order-system", target: "sandbox", region: "us-east-1" });
    const [fail, error, skip] = j.testsuites[1]?.testcases ?? [];
    expect(j.testsuites[0]?.testcases).toEqual([{ classname: "order-system.step1-sns-topic", name: "step1.topic-exists", time: 0 }]);
    expect(fail).toEqual({
      classname: "order-system.step3-fan-out",
      name: "step3.shipping-filter-accepts-1000",
      time: 0,
      failure: { message: 'Rejects <1000> & "more".', type: "CheckFailed", text: 'Rejects <1000> & "more".\nHint: Use >= 1000.\nExpected: ">="\nFound: ">"' },
    });
    expect(error?.error).toEqual({ message: "Denied sqs:GetQueueAttributes.", type: "CheckError", text: "Denied sqs:GetQueueAttributes.\nHint: Add the action." });
    expect(skip?.skipped).toEqual({ message: "Skipped." });
  });

  it("keeps XML well-formed whatever a message holds: control characters shown, newlines kept in attributes", () => {
    const nasty = `Colour \u001b[31mred\u001b[0m, bell \u0007, NUL \u0000, ]]> & <tag attr='x'>\ttab\nline two\r\nline three \ud800 \ufffe.`;
    const checks = [{ id: "step1.nasty", title: "t", status: "fail" as const, message: nasty, hint: nasty }];
    const xml = formatJunit({ ...report, steps: [{ step: 1, slug: "sns-topic", status: "fail", durationMs: 1, checks }] });
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(xml).not.toContain("]]>");
    const failure = parseJunit(xml).testsuites[0]?.testcases[0]?.failure;
    const shown = `Colour \\u001b[31mred\\u001b[0m, bell \\u0007, NUL \\u0000, ]]> & <tag attr='x'>\ttab\nline two\r\nline three \\ud800 \\ufffe.`;
    expect(failure?.message).toBe(shown);
    expect(failure?.text).toBe(`${shown}\nHint: ${shown}`);
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
