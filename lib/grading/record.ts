// Stores one attempt and updates the step's progress in ONE transaction, so the history and the
// summary the dashboards read can never disagree (ARCHITECTURE.md "A check, end to end", 5).
import type { StepReport } from "@/checkers/types";
import { db } from "../db/client";
import { planStepEvents } from "../webhooks/enqueue";
import { kickWebhookWorker } from "../webhooks/worker";
import { toAttemptView } from "./outcome";
import type { AttemptSource, AttemptView } from "./types";

export async function recordAttempt(
  o: { userId: string; lab: string; source: AttemptSource; report: StepReport; now: Date },
): Promise<AttemptView> {
  const { userId, lab, report, now } = o;
  const step = report.step;
  const status = report.status;
  const passed = status === "pass";
  // Webhook events (step.passed / step.regressed) are decided from the status before this attempt
  // and written in the same transaction as the attempt: stored together or not at all.
  const deliveries = await planStepEvents({ userId, lab, step, status, now });
  // A batch transaction: every write is known up front, and increments happen in SQL, so a
  // concurrent writer (another instance) can never lose an attempt from the count.
  const [, , attempt] = await db.$transaction([
    db.stepProgress.upsert({
      where: { userId_lab_step: { userId, lab, step } },
      create: { userId, lab, step, status, attempts: 1, firstAttemptAt: now, firstPassedAt: passed ? now : null, lastCheckedAt: now, lastPassedAt: passed ? now : null },
      update: { status, attempts: { increment: 1 }, lastCheckedAt: now, ...(passed ? { lastPassedAt: now } : {}) },
    }),
    // Set only the first time: "time to complete" is firstPassedAt − firstAttemptAt.
    db.stepProgress.updateMany({ where: { userId, lab, step, firstPassedAt: null, status: "pass" }, data: { firstPassedAt: now } }),
    db.attempt.create({
      data: { userId, lab, step, status, results: JSON.stringify(report.checks), durationMs: report.durationMs, source: o.source, createdAt: now },
    }),
    ...(deliveries.length > 0 ? [db.webhookDelivery.createMany({ data: deliveries })] : []),
  ]);
  if (deliveries.length > 0) kickWebhookWorker();
  return toAttemptView(attempt);
}
