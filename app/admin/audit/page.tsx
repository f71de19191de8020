import type { Metadata } from "next";
import Link from "next/link";
import { AUDIT_KINDS, isAuditKind, listAuditLog, type AuditEntryView, type AuditKind } from "@/lib/audit";
import { requireRole } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Audit log" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

function href(o: { kind?: AuditKind; cohortId?: string; page?: number }): string {
  const p = new URLSearchParams();
  if (o.kind) p.set("kind", o.kind);
  if (o.cohortId) p.set("cohort", o.cohortId);
  if (o.page && o.page > 1) p.set("page", String(o.page));
  const qs = p.toString();
  return qs ? `/admin/audit?${qs}` : "/admin/audit";
}

/** The details as short "key: value" pairs; they never hold secrets (lib/audit.ts). */
function Details({ details }: { details: AuditEntryView["details"] }) {
  const entries = Object.entries(details);
  if (entries.length === 0) return <>—</>;
  return (
    <ul className="plain-list">
      {entries.map(([k, v]) => (
        <li key={k}>
          {k}: <code>{typeof v === "string" ? v : JSON.stringify(v)}</code>
        </li>
      ))}
    </ul>
  );
}

export default async function AuditLogPage({ searchParams }: Props) {
  const admin = await requireRole("admin", "/admin/audit");
  const params = await searchParams;
  const kindParam = one(params.kind);
  const kind = isAuditKind(kindParam) ? kindParam : undefined;
  const cohortParam = one(params.cohort);
  const cohortId = cohortParam && /^[A-Za-z0-9_-]{1,64}$/.test(cohortParam) ? cohortParam : undefined;
  const requested = Number.parseInt(one(params.page) ?? "1", 10);
  const log = await listAuditLog(admin, { page: Number.isFinite(requested) ? requested : 1, ...(kind ? { kind } : {}), ...(cohortId ? { cohortId } : {}) });
  return (
    <>
      <p>
        <Link href="/admin">Admin</Link> · Audit log
      </p>
      <h1>Audit log</h1>
      <p className="lede">Who did what, to whom and in which cohort: account and role changes, instructors&apos; cohort actions, webhooks and API tokens. Secrets are never recorded.</p>
      <form method="get" className="inline-form" role="search" aria-label="Filter the audit log">
        <label htmlFor="audit-kind">Show</label>
        <select id="audit-kind" name="kind" defaultValue={kind ?? ""}>
          <option value="">Everything</option>
          {Object.entries(AUDIT_KINDS).map(([k, v]) => (
            <option key={k} value={k}>
              {v.label}
            </option>
          ))}
        </select>
        {cohortId ? <input type="hidden" name="cohort" value={cohortId} /> : null}
        <button type="submit" className="button button-small">
          Filter
        </button>
        {cohortId ? <Link href={href(kind ? { kind } : {})}>Show every cohort</Link> : null}
      </form>
      <p className="form-help" data-testid="audit-count">
        {log.total} {log.total === 1 ? "entry" : "entries"}
        {log.pages > 1 ? ` · page ${log.page} of ${log.pages}` : ""}
      </p>
      {log.entries.length === 0 ? (
        <p>Nothing recorded{kind || cohortId ? " that matches" : " yet"}.</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table">
            <caption>Audit log entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Whom</th>
                <th scope="col">Cohort</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {log.entries.map((e) => (
                <tr key={e.id}>
                  <td>
                    <time dateTime={e.createdAt}>{e.createdAt.slice(0, 19).replace("T", " ")}</time>
                  </td>
                  <td>{e.actor ?? "—"}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{e.subject ?? "—"}</td>
                  <td>{e.cohort ? <Link href={href({ ...(kind ? { kind } : {}), cohortId: e.cohort.id })}>{e.cohort.name ?? `${e.cohort.id} (deleted)`}</Link> : "—"}</td>
                  <td>
                    <Details details={e.details} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Audit log pages" className="step-nav">
        {log.page > 1 ? <Link href={href({ ...(kind ? { kind } : {}), ...(cohortId ? { cohortId } : {}), page: log.page - 1 })}>← Newer</Link> : <span />}
        {log.page < log.pages ? <Link href={href({ ...(kind ? { kind } : {}), ...(cohortId ? { cohortId } : {}), page: log.page + 1 })}>Older →</Link> : <span />}
      </nav>
    </>
  );
}
