// `--format junit`: the JUnit XML that Jenkins (junit step) and GitLab (artifacts:reports:junit)
// read. <testsuites> carries the totals; one <testsuite> per step, named "step N: slug"; one
// <testcase> per check, named by its stable id (CI test history is keyed on classname + name)
// with classname "<lab>.stepN-slug" (Jenkins shows it as package and class). fail → <failure>,
// error → <error>, skip → <skipped/>; the message is the attribute, the hint (and
// expected/found) the element's text. Checks are not timed one by one, so a testcase's time is
// 0 and the step's duration is its testsuite's.
import type { CheckResult, LabReport, StepReport } from "@/checkers/types";

/**
 * Characters XML 1.0 cannot carry even as references (C0 controls but tab, LF and CR; the
 * non-characters U+FFFE/U+FFFF; lone surrogates): shown as a visible \uXXXX instead, so an ANSI
 * escape in a message does not make the whole file unreadable for the CI.
 */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function visible(text: string): string {
  return text.replace(NOT_XML, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Element text: & and < must be escaped; > too, so "]]>" can never appear; CR as a reference, which parsers would otherwise fold into LF. */
function xmlText(text: string): string {
  return visible(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#13;");
}

/** Attribute values (always double-quoted): also quotes, and tab/LF as references, which a parser would otherwise turn into spaces. */
function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, "&quot;").replace(/\t/g, "&#9;").replace(/\n/g, "&#10;");
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function details(c: CheckResult): string {
  const lines = [c.message];
  if (c.hint) lines.push(`Hint: ${c.hint}`);
  if (c.expected !== undefined) lines.push(`Expected: ${JSON.stringify(c.expected)}`);
  if (c.found !== undefined) lines.push(`Found: ${JSON.stringify(c.found)}`);
  if (c.docs) lines.push(`Docs: ${c.docs}`);
  return xmlText(lines.join("\n"));
}

function testcase(c: CheckResult, classname: string): string {
  const open = `<testcase classname="${xmlAttr(classname)}" name="${xmlAttr(c.id)}" time="0"`;
  switch (c.status) {
    case "pass":
      return `    ${open}/>`;
    case "skip":
      return `    ${open}>\n      <skipped message="${xmlAttr(c.message)}"/>\n    </testcase>`;
    case "fail":
      return `    ${open}>\n      <failure message="${xmlAttr(c.message)}" type="CheckFailed">${details(c)}</failure>\n    </testcase>`;
    case "error":
      return `    ${open}>\n      <error message="${xmlAttr(c.message)}" type="CheckError">${details(c)}</error>\n    </testcase>`;
  }
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function counts(checks: readonly CheckResult[]): Counts {
  const n = (status: CheckResult["status"]) => checks.filter((c) => c.status === status).length;
  return { tests: checks.length, failures: n("fail"), errors: n("error"), skipped: n("skip") };
}

const countAttrs = (c: Counts) => `tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}"`;

function testsuite(report: LabReport, s: StepReport, id: number): string[] {
  const classname = `${report.lab}.step${s.step}-${s.slug}`;
  // JUnit's timestamp is ISO 8601 without a zone (the schema's xs:dateTime pattern); it is UTC.
  const timestamp = report.startedAt.replace(/(\.\d+)?Z$/, "");
  return [
    `  <testsuite id="${id}" name="${xmlAttr(`step ${s.step}: ${s.slug}`)}" ${countAttrs(counts(s.checks))} time="${seconds(s.durationMs)}" timestamp="${xmlAttr(timestamp)}">`,
    `    <properties>`,
    `      <property name="lab" value="${xmlAttr(report.lab)}"/>`,
    `      <property name="target" value="${xmlAttr(report.target)}"/>`,
    `      <property name="region" value="${xmlAttr(report.region)}"/>`,
    `    </properties>`,
    ...s.checks.map((c) => testcase(c, classname)),
    `  </testsuite>`,
  ];
}

export function formatJunit(report: LabReport): string {
  const all = counts(report.steps.flatMap((s) => s.checks));
  return (
    [
      `<?xml version="1.0" encoding="UTF-8"?>`,
      `<testsuites name="${xmlAttr(`lab-check ${report.lab}`)}" ${countAttrs(all)} time="${seconds(report.durationMs)}">`,
      ...report.steps.flatMap((s, i) => testsuite(report, s, i)),
      `</testsuites>`,
    ].join("\n") + "\n"
  );
}
