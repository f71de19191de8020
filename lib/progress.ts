// A learner's progress as the pages show it, read from StepProgress (never from Attempt scans).
import type { StepProgress } from "@prisma/client";
import { db } from "./db/client";

export type StepState = "not-started" | "pass" | "fail" | "error";

export interface StepProgressView {
  step: number;
  state: StepState;
  attempts: number;
  lastCheckedAt: Date | null;
  /** Passed at some point but the latest check did not pass. */
  regressed: boolean;
}

export function toView(step: number, row: StepProgress | undefined): StepProgressView {
  if (!row) return { step, state: "not-started", attempts: 0, lastCheckedAt: null, regressed: false };
  const state: StepState = row.status === "pass" ? "pass" : row.status === "error" ? "error" : "fail";
  return { step, state, attempts: row.attempts, lastCheckedAt: row.lastCheckedAt, regressed: state !== "pass" && row.firstPassedAt !== null };
}

export async function getLabProgress(userId: string, lab: string, stepCount: number): Promise<StepProgressView[]> {
  const rows = await db.stepProgress.findMany({ where: { userId, lab } });
  const byStep = new Map(rows.map((r) => [r.step, r]));
  return Array.from({ length: stepCount }, (_, i) => toView(i + 1, byStep.get(i + 1)));
}

export const STATE_LABELS: Record<StepState, string> = {
  "not-started": "Not started",
  pass: "Passed",
  fail: "Not passing yet",
  error: "Could not check",
};
