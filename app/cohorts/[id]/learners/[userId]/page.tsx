// One learner of a cohort, step by step: where they stand, then every check they ran, newest
// first, each opening to the results exactly as the learner saw them (the learner's own
// components, so the two views cannot drift apart).
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/session";
import { getLearnerDrillDown } from "@/lib/cohorts";
import { AttemptHistory } from "@/app/labs/[lab]/steps/[step]/attempt-history";
import { CELL_TEXT, cellKind, exactTime } from "../../format";
import { cohortTitle, ID_PATTERN, isRefusal, loadCohort } from "../../load";

const newestFirst = <T extends { createdAt: string }>(list: T[]) => [...list].sort((a, b) => b.createdAt.localeCompare(a.createdAt));

type Props = { params: Promise<{ id: string; userId: string }> };

const SOURCE_TEXT = { web: "the web page", cli: "lab-check", api: "the API", recheck: "a re-check" } as const;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: `Learner · ${await cohortTitle(await getCurrentUser(), id, "Cohort")}` };
}

export default async function LearnerDrillDownPage({ params }: Props) {
  const { id, userId } = await params;
  const { viewer, cohort } = await loadCohort(id, `/cohorts/${id}/learners/${userId}`);
  if (!ID_PATTERN.test(userId)) notFound();
  let drill;
  try {
    drill = await getLearnerDrillDown(viewer, cohort.id, userId);
  } catch (err) {
    if (isRefusal(err)) notFound();
    throw err;
  }
  const { learner, steps } = drill;
  return (
    <div className="dashboard">
      <p className="step-meta">
        <Link href="/cohorts">Cohorts</Link> · <Link href={`/cohorts/${encodeURIComponent(cohort.id)}`}>{drill.cohort.name}</Link>
      </p>
      <h1>{learner.name}</h1>
      <p className="lede">
        {learner.email} · joined <time dateTime={learner.joinedAt}>{exactTime(learner.joinedAt)}</time>
      </p>
      <nav aria-label="Steps of this learner" className="toc">
        <ol>
          {steps.map((s) => (
            <li key={s.step}>
              <a href={`#step-${s.step}`}>
                Step {s.step}: {s.title}
              </a>{" "}
              — {CELL_TEXT[cellKind(s.progress)].label}
            </li>
          ))}
        </ol>
      </nav>
      {steps.map((s) => {
        const kind = cellKind(s.progress);
        return (
          <section key={s.step} aria-labelledby={`step-${s.step}`} className="drill-step" data-testid={`drill-step-${s.step}`}>
            <h2 id={`step-${s.step}`}>
              Step {s.step}: {s.title}
            </h2>
            <p>
              <span className={`matrix-cell-badge cell-${kind}`} data-state={kind}>
                <span aria-hidden="true" className="cell-icon">
                  {CELL_TEXT[kind].icon}
                </span>{" "}
                {CELL_TEXT[kind].label}
              </span>{" "}
              {s.progress.attempts === 0
                ? "No checks yet."
                : `${s.progress.attempts} ${s.progress.attempts === 1 ? "check" : "checks"}${s.progress.lastCheckedAt ? `, the last on ${exactTime(s.progress.lastCheckedAt)}` : ""}${s.progress.firstPassedAt ? `; first passed on ${exactTime(s.progress.firstPassedAt)}` : ""}.`}
            </p>
            <AttemptHistory attempts={newestFirst(s.attempts)} heading={`Checks of step ${s.step}`} headingId={`history-${s.step}`} headingLevel="h3" sourceText={SOURCE_TEXT} />
          </section>
        );
      })}
    </div>
  );
}
