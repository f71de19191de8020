// GET /api/cohorts/{id}/progress: one page of the matrix with whole-cohort aggregates, polled by
// the open dashboard. An If-None-Match that still matches is answered 304 from two aggregate
// queries, without loading the cohort.
import { createHash } from "node:crypto";
import { cohortVersion, getCohortProgress, matrixQueryToParams, parseMatrixQuery, type MatrixQuery } from "@/lib/cohorts";
import { idParam, jsonError, withViewer } from "@/lib/cohorts/http";
import { currentViewer } from "../../viewer";

/**
 * The body depends on the data (version), the query, and the clock (activity filters and
 * "active in the last week"): the minute keeps a quiet cohort's ETag from going stale for long.
 */
function etagOf(version: string, q: MatrixQuery, now: Date): string {
  const key = `${version}|${matrixQueryToParams(q).toString()}|${Math.floor(now.getTime() / 60_000)}`;
  return `W/"${createHash("sha256").update(key).digest("base64url").slice(0, 27)}"`;
}

export async function GET(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  return withViewer(currentViewer, async (viewer) => {
    const id = idParam.safeParse((await ctx.params).id);
    if (!id.success) return jsonError(404, "That cohort was not found.");
    const query = parseMatrixQuery(new URL(request.url).searchParams);
    const now = new Date();
    const headers = { "Cache-Control": "no-store", Vary: "Cookie" };
    const ifNoneMatch = request.headers.get("if-none-match");
    if (ifNoneMatch) {
      // The query's page may be clamped to the last page in the body; the client sends back what it asked for.
      const etag = etagOf(await cohortVersion(viewer, id.data), query, now);
      if (ifNoneMatch.split(",").some((t) => t.trim() === etag)) return new Response(null, { status: 304, headers: { ...headers, ETag: etag } });
    }
    const page = await getCohortProgress(viewer, id.data, query, { now });
    return Response.json(page, { headers: { ...headers, ETag: etagOf(page.version, query, now) } });
  });
}
