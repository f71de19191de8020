// POST /api/v1/labs/{lab}/steps/{step}/checks: the browser's grading service (lib/grading grade())
// run for the token's user, answered with the LabReport plus the recorded attempt.
import { z } from "zod";
import { grade, type AttemptSource, type GradeError } from "../grading";
import { readJsonBody } from "./body";
import { ApiProblem } from "./problem";
import { json, type ApiCall } from "./route";

/** The CLI's `--remote` sends `X-Lab-Grader-Client: lab-check/<version>`: its runs are recorded as "cli". */
export const CLIENT_HEADER = "x-lab-grader-client";

export function attemptSource(request: Request): AttemptSource {
  return /^lab-check\//i.test(request.headers.get(CLIENT_HEADER) ?? "") ? "cli" : "api";
}

const checkBody = z.object({ probe: z.boolean({ error: "probe must be true or false." }).optional() }).strict();

const GRADE_STATUS: Record<GradeError["code"], number> = {
  "unknown-step": 404,
  "not-connected": 409,
  "check-running": 409,
  "rate-limited": 429,
  "connection-failed": 502,
};

/** A grading service refusal as a problem: its message is the detail, its hint an extension member. */
export function gradeProblem(error: GradeError): ApiProblem {
  const retry = error.code === "rate-limited" ? Math.max(1, error.retryAfter ?? 60) : undefined;
  return new ApiProblem(GRADE_STATUS[error.code], error.code, error.message, {
    extensions: { ...(error.hint ? { hint: error.hint } : {}), ...(retry ? { retryAfter: retry } : {}) },
    ...(retry ? { headers: { "Retry-After": String(retry) } } : {}),
  });
}

const LAB_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function parseStepParams(params: { lab?: unknown; step?: unknown }): { lab: string; step: number } {
  const lab = typeof params.lab === "string" ? params.lab : "";
  const step = typeof params.step === "string" && /^\d{1,3}$/.test(params.step) ? Number(params.step) : NaN;
  if (!LAB_ID.test(lab) || lab.length > 64 || !Number.isInteger(step)) {
    throw gradeProblem({ code: "unknown-step", message: `There is no step "${String(params.step).slice(0, 20)}" in lab "${lab.slice(0, 64)}".` });
  }
  return { lab, step };
}

export async function runStepChecks({ request, params, principal }: ApiCall<{ lab: string; step: string }>): Promise<Response> {
  const { lab, step } = parseStepParams(params);
  const raw = await readJsonBody(request);
  const body = checkBody.parse(raw === undefined ? {} : raw);
  const outcome = await grade({
    userId: principal.user.id,
    lab,
    step,
    source: attemptSource(request),
    // As in the browser: only step 6 has a probe, and only when asked for explicitly.
    probe: step === 6 && body.probe === true,
  });
  if (!outcome.ok) throw gradeProblem(outcome.error);
  const { attempt } = outcome;
  return json({
    ...outcome.report,
    attempt: attempt ? { id: attempt.id, status: attempt.status, createdAt: attempt.createdAt, source: attempt.source } : null,
  });
}
