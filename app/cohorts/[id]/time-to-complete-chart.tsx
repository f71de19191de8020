// How long learners took from their first check of a step to their first pass: one small
// histogram per step (small multiples share one scale so steps compare at a glance), each an
// image with a title and a sentence, and one table with every number.
import { useId } from "react";
import type { StepAggregate } from "@/lib/cohorts/types";
import { duration } from "./format";

const WIDTH = 280;
const HEIGHT = 120;
const AXIS = 30;

/** "5m", "1h", "1d", "1w": the full bucket labels do not fit under a small chart's bars. */
function compact(seconds: number): string {
  if (seconds % 604_800 === 0) return `${seconds / 604_800}w`;
  if (seconds % 86_400 === 0) return `${seconds / 86_400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** Tick labels: "<5m" up to a bound, "1w+" for the open-ended last bucket. */
export function tickLabels(buckets: { upToSeconds: number | null }[]): string[] {
  return buckets.map((b, i) => {
    if (b.upToSeconds !== null) return `<${compact(b.upToSeconds)}`;
    const prev = buckets[i - 1]?.upToSeconds;
    return prev ? `${compact(prev)}+` : "all";
  });
}

function Histogram({ step, title, scale }: { step: StepAggregate; title: string; scale: number }) {
  const id = useId();
  const { histogram, count, medianSeconds, p90Seconds } = step.timeToComplete;
  const slot = WIDTH / Math.max(histogram.length, 1);
  const ticks = tickLabels(histogram);
  const plot = HEIGHT - AXIS;
  const sentence =
    count === 0
      ? "Nobody has passed this step yet."
      : `${count} ${count === 1 ? "learner" : "learners"} passed; median ${duration(medianSeconds)}, 90th percentile ${duration(p90Seconds)}. ` +
        histogram.map((b) => `${b.label}: ${b.count}`).join(", ") +
        ".";
  return (
    <figure className="chart chart-small" data-testid={`time-chart-${step.step}`}>
      <figcaption>
        <h4 id={`${id}-title`}>
          Step {step.step}: {title}
        </h4>
        <p className="form-help">Median {duration(medianSeconds)}</p>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} className="chart-svg">
        <desc id={`${id}-desc`}>Time to complete step {step.step}: {sentence}</desc>
        <line x1={0} x2={WIDTH} y1={plot} y2={plot} className="chart-axis" />
        {histogram.map((b, i) => {
          const h = scale === 0 ? 0 : (b.count / scale) * (plot - 14);
          const x = i * slot + 3;
          return (
            <g key={b.label}>
              <rect x={x} y={plot - h} width={slot - 6} height={h} className="chart-bar" />
              {b.count > 0 ? (
                <text x={x + (slot - 6) / 2} y={plot - h - 3} className="chart-value" textAnchor="middle">
                  {b.count}
                </text>
              ) : null}
              <text x={x + (slot - 6) / 2} y={plot + 14} className="chart-tick" textAnchor="middle" aria-hidden="true">
                {ticks[i]}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

export function TimeToCompleteCharts({ steps, titles }: { steps: StepAggregate[]; titles: { step: number; title: string }[] }) {
  const scale = Math.max(0, ...steps.flatMap((s) => s.timeToComplete.histogram.map((b) => b.count)));
  const labels = steps[0]?.timeToComplete.histogram.map((b) => b.label) ?? [];
  const titleOf = (n: number, fallback: string) => titles.find((t) => t.step === n)?.title ?? fallback;
  return (
    <section aria-labelledby="time-heading" className="chart-section">
      <h3 id="time-heading">Time to complete each step</h3>
      <p className="form-help">
        From a learner&apos;s first check of a step to their first pass. Every chart uses the same scale; under the bars, &ldquo;&lt;15m&rdquo; means under 15 minutes and &ldquo;1w+&rdquo; over a week.
      </p>
      <div className="chart-grid">
        {steps.map((s) => (
          <Histogram key={s.step} step={s} title={titleOf(s.step, s.title)} scale={scale} />
        ))}
      </div>
      <details className="chart-data">
        <summary>The numbers behind these charts</summary>
        <div className="table-wrap">
          <table className="data-table">
            <caption className="sr-only">Time to complete each step: learners who passed, median, 90th percentile and how many took each length of time</caption>
            <thead>
              <tr>
                <th scope="col">Step</th>
                <th scope="col">Passed</th>
                <th scope="col">Median</th>
                <th scope="col">90th percentile</th>
                {labels.map((l) => (
                  <th scope="col" key={l}>
                    {l}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {steps.map((s) => (
                <tr key={s.step}>
                  <th scope="row">
                    {s.step}. {titleOf(s.step, s.title)}
                  </th>
                  <td>{s.timeToComplete.count}</td>
                  <td>{duration(s.timeToComplete.medianSeconds)}</td>
                  <td>{duration(s.timeToComplete.p90Seconds)}</td>
                  {labels.map((l, i) => (
                    <td key={l}>{s.timeToComplete.histogram[i]?.count ?? 0}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
