import { db } from "./db/client";

/** Records who did what to whom. details must never hold a secret (tokens, passwords, keys). */
export async function audit(entry: { actorId: string | null; action: string; subjectId?: string; cohortId?: string; details?: Record<string, unknown> }) {
  await db.auditLog.create({
    data: {
      actorId: entry.actorId,
      action: entry.action,
      subjectId: entry.subjectId ?? null,
      cohortId: entry.cohortId ?? null,
      details: JSON.stringify(entry.details ?? {}),
    },
  });
}
