// GET /api/cohorts/{id}/learners/{userId}: one learner's steps and attempts (the drill-down).
import { getLearnerDrillDown } from "@/lib/cohorts";
import { idParam, jsonError, withViewer } from "@/lib/cohorts/http";
import { currentViewer } from "../../../viewer";

export async function GET(_request: Request, ctx: { params: Promise<{ id: string; userId: string }> }): Promise<Response> {
  return withViewer(currentViewer, async (viewer) => {
    const params = await ctx.params;
    const id = idParam.safeParse(params.id);
    const userId = idParam.safeParse(params.userId);
    if (!id.success) return jsonError(404, "That cohort was not found.");
    if (!userId.success) return jsonError(404, "That learner was not found.");
    return Response.json(await getLearnerDrillDown(viewer, id.data, userId.data), { headers: { "Cache-Control": "no-store" } });
  });
}
