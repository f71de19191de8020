// The matrix query as URL parameters: shared by the server (links, the polling URL) and the
// dashboard's client components, so this module imports nothing that reads the disk.
import type { MatrixQuery } from "./types";

export const DEFAULT_PAGE_SIZE = 50;

/** The query as URL parameters, defaults left out (for links and the polling URL). */
export function matrixQueryToParams(q: MatrixQuery): URLSearchParams {
  const p = new URLSearchParams();
  if (q.page !== 1) p.set("page", String(q.page));
  if (q.pageSize !== DEFAULT_PAGE_SIZE) p.set("pageSize", String(q.pageSize));
  if (q.sort !== "name") p.set("sort", q.sort);
  if (q.dir !== "asc") p.set("dir", q.dir);
  if (q.search) p.set("search", q.search);
  if (q.stuckOn !== undefined) p.set("stuckOn", String(q.stuckOn));
  if (q.inactiveDays !== undefined) p.set("inactiveDays", String(q.inactiveDays));
  return p;
}
