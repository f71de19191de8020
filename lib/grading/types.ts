// What the grading service takes and gives back. The LabReport is the checkers' contract
// (ARCHITECTURE.md "Contracts"); the rest is how a press of Check can go wrong before it runs.
import type { ConnectOptions } from "@/checkers/context";
import type { CheckResult, LabReport, Status } from "@/checkers/types";

export const ATTEMPT_SOURCES = ["web", "cli", "api", "recheck"] as const;
export type AttemptSource = (typeof ATTEMPT_SOURCES)[number];

export interface GradeInput {
  userId: string;
  lab: string;
  step: number;
  source: AttemptSource;
  /** Step 6 sends real traffic only when the learner confirmed it. */
  probe?: boolean;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

/** One stored attempt as the learner sees it in the history. */
export interface AttemptView {
  id: string;
  step: number;
  status: Status;
  source: AttemptSource;
  durationMs: number;
  createdAt: string;
  checks: CheckResult[];
}

export type GradeErrorCode = "unknown-step" | "not-connected" | "check-running" | "rate-limited" | "connection-failed";

export interface GradeError {
  code: GradeErrorCode;
  /** A full sentence the learner can act on. */
  message: string;
  hint?: string;
  /** For rate-limited: seconds until another check is allowed (the API's Retry-After). */
  retryAfter?: number;
}

export type GradeOutcome =
  | {
      ok: true;
      report: LabReport;
      /** null when nothing was recorded: step 6 without the probe only explains itself (all skips). */
      attempt: AttemptView | null;
    }
  | { ok: false; error: GradeError };

export interface GradeDeps {
  /** The learner's connection as checker options; null when they have not connected. */
  resolveConnection: (userId: string) => Promise<ConnectOptions | null>;
  /** Checks per learner per minute; env CHECK_RATE_LIMIT_PER_MINUTE by default. */
  ratePerMinute?: number;
  /** How long a second press waits for a running check before being told it runs (default 0). */
  lockWaitMs?: number;
  now?: () => Date;
  /**
   * An instructor's re-check (lib/cohorts/recheck.ts) only: it must not spend the learner's own
   * checks-per-minute budget. Never set it for a check the learner or their token starts.
   */
  skipRateLimit?: boolean;
}
