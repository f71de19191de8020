// `--format junit`: for CI systems that show JUnit XML. One <testsuite> per step, one
// <testcase> per check; fail → <failure>, error → <error>, skip → <skipped>, with the message
// as the attribute and the hint (and expected/found) as the body.
import type { CheckResult, LabReport } from "@/checkers/types";

function xml(text: string): string {
  // Characters XML 1.0 cannot carry at all are dropped; the rest are escaped.
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function details(c: CheckResult): string {
  const lines = [c.message];
  if (c.hint) lines.push(`Hint: ${c.hint}`);
  if (c.expected !== undefined) lines.push(`Expected: ${JSON.stringify(c.expected)}`);
  if (c.found !== undefined) lines.push(`Found: ${JSON.stringify(c.found)}`);
  return xml(lines.join("\n"));
}

function testcase(c: CheckResult, classname: string): string {
  const open = `    <testcase classname="${xml(classname)}" name="${xml(c.id)}" time="0">`;
  switch (c.status) {
    case "pass":
      return `    <testcase classname="${xml(classname)}" name="${xml(c.id)}" time="0"/>`;
    case "skip":
      return `${open}\n      <skipped message="${xml(c.message)}"/>\n    </testcase>`;
    case "fail":
      return `${open}\n      <failure message="${xml(c.message)}" type="fail">${details(c)}</failure>\n    </testcase>`;
    case "error":
      return `${open}\n      <error message="${xml(c.message)}" type="error">${details(c)}</error>\n    </testcase>`;
  }
}

export function formatJunit(report: LabReport): string {
  const all = report.steps.flatMap((s) => s.checks);
  const count = (checks: readonly CheckResult[], status: CheckResult["status"]) => checks.filter((c) => c.status === status).length;
  const out = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="${xml(report.lab)}" tests="${all.length}" failures="${count(all, "fail")}" errors="${count(all, "error")}" skipped="${count(all, "skip")}" time="${seconds(report.durationMs)}">`,
  ];
  for (const s of report.steps) {
    const name = `${report.lab}.step${s.step}-${s.slug}`;
    out.push(
      `  <testsuite name="${xml(name)}" tests="${s.checks.length}" failures="${count(s.checks, "fail")}" errors="${count(s.checks, "error")}" skipped="${count(s.checks, "skip")}" time="${seconds(s.durationMs)}" timestamp="${xml(report.startedAt.replace(/Z$/, ""))}">`,
    );
    out.push(`    <properties><property name="target" value="${xml(report.target)}"/><property name="region" value="${xml(report.region)}"/></properties>`);
    for (const c of s.checks) out.push(testcase(c, name));
    out.push(`  </testsuite>`);
  }
  out.push(`</testsuites>`);
  return out.join("\n") + "\n";
}
