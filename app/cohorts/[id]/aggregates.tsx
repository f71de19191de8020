// The whole cohort at a glance, whatever the matrix below is filtered to: headline counts and
// where each step stands.
import type { CohortAggregates } from "@/lib/cohorts/types";
import { CELL_TEXT, duration } from "./format";

function Card({ label, value, detail, testId }: { label: string; value: number; detail?: string; testId: string }) {
  return (
    <div className="card stat-card" data-testid={testId}>
      <p className="stat-label">{label}</p>
      <p className="stat-value">{value}</p>
      {detail ? <p className="form-help">{detail}</p> : null}
    </div>
  );
}

const percent = (n: number, of: number) => (of === 0 ? "" : `${Math.round((n / of) * 100)}% of learners`);

export function AggregateCards({ aggregates }: { aggregates: CohortAggregates }) {
  const stuck = aggregates.steps.reduce((sum, s) => sum + s.failing + s.error, 0);
  return (
    <div className="stat-grid">
      <Card label="Learners" value={aggregates.learners} testId="stat-learners" />
      <Card label="Completed the lab" value={aggregates.completed} detail={percent(aggregates.completed, aggregates.learners)} testId="stat-completed" />
      <Card label="Checked in the last 7 days" value={aggregates.activeLastWeek} detail={percent(aggregates.activeLastWeek, aggregates.learners)} testId="stat-active" />
      <Card label="Steps failing right now" value={stuck} detail="Failing or could not be checked, over all learners and steps." testId="stat-failing" />
    </div>
  );
}

export function StepTable({ aggregates, steps }: { aggregates: CohortAggregates; steps: { step: number; title: string }[] }) {
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="step-aggregates">
        <caption className="sr-only">Where each step stands over the whole cohort</caption>
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">{CELL_TEXT.pass.label}</th>
            <th scope="col">{CELL_TEXT.fail.label}</th>
            <th scope="col">{CELL_TEXT.error.label}</th>
            <th scope="col">{CELL_TEXT["not-started"].label}</th>
            <th scope="col">{CELL_TEXT.regressed.label}</th>
            <th scope="col">Median time to complete</th>
          </tr>
        </thead>
        <tbody>
          {aggregates.steps.map((s) => (
            <tr key={s.step}>
              <th scope="row">
                {s.step}. {steps.find((t) => t.step === s.step)?.title ?? s.title}
              </th>
              <td>{s.passed}</td>
              <td>{s.failing}</td>
              <td>{s.error}</td>
              <td>{s.notStarted}</td>
              <td>{s.regressed}</td>
              <td>{duration(s.timeToComplete.medianSeconds)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
