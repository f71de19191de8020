// Runs the selected steps and builds the LabReport of ARCHITECTURE.md. Steps are independent
// (each fetches what it judges), so they run concurrently by default, and checks inside a step
// run concurrently as each checker arranges; the report keeps step order either way.
import type { StepFrontMatter } from "@/lib/content/step-schema";
import { contextFor, type Connection } from "./context";
import { resultForError } from "./run-check";
import type { CheckResult, LabReport, Status, StepChecker, StepReport } from "./types";

export interface RunContext {
  lab: string;
  connection: Connection;
  /** Step 6 probes only when this is true (the learner confirmed). */
  probe?: boolean;
  signal?: AbortSignal;
  onProgress?: (step: number, message: string) => void;
  /** Called as each step finishes, so a page can show results as they come. */
  onStep?: (report: StepReport) => void;
  /** One step after another (the benchmark counts each step's calls this way). Default: concurrently. */
  sequential?: boolean;
  /** The whole lab's front matter, when running only some steps (step 6 reads step 5's names). */
  labSteps?: readonly StepFrontMatter[];
  now?: () => number;
}

export interface StepToRun {
  checker: StepChecker;
  frontMatter: StepFrontMatter;
}

/** pass when every check passes or skips; error when any errs and none fails; else fail. */
export function stepStatus(checks: readonly CheckResult[]): Status {
  if (checks.some((c) => c.status === "fail")) return "fail";
  if (checks.some((c) => c.status === "error")) return "error";
  return "pass";
}

async function runStep(ctx: RunContext, s: StepToRun, all: readonly StepFrontMatter[]): Promise<StepReport> {
  const now = ctx.now ?? Date.now;
  const t0 = now();
  let checks: CheckResult[];
  try {
    const onProgress = ctx.onProgress;
    checks = await s.checker.run(
      contextFor(ctx.connection, s.frontMatter, {
        labSteps: all,
        ...(ctx.probe ? { probe: true } : {}),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        ...(onProgress ? { onProgress: (m: string) => onProgress(s.checker.step, m) } : {}),
      }),
    );
  } catch (err) {
    // Checkers never throw; this keeps a bug in one from taking the report down.
    checks = [resultForError({ id: `step${s.checker.step}.checker`, title: "The checker ran", resource: `step ${s.checker.step} checker` }, err)];
  }
  const report: StepReport = { step: s.checker.step, slug: s.checker.slug, status: stepStatus(checks), durationMs: Math.round(now() - t0), checks };
  ctx.onStep?.(report);
  return report;
}

export async function runSteps(ctx: RunContext, steps: readonly StepToRun[]): Promise<LabReport> {
  const now = ctx.now ?? Date.now;
  const t0 = now();
  const startedAt = new Date(t0).toISOString();
  const all = ctx.labSteps ?? steps.map((s) => s.frontMatter);
  let reports: StepReport[];
  if (ctx.sequential) {
    reports = [];
    for (const s of steps) reports.push(await runStep(ctx, s, all));
  } else {
    reports = await Promise.all(steps.map((s) => runStep(ctx, s, all)));
  }
  return {
    lab: ctx.lab,
    target: ctx.connection.target,
    region: ctx.connection.region,
    startedAt,
    durationMs: Math.round(now() - t0),
    passed: reports.length > 0 && reports.every((r) => r.status === "pass"),
    steps: reports,
  };
}
