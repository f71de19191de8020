// The token's user's own progress in every lab.
import { readMyProgress } from "@/lib/api/me-progress";
import { allowedMethods, apiRoute, methodNotAllowed } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = apiRoute(readMyProgress);
export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
export const OPTIONS = allowedMethods("GET");
