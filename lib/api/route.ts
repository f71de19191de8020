// The one wrapper every /api/v1 route handler goes through: authenticate the bearer token, take
// one request from the token's rate limit, run the handler, and turn anything thrown into a
// problem document (never a stack trace). Handlers use only the Web Request/Response API.
import { ZodError } from "zod";
import { DomainError } from "../errors";
import { authenticate } from "./authenticate";
import { ApiProblem, problemResponse, responseForProblem } from "./problem";
import { takeApiRequest } from "./rate-limit";
import type { ApiPrincipal } from "./tokens";

export type RouteParams = Record<string, string | string[] | undefined>;
/** The second argument Next (and the CLI's test server) passes a route handler. */
export interface RouteContext<P extends RouteParams> {
  params: Promise<P>;
}

export interface ApiCall<P extends RouteParams> {
  request: Request;
  params: P;
  principal: ApiPrincipal;
  now: Date;
}

export interface ApiRouteOptions {
  /** Requests per token per minute; env API_RATE_LIMIT_PER_MINUTE by default (tests pass a small one). */
  ratePerMinute?: number;
  now?: () => Date;
}

const DOMAIN_CODES: Record<number, string> = { 400: "invalid-request", 403: "forbidden", 404: "not-found", 409: "conflict", 410: "gone" };

/** Anything a handler threw, as a problem response. Unknown errors are logged and answered with a generic 500. */
export function errorResponse(err: unknown, request: Request): Response {
  const instance = new URL(request.url).pathname;
  if (err instanceof ApiProblem) return responseForProblem(err, instance);
  if (err instanceof ZodError) {
    const errors = err.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
    return problemResponse(422, "invalid-request", "Some of the request's values are not valid; see errors.", { instance, extensions: { errors } });
  }
  if (err instanceof DomainError) return problemResponse(err.status, DOMAIN_CODES[err.status] ?? "error", err.message, { instance });
  // The path only: the query may carry search terms, and headers carry the token.
  console.error(`[api] ${request.method} ${instance} failed:`, err instanceof Error ? (err.stack ?? err.message) : String(err));
  return problemResponse(500, "internal-error", "Something went wrong on the server while answering this request. Try again; if it keeps happening, tell the operator.", { instance });
}

export function apiRoute<P extends RouteParams>(handler: (call: ApiCall<P>) => Promise<Response>, options: ApiRouteOptions = {}) {
  return async (request: Request, context?: RouteContext<P>): Promise<Response> => {
    try {
      const now = options.now?.() ?? new Date();
      const principal = await authenticate(request, now);
      const limitHeaders = await takeApiRequest(principal.tokenId, { ...(options.ratePerMinute ? { limit: options.ratePerMinute } : {}), now });
      const params = ((await context?.params) ?? {}) as P;
      const response = await handler({ request, params, principal, now });
      limitHeaders.forEach((value, key) => response.headers.set(key, value));
      return response;
    } catch (err) {
      return errorResponse(err, request);
    }
  };
}

/** A route anyone may read (the OpenAPI document): errors still become problems. */
export function publicRoute(handler: (request: Request) => Promise<Response> | Response) {
  return async (request: Request): Promise<Response> => {
    try {
      return await handler(request);
    } catch (err) {
      return errorResponse(err, request);
    }
  };
}

/** The handler for a method the route does not have: 405 with Allow, as a problem. */
export function methodNotAllowed(...allowed: string[]) {
  return (request: Request): Response =>
    problemResponse(405, "method-not-allowed", `${request.method} is not allowed here. This URL answers ${allowed.join(" and ")}.`, {
      instance: new URL(request.url).pathname,
      headers: { Allow: allowed.join(", ") },
    });
}

/**
 * OPTIONS: the methods the route really answers. Without it Next would list every exported
 * handler, the 405 ones included.
 */
export function allowedMethods(...allowed: string[]) {
  return (): Response => new Response(null, { status: 204, headers: { Allow: [...allowed, "OPTIONS"].join(", ") } });
}

/** JSON with the API's caching rule: nothing per-user is cached anywhere. */
export function json(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("Cache-Control", "no-store");
  return Response.json(body, { ...init, headers });
}
