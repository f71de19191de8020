// The readable report: one line per check with a mark (✓ pass, ✗ fail, ! error, – skip), the
// message, and for fail/error the hint beneath. Colour only for a terminal that has not opted
// out (NO_COLOR, https://no-color.org), or where FORCE_COLOR asks for it (CI logs that render
// ANSI colours, e.g. GitLab's and GitHub's).
import type { CheckResult, LabReport, Status } from "@/checkers/types";

export interface TextStyle {
  color: boolean;
}

const MARK: Record<Status, string> = { pass: "✓", fail: "✗", error: "!", skip: "–" };
const COLOR: Record<Status, string> = { pass: "32", fail: "31", error: "33", skip: "90" };

/**
 * Colour as Node decides for its own output: FORCE_COLOR set (and not 0/false) forces it on, and
 * FORCE_COLOR=0 off; otherwise a terminal, unless NO_COLOR is set non-empty or TERM is dumb.
 */
export function wantsColor(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !["0", "false"].includes(force.toLowerCase());
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== "dumb";
}

function paint(style: TextStyle, code: string, text: string): string {
  return style.color ? `\u001b[${code}m${text}\u001b[0m` : text;
}

function checkLines(c: CheckResult, style: TextStyle): string[] {
  const lines = [`  ${paint(style, COLOR[c.status], MARK[c.status])} ${c.id}  ${c.message}`];
  if ((c.status === "fail" || c.status === "error") && c.hint) lines.push(`      ${paint(style, "1", "hint:")} ${c.hint}`);
  return lines;
}

export function formatText(report: LabReport, style: TextStyle = { color: false }): string {
  const out = [`Lab ${report.lab} on ${report.target} (${report.region})`, ""];
  for (const s of report.steps) {
    out.push(`${paint(style, COLOR[s.status], MARK[s.status])} Step ${s.step} ${s.slug}: ${s.status} (${s.durationMs} ms)`);
    for (const c of s.checks) out.push(...checkLines(c, style));
    out.push("");
  }
  const failing = report.steps.flatMap((s) => s.checks).filter((c) => c.status === "fail" || c.status === "error");
  const passed = report.steps.filter((s) => s.status === "pass").length;
  out.push(
    report.passed
      ? paint(style, COLOR.pass, `All ${report.steps.length} step(s) pass.`)
      : paint(style, COLOR.fail, `${passed} of ${report.steps.length} step(s) pass; not passing: ${failing.map((c) => c.id).join(", ")}.`),
  );
  return out.join("\n") + "\n";
}
