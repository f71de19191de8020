// `lab-check --remote URL`: asks the platform to run each selected step's checks with the
// learner's saved connection (POST /api/v1/labs/{lab}/steps/{step}/checks, one step at a time,
// in order) and merges the answers into one LabReport for the usual formatters. Nothing computed
// on this machine is ever sent: the request carries only the step and whether to probe.
//
// The token goes only to the URL given: redirects are refused rather than followed (a
// redirected request would carry the Authorization header to wherever it points), and no text
// this module produces contains it.
import type { LabReport, StepReport } from "@/checkers/types";
import { Fatal } from "./fatal";
import { PROBE_STEP } from "./args";
import { labReportSchema, statusSchema } from "./lab-report-schema";
import { CLIENT_HEADER_VALUE } from "./version";
import { z } from "zod";

/** Steps 1–5 answer within seconds; the probe waits up to 60 s on the platform, plus the network. */
export const REMOTE_STEP_TIMEOUT_MS = 90_000;

export interface RemoteRun {
  /** The platform's base URL (no trailing slash). */
  url: string;
  token: string;
  lab: string;
  steps: readonly number[];
  probe: boolean;
  timeoutMs?: number;
  /** Before each request: the step being checked on the platform. */
  onStepStart?: (step: number) => void;
  onStep?: (report: StepReport) => void;
}

/** How the platform recorded one step's check (null when it recorded nothing, e.g. step 6 without the probe). */
const attemptSchema = z.object({ id: z.string().min(1), status: statusSchema, createdAt: z.string(), source: z.string() });
export type RecordedAttempt = z.infer<typeof attemptSchema>;

// The API's answer is a LabReport plus `attempt`; unknown top-level members are dropped (not
// refused), so a newer platform adding one does not break an older lab-check.
const checkAnswerSchema = z.object({ ...labReportSchema.shape, attempt: attemptSchema.nullable().optional() });

const problemSchema = z.object({
  title: z.string().optional(),
  detail: z.string().optional(),
  hint: z.string().optional(),
  retryAfter: z.number().optional(),
});

export interface RemoteResult {
  report: LabReport;
  attempts: RecordedAttempt[];
}

/** One line of at most `max` characters: a server's text is shown, never trusted to be tidy. */
function oneLine(text: string, max = 300): string {
  const flat = text
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function sentence(text: string): string {
  const t = oneLine(text);
  return t === "" || /[.!?]$/.test(t) ? t : `${t}.`;
}

export function checksUrl(base: string, lab: string, step: number): URL {
  // Relative to the base with a trailing slash, so a platform served under a path prefix works.
  return new URL(`api/v1/labs/${encodeURIComponent(lab)}/steps/${step}/checks`, `${base}/`);
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), else the problem's retryAfter. */
function retryAfterSeconds(header: string | null, fromBody: number | undefined, now = Date.now()): number | undefined {
  if (header !== null) {
    if (/^\d+$/.test(header.trim())) return Number(header.trim());
    const at = Date.parse(header);
    if (!Number.isNaN(at)) return Math.max(0, Math.ceil((at - now) / 1000));
  }
  return fromBody !== undefined && Number.isFinite(fromBody) ? Math.max(0, Math.ceil(fromBody)) : undefined;
}

function unreachable(err: unknown, origin: string, step: number, timeoutMs: number): Fatal {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string; name?: string } };
  if (e.name === "TimeoutError" || e.cause?.name === "TimeoutError") {
    return new Fatal(`${origin} did not finish checking step ${step} within ${Math.round(timeoutMs / 1000)} s.`, "The platform may be busy: try again in a minute, or press Check on the step's page.");
  }
  const code = e.cause?.code;
  const reason =
    code === "ECONNREFUSED"
      ? "the connection was refused"
      : code === "ENOTFOUND" || code === "EAI_AGAIN"
        ? "no such host"
        : code === "ECONNRESET" || code === "UND_ERR_SOCKET"
          ? "the connection was closed"
          : e.cause?.message === "bad port"
            ? `port ${new URL(origin).port} is one that fetch refuses to use (the Fetch standard's blocked ports); serve the platform on another port`
            : oneLine(e.cause?.message ?? e.message ?? String(err));
  return new Fatal(`Could not reach ${origin}: ${reason}${code && !reason.includes(code) ? ` (${code})` : ""}.`, "Check the --remote URL and that the platform is running.");
}

function refused(response: Response, body: string, origin: string, step: number): Fatal {
  let problem: z.infer<typeof problemSchema> = {};
  try {
    const parsed = problemSchema.safeParse(JSON.parse(body));
    if (parsed.success) problem = parsed.data;
  } catch {
    // Not JSON: an HTML error page, a proxy's text; only the status is worth showing.
  }
  const isProblem = problem.detail !== undefined || problem.title !== undefined;
  if (!isProblem) {
    return new Fatal(
      `${origin} answered step ${step} with HTTP ${response.status}${response.statusText ? ` ${oneLine(response.statusText, 60)}` : ""}, not a lab report.`,
      response.status >= 500
        ? "The platform had a problem: try again later, and tell its operator if it persists."
        : "Check the --remote URL: it is the platform's address, such as https://grader.example.com.",
    );
  }
  // One line: what went wrong (detail, else title), what to do (hint), and when to try again.
  const parts = [sentence(problem.detail ?? problem.title ?? "")];
  if (problem.hint) parts.push(sentence(problem.hint));
  const retry = response.status === 429 ? retryAfterSeconds(response.headers.get("retry-after"), problem.retryAfter) : undefined;
  if (retry !== undefined) parts.push(`Try again in ${retry} second${retry === 1 ? "" : "s"}.`);
  return new Fatal(`${origin} refused to check step ${step} (HTTP ${response.status}): ${parts.filter(Boolean).join(" ")}`);
}

function redirected(response: Response, target: URL, origin: string, step: number): Fatal {
  const location = response.headers.get("location");
  let where = "another address";
  let hint = "Use the platform's final address with --remote.";
  if (location) {
    try {
      const to = new URL(location, target);
      where = to.origin + to.pathname;
      const suffix = target.pathname.replace(/^.*?(\/api\/v1\/.*)$/, "$1");
      if (to.pathname.endsWith(suffix)) hint = `If that is the platform's new address, run again with --remote ${to.origin}${to.pathname.slice(0, -suffix.length)}.`;
    } catch {
      // An unparsable Location: say only that it redirected.
    }
  }
  return new Fatal(
    `${origin} redirected the check of step ${step} to ${oneLine(where, 200)}; lab-check does not follow redirects, so your token is sent only to the URL you gave.`,
    hint,
  );
}

function notAReport(origin: string, step: number, why: string): Fatal {
  return new Fatal(
    `${origin} answered step ${step} with something that is not a lab report (${oneLine(why, 200)}).`,
    "Check that --remote is the platform's address, and that this lab-check is as recent as the platform.",
  );
}

interface StepAnswer {
  report: LabReport;
  attempt: RecordedAttempt | null;
}

async function checkStep(run: RemoteRun, step: number): Promise<StepAnswer> {
  const target = checksUrl(run.url, run.lab, step);
  const origin = new URL(run.url).origin;
  const timeoutMs = run.timeoutMs ?? REMOTE_STEP_TIMEOUT_MS;
  let response: Response;
  let body: string;
  try {
    response = await fetch(target, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        authorization: `Bearer ${run.token}`,
        "x-lab-grader-client": CLIENT_HEADER_VALUE,
        "content-type": "application/json",
        accept: "application/json, application/problem+json",
      },
      body: JSON.stringify(step === PROBE_STEP && run.probe ? { probe: true } : {}),
    });
    body = await response.text();
  } catch (err) {
    throw unreachable(err, origin, step, timeoutMs);
  }
  if (response.status >= 300 && response.status < 400) throw redirected(response, target, origin, step);
  if (!response.ok) throw refused(response, body, origin, step);

  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw notAReport(origin, step, `${response.headers.get("content-type") ?? "no content type"}, not JSON`);
  }
  const parsed = checkAnswerSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw notAReport(origin, step, issue ? `${issue.path.join(".") || "the body"}: ${issue.message}` : "it does not match the LabReport");
  }
  const { attempt, ...report } = parsed.data;
  if (report.lab !== run.lab || report.steps.length !== 1 || report.steps[0]?.step !== step) {
    throw notAReport(origin, step, `it reports ${report.lab} step(s) ${report.steps.map((s) => s.step).join(", ") || "none"}`);
  }
  return { report, attempt: attempt ?? null };
}

/** Merged as runSteps reports a local run: passed only when every step's report passed. */
function merge(answers: readonly StepAnswer[]): LabReport {
  const first = answers[0]?.report;
  if (!first) throw new Fatal("No steps were selected.");
  return {
    lab: first.lab,
    target: first.target,
    region: first.region,
    startedAt: first.startedAt,
    durationMs: answers.reduce((sum, a) => sum + a.report.durationMs, 0),
    passed: answers.every((a) => a.report.passed),
    steps: answers.flatMap((a) => a.report.steps),
  };
}

/**
 * Checks the steps on the platform, one request per step in order (the platform holds one lock
 * per learner and step, and counts each check against the learner's rate limit). The first
 * refusal or network failure ends the run with a Fatal.
 */
export async function runRemote(run: RemoteRun): Promise<RemoteResult> {
  const answers: StepAnswer[] = [];
  for (const step of run.steps) {
    run.onStepStart?.(step);
    const answer = await checkStep(run, step);
    for (const s of answer.report.steps) run.onStep?.(s);
    answers.push(answer);
  }
  return { report: merge(answers), attempts: answers.flatMap((a) => (a.attempt ? [a.attempt] : [])) };
}

/** The text format's closing line: where the checks were recorded. */
export function recordedNote(result: RemoteResult, url: string): string {
  const n = result.attempts.length;
  return n === 0
    ? `Checked on ${url}; nothing was recorded.\n`
    : `Checked on ${url} and recorded in your history there (${n} attempt${n === 1 ? "" : "s"}).\n`;
}
