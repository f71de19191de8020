import { db } from "./db/client";
import type { CurrentUser } from "./auth/session";
import { ForbiddenError } from "./errors";

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

/** The groups an admin can filter the log by: the prefix every action of the group starts with. */
export const AUDIT_KINDS = {
  user: { prefix: "user.", label: "Accounts and roles" },
  cohort: { prefix: "cohort.", label: "Cohorts (instructors and joining learners)" },
  webhook: { prefix: "webhook.", label: "Webhooks" },
  "api-token": { prefix: "api-token.", label: "API tokens" },
} as const;
export type AuditKind = keyof typeof AUDIT_KINDS;

export const isAuditKind = (v: unknown): v is AuditKind => typeof v === "string" && Object.hasOwn(AUDIT_KINDS, v);

export const AUDIT_PAGE_SIZE = 50;

export interface AuditEntryView {
  id: string;
  createdAt: string;
  action: string;
  actor: string | null;
  subject: string | null;
  cohort: { id: string; name: string | null } | null;
  details: Record<string, unknown>;
}

function parseDetails(json: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The audit log, newest first, for admins only: everyone's actions, filtered by kind and cohort. */
export async function listAuditLog(actor: CurrentUser, o: { page?: number; kind?: AuditKind; cohortId?: string } = {}): Promise<{ entries: AuditEntryView[]; total: number; page: number; pages: number }> {
  if (actor.role !== "admin") throw new ForbiddenError();
  const where = {
    ...(o.kind ? { action: { startsWith: AUDIT_KINDS[o.kind].prefix } } : {}),
    ...(o.cohortId ? { cohortId: o.cohortId } : {}),
  };
  const total = await db.auditLog.count({ where });
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.trunc(o.page ?? 1) || 1), pages);
  const rows = await db.auditLog.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * AUDIT_PAGE_SIZE,
    take: AUDIT_PAGE_SIZE,
    include: { actor: { select: { email: true } }, subject: { select: { email: true } } },
  });
  // AuditLog.cohortId has no relation (a deleted cohort keeps its entries): names are looked up.
  const cohortIds = [...new Set(rows.map((r) => r.cohortId).filter((id): id is string => id !== null))];
  const cohorts = cohortIds.length ? await db.cohort.findMany({ where: { id: { in: cohortIds } }, select: { id: true, name: true } }) : [];
  const names = new Map(cohorts.map((c) => [c.id, c.name]));
  return {
    total,
    page,
    pages,
    entries: rows.map((r) => ({
      id: r.id,
      createdAt: r.createdAt.toISOString(),
      action: r.action,
      actor: r.actor?.email ?? null,
      subject: r.subject?.email ?? null,
      cohort: r.cohortId ? { id: r.cohortId, name: names.get(r.cohortId) ?? null } : null,
      details: parseDetails(r.details),
    })),
  };
}
