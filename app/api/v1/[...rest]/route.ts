// Any other /api/v1 URL: a problem document, not the site's HTML 404 page.
import { problemResponse } from "@/lib/api/problem";

export const dynamic = "force-dynamic";

function notFound(request: Request): Response {
  const instance = new URL(request.url).pathname;
  return problemResponse(404, "not-found", "There is no API endpoint at this URL. The endpoints are listed in /api/v1/openapi.json.", { instance });
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
