// How many learners reached (ever passed) each step, as horizontal bars in plain SVG. The chart
// is one image with a title and a sentence for screen readers; the exact numbers sit in a table
// under it for everyone.
import { useId } from "react";
import type { CohortAggregates } from "@/lib/cohorts/types";

const WIDTH = 640;
const LABEL = 190;
const ROW = 34;
const BAR = 22;

export function FunnelChart({ aggregates, steps }: { aggregates: CohortAggregates; steps: { step: number; title: string }[] }) {
  const id = useId();
  const total = aggregates.learners;
  const rows = aggregates.steps.map((s) => ({ ...s, title: steps.find((t) => t.step === s.step)?.title ?? s.title }));
  const height = rows.length * ROW + 8;
  const barSpace = WIDTH - LABEL - 90;
  const summary =
    total === 0
      ? "No learners have joined yet."
      : rows.map((r) => `step ${r.step}: ${r.reached} of ${total}`).join("; ") + ".";
  return (
    <figure className="chart" data-testid="funnel-chart">
      <figcaption>
        <h3 id={`${id}-title`}>Learners who reached each step</h3>
        <p className="form-help">A learner reached a step once they passed it at least once.</p>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} className="chart-svg">
        <desc id={`${id}-desc`}>Learners who reached each step, out of {total}: {summary}</desc>
        {rows.map((r, i) => {
          const y = i * ROW + 4;
          const w = total === 0 ? 0 : Math.max(r.reached > 0 ? 2 : 0, (r.reached / total) * barSpace);
          return (
            <g key={r.step}>
              <text x={0} y={y + BAR / 2 + 5} className="chart-label">
                {`${r.step}. ${r.title.length > 22 ? `${r.title.slice(0, 21)}…` : r.title}`}
              </text>
              <rect x={LABEL} y={y} width={barSpace} height={BAR} className="chart-track" />
              <rect x={LABEL} y={y} width={w} height={BAR} className="chart-bar" />
              <text x={LABEL + barSpace + 8} y={y + BAR / 2 + 5} className="chart-value">
                {total === 0 ? "0" : `${r.reached} (${Math.round((r.reached / total) * 100)}%)`}
              </text>
            </g>
          );
        })}
      </svg>
      <details className="chart-data">
        <summary>The numbers behind this chart</summary>
        <table className="data-table">
          <caption className="sr-only">Learners who reached each step</caption>
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Reached</th>
              <th scope="col">Of learners</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.step}>
                <th scope="row">
                  {r.step}. {r.title}
                </th>
                <td>{r.reached}</td>
                <td>{total}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
