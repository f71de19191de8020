import type { Metadata } from "next";
import Link from "next/link";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { publicUserSelect } from "@/lib/users";
import { ResetLinkButton, RoleForm } from "./user-actions";

export const metadata: Metadata = { title: "Admin" };

const PAGE_SIZE = 50;
type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AdminPage({ searchParams }: Props) {
  const admin = await requireRole("admin", "/admin");
  const params = await searchParams;
  const q = typeof params.q === "string" ? params.q.trim().slice(0, 100) : "";
  const page = Math.max(1, Math.min(10_000, Number.parseInt(typeof params.page === "string" ? params.page : "1", 10) || 1));
  const where = q ? { OR: [{ email: { contains: q.toLowerCase() } }, { name: { contains: q } }] } : {};
  const [users, total, audits] = await Promise.all([
    db.user.findMany({ where, select: publicUserSelect, orderBy: { createdAt: "asc" }, skip: (page - 1) * PAGE_SIZE, take: PAGE_SIZE }),
    db.user.count({ where }),
    db.auditLog.findMany({ orderBy: { createdAt: "desc" }, take: 20, include: { actor: { select: { email: true } }, subject: { select: { email: true } } } }),
  ]);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  return (
    <>
      <h1>Admin</h1>
      <h2>Users</h2>
      <form method="get" className="inline-form" role="search">
        <label htmlFor="user-search">Find a user</label>
        <input id="user-search" name="q" defaultValue={q} placeholder="Email or name" />
        <button type="submit" className="button button-small">
          Search
        </button>
      </form>
      <p className="form-help">
        {total} {total === 1 ? "user" : "users"}
        {pages > 1 ? ` · page ${page} of ${pages}` : ""}
      </p>
      <div className="table-wrap">
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Password reset</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>{u.role === "admin" || u.id === admin.id ? u.role : <RoleForm userId={u.id} role={u.role} label={`Role of ${u.email}`} />}</td>
                <td>{u.id === admin.id ? "—" : <ResetLinkButton userId={u.id} email={u.email} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav aria-label="User pages" className="step-nav">
        {page > 1 ? <a href={`/admin?q=${encodeURIComponent(q)}&page=${page - 1}`}>← Previous</a> : <span />}
        {page < pages ? <a href={`/admin?q=${encodeURIComponent(q)}&page=${page + 1}`}>Next →</a> : <span />}
      </nav>
      <h2>Recent audit log</h2>
      <p>
        <Link href="/admin/audit">The whole audit log</Link>, with filters by kind and cohort.
      </p>
      {audits.length === 0 ? (
        <p>Nothing recorded yet.</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Whom</th>
            </tr>
          </thead>
          <tbody>
            {audits.map((a) => (
              <tr key={a.id}>
                <td>{a.createdAt.toISOString().slice(0, 19).replace("T", " ")}</td>
                <td>{a.actor?.email ?? "—"}</td>
                <td>{a.action}</td>
                <td>{a.subject?.email ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
