// GET /api/cohorts/{id}/export.csv: every learner's progress as a CSV download (audited).
import { cohortCsv } from "@/lib/cohorts";
import { idParam, jsonError, withViewer } from "@/lib/cohorts/http";
import { currentViewer } from "../../viewer";

export async function GET(_request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  return withViewer(currentViewer, async (viewer) => {
    const id = idParam.safeParse((await ctx.params).id);
    if (!id.success) return jsonError(404, "That cohort was not found.");
    const { filename, body } = await cohortCsv(viewer, id.data);
    return new Response(body, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        // The filename is made of [a-z0-9-] only (csv.ts), so it needs no quoting beyond this.
        "Content-Disposition": `attachment; filename="${filename}"`,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  });
}
