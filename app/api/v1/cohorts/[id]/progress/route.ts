// A cohort's progress matrix for instructors (their own cohorts) and admins (any).
import { readCohortProgress } from "@/lib/api/cohort-progress";
import { allowedMethods, apiRoute, methodNotAllowed } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = apiRoute(readCohortProgress);
export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
export const OPTIONS = allowedMethods("GET");
