import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/session";
import { listMemberships } from "@/lib/cohorts";
import { JoinByCodeForm, LeaveButton } from "./join-form";

export const metadata: Metadata = { title: "Join a cohort" };

export default async function JoinPage() {
  const user = await requireUser("/join");
  const memberships = await listMemberships(user.id);
  return (
    <div className="dashboard">
      <h1>Join a cohort</h1>
      <p className="lede">Your instructor gives you a join code or a link. Joining lets them see your progress in the lab and your check results.</p>
      <JoinByCodeForm />
      <section aria-labelledby="memberships-heading">
        <h2 id="memberships-heading">Your cohorts</h2>
        {memberships.length === 0 ? (
          <p>You are not in any cohort yet.</p>
        ) : (
          <table className="data-table" data-testid="memberships">
            <caption className="sr-only">Cohorts you belong to</caption>
            <thead>
              <tr>
                <th scope="col">Cohort</th>
                <th scope="col">Joined (UTC)</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {memberships.map((m) => (
                <tr key={m.cohortId}>
                  <th scope="row">{m.name}</th>
                  <td>
                    <time dateTime={m.joinedAt}>{m.joinedAt.slice(0, 16).replace("T", " ")}</time>
                  </td>
                  <td>
                    <LeaveButton cohortId={m.cohortId} name={m.name} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
