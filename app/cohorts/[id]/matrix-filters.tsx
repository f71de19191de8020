// Search and filters as a plain GET form: the query lives in the URL, so it works without
// JavaScript, and a link or a reload shows the same learners.
import Link from "next/link";
import type { MatrixQuery } from "@/lib/cohorts/types";
import { dashboardHref } from "./format";

export function MatrixFilters({ cohortId, query, steps }: { cohortId: string; query: MatrixQuery; steps: { step: number; title: string }[] }) {
  return (
    <form method="get" action={`/cohorts/${encodeURIComponent(cohortId)}`} className="filter-form" role="search" aria-label="Find learners">
      <div className="field">
        <label htmlFor="matrix-search">Name or email</label>
        <input id="matrix-search" name="search" type="search" defaultValue={query.search ?? ""} maxLength={100} />
      </div>
      <div className="field">
        <label htmlFor="matrix-stuck">Stuck on</label>
        <select id="matrix-stuck" name="stuckOn" defaultValue={query.stuckOn === undefined ? "" : String(query.stuckOn)}>
          <option value="">Any step</option>
          {steps.map((s) => (
            <option key={s.step} value={s.step}>
              Step {s.step}: {s.title}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="matrix-inactive">Inactive for at least (days)</label>
        <input id="matrix-inactive" name="inactiveDays" type="number" min={1} max={365} inputMode="numeric" defaultValue={query.inactiveDays ?? ""} />
      </div>
      <div className="field">
        <label htmlFor="matrix-page-size">Learners per page</label>
        <select id="matrix-page-size" name="pageSize" defaultValue={String(query.pageSize)}>
          {[25, 50, 100, 200].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </div>
      <input type="hidden" name="sort" value={query.sort} />
      <input type="hidden" name="dir" value={query.dir} />
      <div className="filter-actions">
        <button type="submit" className="button button-small">
          Apply
        </button>
        <Link href={dashboardHref(cohortId, { page: 1, pageSize: query.pageSize, sort: query.sort, dir: query.dir })}>Clear filters</Link>
      </div>
    </form>
  );
}
