// The grading service (ARCHITECTURE.md "A check, end to end"): the learner's connection, the
// per-user-and-step lock, a rate-limit token, the step's checker, then one transaction that
// stores the Attempt and updates StepProgress. Every way it can stop early is a GradeError the
// page, the CLI's --remote and the API can show as it is.
import { connect, type ConnectOptions } from "@/checkers/context";
import { ConnectionError } from "@/checkers/credentials";
import { checkerFor } from "@/checkers/registry";
import { runSteps } from "@/checkers/runner";
import { acquireCheckLock } from "../check-lock";
import { getLab, isKnownLab } from "../content/lab";
import { env } from "../env";
import { takeRateLimitToken } from "../rate-limit";
import { rateLimitMessage, shownStatus, wasAttempted } from "./outcome";
import { recordAttempt } from "./record";
import type { GradeDeps, GradeError, GradeInput, GradeOutcome } from "./types";

const fail = (error: GradeError): GradeOutcome => ({ ok: false, error });

export const rateLimitKey = (userId: string) => `check:${userId}`;

async function connectOrError(options: ConnectOptions, userId: string): Promise<{ connection: Awaited<ReturnType<typeof connect>> } | { error: GradeError }> {
  try {
    return { connection: await connect({ ...options, userId: options.userId ?? userId }) };
  } catch (err) {
    if (err instanceof ConnectionError) return { error: { code: "connection-failed", message: err.message, hint: err.hint } };
    return {
      error: {
        code: "connection-failed",
        message: `Could not reach your account: ${err instanceof Error ? err.message : String(err)}`,
        hint: "Open Connect and press Test connection; if the sandbox or LocalStack is not running, start it.",
      },
    };
  }
}

export async function runGrade(input: GradeInput, deps: GradeDeps): Promise<GradeOutcome> {
  const { userId, lab: labId, step } = input;
  const checker = checkerFor(step);
  const lab = isKnownLab(labId) ? await getLab(labId) : null;
  const frontMatter = lab?.steps.find((s) => s.step === step);
  if (!lab || !checker || !frontMatter) return fail({ code: "unknown-step", message: `There is no step ${step} in lab "${labId}".` });

  const options = await deps.resolveConnection(userId);
  if (!options) {
    return fail({
      code: "not-connected",
      message: "Connect an account first: the checker needs to know where your resources are.",
      hint: "Open the Connect page (/connect), create your sandbox account or connect LocalStack or AWS, then check again.",
    });
  }

  const lock = await acquireCheckLock({ userId, lab: labId, step }, { waitMs: deps.lockWaitMs ?? 0 });
  if (!lock) {
    return fail({ code: "check-running", message: `A check of step ${step} is already running. Its results will appear when it finishes.` });
  }
  try {
    // The token is taken only once the lock is held, so a press told "already running" costs nothing.
    if (!deps.skipRateLimit) {
      const token = await takeRateLimitToken(rateLimitKey(userId), { limit: deps.ratePerMinute ?? env.CHECK_RATE_LIMIT_PER_MINUTE, ...(deps.now ? { now: deps.now() } : {}) });
      if (!token.allowed) return fail({ code: "rate-limited", message: rateLimitMessage(token.retryAfter), retryAfter: token.retryAfter });
    }

    const connected = await connectOrError(options, userId);
    if ("error" in connected) return fail(connected.error);

    const report = await runSteps(
      {
        lab: labId,
        connection: connected.connection,
        probe: input.probe === true,
        labSteps: lab.steps,
        ...(input.signal ? { signal: input.signal } : {}),
        ...(input.onProgress ? { onProgress: (_step: number, m: string) => input.onProgress?.(m) } : {}),
      },
      [{ checker, frontMatter }],
    );
    const stepReport = report.steps[0];
    if (!stepReport || !wasAttempted(stepReport)) {
      // Step 6 without the probe: shown, not recorded (see outcome.ts).
      const steps = report.steps.map((s) => ({ ...s, status: shownStatus(s) }));
      return { ok: true, report: { ...report, passed: false, steps }, attempt: null };
    }
    const attempt = await recordAttempt({ userId, lab: labId, source: input.source, report: stepReport, now: deps.now?.() ?? new Date() });
    return { ok: true, report, attempt };
  } finally {
    await lock.release();
  }
}
