// The HTTP server: keep-alive, bounded bodies, and an AWS-style answer to everything —
// including malformed HTTP (clientError) and failures nobody anticipated. It never throws.
import http from "node:http";
import { randomUUID } from "node:crypto";
import { AwsError } from "./contracts";
import type { AdminDeps } from "./admin";
import { handleAdmin, isAdminPath } from "./admin";
import type { DispatchDeps, Preflight } from "./dispatch";
import { dispatch, encodeError, preflight, protocolOf } from "./dispatch";
import { DEFAULT_BODY_LIMIT } from "./services";
import type { WireRequest, WireResponse } from "./wire";
import { accessDenied, internalError } from "./auth-errors";

const ADMIN_BODY_LIMIT = 64 * 1024;

function send(res: http.ServerResponse, wire: WireResponse, close = false): void {
  if (res.headersSent || res.destroyed) return;
  // A flat [name, value, ...] list: Node takes it as it is, where an object spread with one more
  // field would cost a new hidden class per response.
  const headers: Array<string | number> = [];
  for (const name in wire.headers) if (name !== "content-length") headers.push(name, wire.headers[name]!);
  headers.push("content-length", Buffer.byteLength(wire.body));
  if (close) headers.push("connection", "close");
  res.writeHead(wire.status, headers);
  res.end(wire.body);
}

/** A request the host policy refuses: 403 in the service's own AccessDenied code. */
function foreignHost(pre: Preflight, wire: WireRequest, message: string): AwsError {
  const service = pre.service?.def.signingName;
  if (service !== undefined) return accessDenied(service, message);
  return protocolOf(wire, undefined) === "query" ? new AwsError("AccessDenied", message, 403) : new AwsError("AccessDeniedException", message, 403);
}

function tooLarge(service: string | undefined, limit: number): AwsError {
  const message = `Request must be smaller than ${limit} bytes.`;
  return service === "lambda" ? new AwsError("RequestTooLargeException", message, 413) : new AwsError("RequestEntityTooLarge", message, 413);
}

/** `serveAdmin: false`: the admin API answers 403 whatever the token (the Lambda jails' socket). */
export function createHttpServer(deps: DispatchDeps, admin: AdminDeps, opts: { serveAdmin?: boolean } = {}): http.Server {
  const serveAdmin = opts.serveAdmin ?? true;
  const server = http.createServer({ keepAliveTimeout: 65_000, headersTimeout: 66_000, requestTimeout: 300_000 }, (req, res) => {
    try {
      handle(deps, admin, serveAdmin, req, res);
    } catch (e) {
      console.error("sandbox: request failed:", e);
      send(res, { status: 500, headers: { "content-type": "application/json" }, body: JSON.stringify({ error: "InternalFailure" }) }, true);
    }
  });
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    // Malformed HTTP: answer 400 when the socket can still take it, then let it go.
    if (err.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    const body = JSON.stringify({ __type: "com.amazon.coral.service#BadRequest", message: "The request is not valid HTTP." });
    socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });
  return server;
}

function failRequest(res: http.ServerResponse, wire: WireRequest, pre: Preflight, isAdmin: boolean, err: AwsError, close: boolean): void {
  if (isAdmin) send(res, { status: err.status, headers: { "content-type": "application/json" }, body: JSON.stringify({ error: err.code, message: err.message }) }, close);
  else send(res, encodeError(protocolOf(wire, pre.service), pre.service, err, wire.requestId), close);
}

// Top-level rather than a closure per request: tsx keeps function names by wrapping every named
// closure in a helper call, which showed in the profile of the hot path.
function dispatchFailed(res: http.ServerResponse, wire: WireRequest, pre: Preflight, e: unknown): void {
  console.error("sandbox: dispatch failed:", e);
  failRequest(res, wire, pre, false, internalError(), false);
}

function handle(deps: DispatchDeps, admin: AdminDeps, serveAdmin: boolean, req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? "" : url.slice(q + 1);
  const wire: WireRequest = { method: req.method ?? "GET", rawPath, rawQuery, headers: req.headers, body: EMPTY, requestId: randomUUID() };
  const isAdmin = isAdminPath(rawPath);
  const pre: Preflight = isAdmin ? {} : preflight(deps, req.headers.authorization);
  const limit = isAdmin ? ADMIN_BODY_LIMIT : (pre.service?.maxBody ?? DEFAULT_BODY_LIMIT);
  if (isAdmin && !serveAdmin) {
    failRequest(res, wire, pre, isAdmin, new AwsError("Forbidden", "The admin API is not reachable from Lambda functions.", 403), true);
    req.resume();
    return;
  }
  const refused = deps.hosts.refusal(req.headers);
  if (refused !== undefined) {
    failRequest(res, wire, pre, isAdmin, isAdmin ? new AwsError("Forbidden", refused, 403) : foreignHost(pre, wire, refused), true);
    req.resume();
    return;
  }

  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) {
    failRequest(res, wire, pre, isAdmin, tooLarge(pre.service?.def.signingName, limit), true);
    req.resume();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let overflow = false;
  req.on("data", (chunk: Buffer) => {
    if (overflow) return;
    size += chunk.length;
    if (size > limit) {
      overflow = true;
      chunks.length = 0;
      failRequest(res, wire, pre, isAdmin, tooLarge(pre.service?.def.signingName, limit), true);
      return;
    }
    chunks.push(chunk);
  });
  req.on("error", () => {
    /* the client went away; nothing to answer */
  });
  req.on("end", () => {
    if (overflow) return;
    wire.body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
    if (isAdmin) {
      try {
        send(res, handleAdmin(admin, wire));
      } catch (e) {
        console.error("sandbox: admin request failed:", e);
        failRequest(res, wire, pre, isAdmin, new AwsError("InternalFailure", "The admin request failed unexpectedly; see the sandbox's log.", 500), false);
      }
      return;
    }
    try {
      const answer = dispatch(deps, wire, pre);
      if (answer instanceof Promise) answer.then((out) => send(res, out), (e: unknown) => dispatchFailed(res, wire, pre, e));
      else send(res, answer);
    } catch (e) {
      dispatchFailed(res, wire, pre, e);
    }
  });
}

const EMPTY = Buffer.alloc(0);
