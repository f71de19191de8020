// The checker contracts of ARCHITECTURE.md ("Contracts"). The grading service, the CLI and the
// API all speak these shapes, so they change only together with that page.
import type { CheckContext } from "./context";

export type Status = "pass" | "fail" | "error" | "skip";

export interface CheckResult {
  /** Stable across runs, e.g. "step3.shipping-filter-accepts-1000". */
  id: string;
  title: string;
  status: Status;
  /** A full sentence naming the resource, ending with a period. */
  message: string;
  /** What to do next, for fail and error. */
  hint?: string;
  expected?: unknown;
  found?: unknown;
  /** A link into the module text ("/module#...") or the AWS docs. */
  docs?: string;
}

export interface StepChecker {
  step: number;
  slug: string;
  /** The IAM actions it calls: the grader role's policy is generated from these. */
  actions: string[];
  run(ctx: CheckContext): Promise<CheckResult[]>;
}

export interface StepReport {
  step: number;
  slug: string;
  status: Status;
  durationMs: number;
  checks: CheckResult[];
}

/** `lab-check --format json`, and the body of API check results. */
export interface LabReport {
  lab: string;
  target: string;
  region: string;
  startedAt: string;
  durationMs: number;
  passed: boolean;
  steps: StepReport[];
}

/** What a check's pure decision returns; run-check adds the id, title and docs. */
export interface Verdict {
  status: Exclude<Status, "error">;
  message: string;
  hint?: string;
  expected?: unknown;
  found?: unknown;
}
