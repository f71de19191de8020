// GET /api/v1/cohorts/{id}/progress: the instructor dashboard's data (lib/cohorts) for a token.
// A learner's token is refused with 403 whatever the id (cohort access is a role matter, and it
// reveals nothing about which cohorts exist); an instructor's token on a cohort they do not own
// gets 404, as the dashboard does; an admin's token reads any cohort.
import { roleAtLeast } from "../auth/roles";
import { parseMatrixQuery } from "../cohorts/matrix-query";
import { getCohortProgress } from "../cohorts/progress";
import { ApiProblem } from "./problem";
import { json, type ApiCall } from "./route";

export async function readCohortProgress({ request, params, principal, now }: ApiCall<{ id: string }>): Promise<Response> {
  const { user } = principal;
  if (!roleAtLeast(user.role, "instructor")) {
    throw new ApiProblem(403, "forbidden", "Only instructors and admins can read a cohort's progress. This token belongs to a learner account.");
  }
  const query = parseMatrixQuery(new URL(request.url).searchParams);
  return json(await getCohortProgress({ id: user.id, role: user.role }, String(params.id ?? ""), query, { now }));
}
