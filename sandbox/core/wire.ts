// The request and response as the core's protocol layer sees them: raw bytes in, bytes out.
import type { IncomingHttpHeaders } from "node:http";

export interface WireRequest {
  method: string;
  /** The path as it arrived, still percent-encoded. */
  rawPath: string;
  /** The query string without "?", still percent-encoded. */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  requestId: string;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** Which family of error codes a service answers with for authentication failures. */
export type Protocol = "json" | "query" | "rest";

export function header(req: WireRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
