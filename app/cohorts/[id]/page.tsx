import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/session";
import { getCohortProgress, parseMatrixQuery } from "@/lib/cohorts";
import { siteOrigin } from "../site-origin";
import { queryParams } from "./format";
import { JoinLink } from "./join-link";
import { LiveDashboard } from "./live-dashboard";
import { cohortTitle, isRefusal, loadCohort } from "./load";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: await cohortTitle(await getCurrentUser(), id, "Cohort") };
}

/** The page's search params as the URLSearchParams the progress route also reads. */
function toSearchParams(raw: Record<string, string | string[] | undefined>): URLSearchParams {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(raw)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) out.append(key, v);
  }
  return out;
}

export default async function CohortDashboardPage({ params, searchParams }: Props) {
  const { id } = await params;
  const { viewer, cohort } = await loadCohort(id, `/cohorts/${id}`);
  const query = parseMatrixQuery(toSearchParams(await searchParams));
  let progress;
  try {
    progress = await getCohortProgress(viewer, cohort.id, query);
  } catch (err) {
    if (isRefusal(err)) notFound();
    throw err;
  }
  const search = queryParams(progress.query).toString();
  const base = `/cohorts/${encodeURIComponent(cohort.id)}`;
  const joinLink = `${await siteOrigin()}/join/${encodeURIComponent(cohort.joinCode)}`;

  return (
    <div className="dashboard">
      <p className="step-meta">
        <Link href="/cohorts">Cohorts</Link>
        {viewer.role === "admin" || cohort.owner.id !== viewer.id ? ` · instructor: ${cohort.owner.name}` : null}
      </p>
      <h1>{cohort.name}</h1>
      <ul className="dashboard-links">
        <li>
          <a href={`/api/cohorts/${encodeURIComponent(cohort.id)}/export.csv`} download>
            Download progress as CSV
          </a>
        </li>
        <li>
          <Link href={`${base}/webhooks`}>Webhooks</Link>
        </li>
      </ul>
      <JoinLink cohortId={cohort.id} code={cohort.joinCode} link={joinLink} />
      {/* Keyed by the query: new filters start a fresh poller with the server's fresh data. */}
      <LiveDashboard key={search} initial={progress} search={search} />
    </div>
  );
}
