import type { Metadata } from "next";
import Link from "next/link";
import { requireRole } from "@/lib/auth/session";
import { listCohorts } from "@/lib/cohorts";
import { CreateCohortForm } from "./create-cohort-form";

export const metadata: Metadata = { title: "Cohorts" };

export default async function CohortsPage() {
  const user = await requireRole("instructor", "/cohorts");
  const cohorts = await listCohorts(user);
  const isAdmin = user.role === "admin";
  return (
    <div className="dashboard">
      <h1>Cohorts</h1>
      <p className="lede">
        {isAdmin ? "Every cohort on this site, with its instructor." : "Your cohorts."} Open one to see who is stuck where, live.
      </p>
      <section aria-labelledby="cohort-list-heading">
        <h2 id="cohort-list-heading">{isAdmin ? "All cohorts" : "Your cohorts"}</h2>
        {cohorts.length === 0 ? (
          <p>No cohorts yet. Create one below and share its join link with your learners.</p>
        ) : (
          <div className="table-wrap">
            <table className="data-table" data-testid="cohort-list">
              <caption className="sr-only">{isAdmin ? "All cohorts" : "Your cohorts"}, with how many learners joined and completed the lab</caption>
              <thead>
                <tr>
                  <th scope="col">Cohort</th>
                  {isAdmin ? <th scope="col">Instructor</th> : null}
                  <th scope="col">Learners</th>
                  <th scope="col">Completed the lab</th>
                  <th scope="col">Created (UTC)</th>
                </tr>
              </thead>
              <tbody>
                {cohorts.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">
                      <Link href={`/cohorts/${encodeURIComponent(c.id)}`}>{c.name}</Link>
                    </th>
                    {isAdmin ? (
                      <td>
                        {c.owner.name} <span className="form-help">({c.owner.email})</span>
                      </td>
                    ) : null}
                    <td>{c.learners}</td>
                    <td>{c.completed}</td>
                    <td>
                      <time dateTime={c.createdAt}>{c.createdAt.slice(0, 10)}</time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="create-cohort-heading">
        <h2 id="create-cohort-heading">Create a cohort</h2>
        <CreateCohortForm />
      </section>
    </div>
  );
}
