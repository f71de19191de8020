// The API's OpenAPI 3.1 description. Public: it describes the API, it holds no data.
import { openApiDocument } from "@/lib/api/openapi";
import { allowedMethods, methodNotAllowed, publicRoute } from "@/lib/api/route";

export const GET = publicRoute(() => Response.json(openApiDocument, { headers: { "Cache-Control": "public, max-age=300" } }));
export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
export const OPTIONS = allowedMethods("GET");
