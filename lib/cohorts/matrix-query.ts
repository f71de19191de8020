// The matrix's query string as the page and the polling route read it. It never throws: a bad
// or hand-edited URL still shows a page, with out-of-range values clamped and unknown ones ignored.
import { STEP_COUNT } from "../content/lab";
import { DEFAULT_PAGE_SIZE } from "./matrix-params";
import { MATRIX_SORTS, type MatrixQuery, type MatrixSort } from "./types";

export { DEFAULT_PAGE_SIZE, matrixQueryToParams } from "./matrix-params";

export const MAX_PAGE_SIZE = 200;
export const MAX_SEARCH_LENGTH = 100;
export const DEFAULT_MATRIX_QUERY: MatrixQuery = { page: 1, pageSize: DEFAULT_PAGE_SIZE, sort: "name", dir: "asc" };

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

function first(params: Params, key: string): string | undefined {
  const v = params instanceof URLSearchParams ? params.get(key) : params[key];
  const s = Array.isArray(v) ? v[0] : v;
  return s === null || s === undefined ? undefined : String(s);
}

function int(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\s*-?\d{1,9}\s*$/.test(raw)) return undefined;
  return Number.parseInt(raw, 10);
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

export function parseMatrixQuery(params: Params): MatrixQuery {
  const page = int(first(params, "page"));
  const pageSize = int(first(params, "pageSize"));
  const sort = first(params, "sort");
  const dir = first(params, "dir");
  const search = first(params, "search")?.trim().slice(0, MAX_SEARCH_LENGTH);
  const stuckOn = int(first(params, "stuckOn"));
  const inactiveDays = int(first(params, "inactiveDays"));
  return normalizeMatrixQuery({
    ...(page !== undefined ? { page } : {}),
    ...(pageSize !== undefined ? { pageSize } : {}),
    ...((MATRIX_SORTS as readonly string[]).includes(sort ?? "") ? { sort: sort as MatrixSort } : {}),
    ...(dir === "asc" || dir === "desc" ? { dir } : {}),
    ...(search ? { search } : {}),
    ...(stuckOn !== undefined ? { stuckOn } : {}),
    ...(inactiveDays !== undefined ? { inactiveDays } : {}),
  });
}

/** Fills defaults and clamps a query given in code (getCohortProgress takes a Partial<MatrixQuery>). */
export function normalizeMatrixQuery(q: Partial<MatrixQuery>): MatrixQuery {
  const out: MatrixQuery = {
    page: Number.isInteger(q.page) ? Math.max(1, q.page!) : 1,
    pageSize: Number.isInteger(q.pageSize) ? clamp(q.pageSize!, 1, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE,
    sort: q.sort && (MATRIX_SORTS as readonly string[]).includes(q.sort) ? q.sort : "name",
    dir: q.dir === "desc" ? "desc" : "asc",
  };
  const search = typeof q.search === "string" ? q.search.trim().slice(0, MAX_SEARCH_LENGTH) : "";
  if (search) out.search = search;
  // Out of range means "no such filter" rather than a clamp: stuck on step 9 is not stuck on 6.
  if (Number.isInteger(q.stuckOn) && q.stuckOn! >= 1 && q.stuckOn! <= STEP_COUNT) out.stuckOn = q.stuckOn!;
  if (Number.isInteger(q.inactiveDays)) out.inactiveDays = clamp(q.inactiveDays!, 1, 365);
  return out;
}
