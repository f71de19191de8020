// Runs a step's checks for the token's user: the same grading service as the browser's Check.
import { runStepChecks } from "@/lib/api/checks";
import { allowedMethods, apiRoute, methodNotAllowed } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const POST = apiRoute(runStepChecks);
export const GET = methodNotAllowed("POST");
export const PUT = methodNotAllowed("POST");
export const PATCH = methodNotAllowed("POST");
export const DELETE = methodNotAllowed("POST");
export const OPTIONS = allowedMethods("POST");
