// The pieces every app/api/cohorts route shares, kept free of Next and next-auth so they are
// tested directly: who is asking (401 when nobody), errors as JSON with their status (never a
// stack trace), and the same-origin rule for POSTs.
import { z } from "zod";
import { DomainError, ForbiddenError } from "../errors";
import type { Viewer } from "./types";

export type ViewerSource = () => Promise<Viewer | null>;

export function jsonError(status: number, message: string, headers: HeadersInit = {}): Response {
  return Response.json({ error: message }, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

/**
 * A DomainError's own status and sentence; a refusal of the dashboard as 404 (a learner is not
 * told the cohort pages exist, as requireRole does for pages); bad input 422; anything else a
 * plain 500 whose details go to the server log only.
 */
export function errorResponse(err: unknown): Response {
  if (err instanceof ForbiddenError) return jsonError(404, "That cohort was not found.");
  if (err instanceof DomainError) {
    const retryAfter = (err as { retryAfter?: unknown }).retryAfter;
    return jsonError(err.status, err.message, typeof retryAfter === "number" ? { "Retry-After": String(retryAfter) } : {});
  }
  if (err instanceof z.ZodError) return jsonError(422, err.issues[0]?.message ?? "The request is not valid.");
  console.error("cohort route failed:", err);
  return jsonError(500, "Something went wrong on the server. Try again in a moment.");
}

/** Runs `handle` for a signed-in viewer: 401 JSON when signed out, errors mapped as above. */
export async function withViewer(getViewer: ViewerSource, handle: (viewer: Viewer) => Promise<Response>): Promise<Response> {
  try {
    const viewer = await getViewer();
    if (!viewer) return jsonError(401, "Sign in to see this.");
    return await handle(viewer);
  } catch (err) {
    return errorResponse(err);
  }
}

function hostOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * A POST that changes something must come from this site's own pages. next-auth's cookies are
 * SameSite=Lax, which already keeps them off cross-site POSTs; this says so explicitly. The
 * Origin's host must be the Host the request arrived on (or the forwarded or configured public
 * one behind a proxy). Without an Origin, only Sec-Fetch-Site: same-origin is accepted.
 */
export function isSameOrigin(request: Request, publicUrl?: string): boolean {
  const origin = request.headers.get("origin");
  if (!origin || origin === "null") return request.headers.get("sec-fetch-site") === "same-origin";
  const from = hostOf(origin);
  if (!from) return false;
  const allowed = [request.headers.get("host"), request.headers.get("x-forwarded-host"), hostOf(publicUrl)]
    .filter((h): h is string => typeof h === "string" && h.length > 0)
    .map((h) => h.split(",")[0]!.trim().toLowerCase());
  return allowed.includes(from);
}

/** Route parameters are ids (cuid); anything else cannot name a row. */
export const idParam = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);

export const recheckBodySchema = z
  .object({ userIds: z.array(idParam, { error: "userIds must be a list of learner ids." }).max(1000, "Re-check at most 1,000 learners at once.").optional() })
  .strict();
