// Every error /api/v1 answers is an RFC 9457 problem document (application/problem+json), made
// here and only here. `type` is "about:blank" (the HTTP status says what kind of problem it is,
// and the title is its standard phrase); `code` is the stable, machine-readable reason a client
// branches on, and `detail` is a full sentence a person can act on.

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** The standard reason phrases, the titles of about:blank problems. */
const STATUS_TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

export function statusTitle(status: number): string {
  return STATUS_TITLES[status] ?? "Error";
}

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  /** The stable reason, e.g. "invalid-token", "not-connected", "rate-limited". */
  code: string;
  [extension: string]: unknown;
}

export interface ProblemInit {
  /** Extension members (e.g. retryAfter, hint, errors). Never secrets. */
  extensions?: Record<string, unknown>;
  headers?: HeadersInit;
  instance?: string;
}

/**
 * A problem that handlers throw and the route wrapper answers with problemResponse, so a handler
 * deep in a call can stop the request with the right status without threading Responses back up.
 */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly init: Omit<ProblemInit, "instance"> = {},
  ) {
    super(detail);
    this.name = "ApiProblem";
  }
}

export function problemDocument(status: number, code: string, detail: string, o: ProblemInit = {}): ProblemDocument {
  return {
    ...o.extensions,
    type: "about:blank",
    title: statusTitle(status),
    status,
    detail,
    ...(o.instance ? { instance: o.instance } : {}),
    code,
  };
}

export function problemResponse(status: number, code: string, detail: string, o: ProblemInit = {}): Response {
  const headers = new Headers(o.headers);
  headers.set("Content-Type", PROBLEM_CONTENT_TYPE);
  headers.set("Cache-Control", "no-store");
  return new Response(JSON.stringify(problemDocument(status, code, detail, o)), { status, headers });
}

export function responseForProblem(p: ApiProblem, instance?: string): Response {
  return problemResponse(p.status, p.code, p.detail, { ...p.init, ...(instance ? { instance } : {}) });
}
