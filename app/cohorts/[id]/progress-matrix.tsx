// Learners × steps. Each cell says its state in words with an icon beside the colour, how many
// checks there were and when the last one ran; the name opens the learner's drill-down. Sorting
// and paging are links, so they work without JavaScript and survive a reload.
import Link from "next/link";
import type { CohortProgressPage, MatrixCell, MatrixSort } from "@/lib/cohorts/types";
import { CELL_TEXT, cellKind, dashboardHref, exactTime, SORT_LABELS, timeAgo } from "./format";

interface Props {
  page: CohortProgressPage;
  /** Re-checks one learner; absent while a re-check runs (the buttons are then disabled). */
  onRecheck: (userId: string) => void;
  recheckRunning: boolean;
}

function SortHeader({ page, sort, className }: { page: CohortProgressPage; sort: MatrixSort; className?: string }) {
  const { query, cohort } = page;
  const active = query.sort === sort;
  // A second click reverses; a first click starts where people usually look first.
  const firstDir = sort === "progress" || sort === "last-active" ? "desc" : "asc";
  const dir = active ? (query.dir === "asc" ? "desc" : "asc") : firstDir;
  return (
    <th scope="col" className={className} aria-sort={active ? (query.dir === "asc" ? "ascending" : "descending") : undefined}>
      <Link href={dashboardHref(cohort.id, query, { sort, dir, page: 1 })} className="sort-link">
        {SORT_LABELS[sort]}
        <span aria-hidden="true">{active ? (query.dir === "asc" ? " ▲" : " ▼") : " ↕"}</span>
        <span className="sr-only">{active ? "" : ", sort by this column"}</span>
      </Link>
    </th>
  );
}

function Cell({ cell, now }: { cell: MatrixCell; now: string }) {
  const kind = cellKind(cell);
  const text = CELL_TEXT[kind];
  return (
    <td className={`matrix-cell cell-${kind}`} data-step={cell.step} data-state={kind}>
      <span className="cell-state">
        <span aria-hidden="true" className="cell-icon">
          {text.icon}
        </span>{" "}
        {text.label}
      </span>
      {cell.attempts > 0 ? (
        <span className="cell-meta">
          {cell.attempts} {cell.attempts === 1 ? "check" : "checks"}
          {cell.lastCheckedAt ? (
            <>
              {", last "}
              <time dateTime={cell.lastCheckedAt} title={exactTime(cell.lastCheckedAt)}>
                {timeAgo(cell.lastCheckedAt, now)}
              </time>
            </>
          ) : null}
        </span>
      ) : null}
    </td>
  );
}

export function MatrixLegend() {
  return (
    <ul className="matrix-legend" aria-label="What the cells mean">
      {(["pass", "fail", "error", "regressed", "not-started"] as const).map((k) => (
        <li key={k} className={`cell-${k}`}>
          <span aria-hidden="true" className="cell-icon">
            {CELL_TEXT[k].icon}
          </span>{" "}
          {CELL_TEXT[k].label}
        </li>
      ))}
    </ul>
  );
}

export function ProgressMatrix({ page, onRecheck, recheckRunning }: Props) {
  const { query, rows, steps, total, cohort, generatedAt } = page;
  const pages = Math.max(1, Math.ceil(total / query.pageSize));
  const filtered = Boolean(query.search || query.stuckOn !== undefined || query.inactiveDays !== undefined);
  return (
    <>
      <p className="form-help" data-testid="matrix-count">
        {total} {total === 1 ? "learner" : "learners"}
        {filtered ? " match these filters" : ""}
        {pages > 1 ? ` · page ${query.page} of ${pages}` : ""}
      </p>
      {rows.length === 0 ? (
        <p>{filtered ? "No learners match these filters." : "No learners have joined yet. Share the join link above."}</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table matrix" data-testid="progress-matrix">
            <caption className="sr-only">Progress of each learner on each step{filtered ? ", filtered" : ""}</caption>
            <thead>
              <tr>
                <SortHeader page={page} sort="name" />
                <SortHeader page={page} sort="progress" />
                {steps.map((s) => (
                  <th scope="col" key={s.step} className="matrix-step">
                    <abbr title={s.title}>Step {s.step}</abbr>
                  </th>
                ))}
                <SortHeader page={page} sort="last-active" />
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.userId} data-user-id={r.userId}>
                  <th scope="row" className="matrix-learner">
                    <Link href={`/cohorts/${encodeURIComponent(cohort.id)}/learners/${encodeURIComponent(r.userId)}`}>{r.name}</Link>
                    <span className="cell-meta">{r.email}</span>
                  </th>
                  <td data-testid="passed-steps">
                    {r.passedSteps} of {steps.length}
                  </td>
                  {r.cells.map((c) => (
                    <Cell key={c.step} cell={c} now={generatedAt} />
                  ))}
                  <td>
                    {r.lastActiveAt ? (
                      <time dateTime={r.lastActiveAt} title={exactTime(r.lastActiveAt)}>
                        {timeAgo(r.lastActiveAt, generatedAt)}
                      </time>
                    ) : (
                      "Never"
                    )}
                  </td>
                  <td>
                    <button type="button" className="button button-small button-secondary" disabled={recheckRunning} onClick={() => onRecheck(r.userId)} aria-label={`Re-check ${r.name}`}>
                      Re-check
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 ? (
        <nav aria-label="Learner pages" className="step-nav">
          {query.page > 1 ? <Link href={dashboardHref(cohort.id, query, { page: query.page - 1 })}>← Previous page</Link> : <span />}
          {query.page < pages ? <Link href={dashboardHref(cohort.id, query, { page: query.page + 1 })}>Next page →</Link> : <span />}
        </nav>
      ) : null}
    </>
  );
}
