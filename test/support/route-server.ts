// A tiny node:http server that serves Next.js App Router route modules (`export async function
// POST(request, { params })`) in-process, so tests reach the real route handlers over real HTTP
// without building or starting Next. Each IncomingMessage becomes a Web Request, the handler's
// Response is written back (streamed). Patterns use the App Router's folder syntax:
// "/api/v1/labs/[lab]/steps/[step]/checks", "[...rest]" (one or more segments) and "[[...rest]]"
// (zero or more); a static segment wins over a dynamic one, which wins over a catch-all, as in Next.
//
// Not Next: no middleware, no next/headers, no caching; HEAD falls back to GET (as Next does),
// and a method the module does not export is answered 405. Handlers that rely only on the Web
// Request/Response API (the /api/v1 ones do) behave as they do under Next.
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export type RouteParams = Record<string, string | string[]>;
export type RouteHandler = (request: Request, context: { params: Promise<RouteParams> }) => Response | Promise<Response>;
/** A route.ts module: handlers exported by HTTP method (other exports, like `dynamic`, are ignored). */
export type RouteModule = Record<string, unknown>;

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

type Segment = { kind: "static"; value: string } | { kind: "param"; name: string } | { kind: "catch-all"; name: string; optional: boolean };

interface CompiledRoute {
  pattern: string;
  segments: Segment[];
  module: RouteModule;
}

function compile(pattern: string): Segment[] {
  return pattern
    .split("/")
    .filter((s) => s !== "" && !/^\(.*\)$/.test(s)) // "(group)" folders are not part of the URL
    .map((s): Segment => {
      let m = /^\[\[\.\.\.(\w+)\]\]$/.exec(s);
      if (m?.[1]) return { kind: "catch-all", name: m[1], optional: true };
      m = /^\[\.\.\.(\w+)\]$/.exec(s);
      if (m?.[1]) return { kind: "catch-all", name: m[1], optional: false };
      m = /^\[(\w+)\]$/.exec(s);
      if (m?.[1]) return { kind: "param", name: m[1] };
      return { kind: "static", value: s };
    });
}

const RANK = { static: 0, param: 1, "catch-all": 2 } as const;

/** Next's precedence: compare segment by segment, static before dynamic before catch-all. */
function bySpecificity(a: CompiledRoute, b: CompiledRoute): number {
  for (let i = 0; i < Math.max(a.segments.length, b.segments.length); i++) {
    const x = a.segments[i];
    const y = b.segments[i];
    if (!x || !y) return x ? -1 : 1;
    const d = RANK[x.kind] - RANK[y.kind];
    if (d !== 0) return d;
  }
  return 0;
}

function match(route: CompiledRoute, parts: readonly string[]): RouteParams | null {
  const params: RouteParams = {};
  for (let i = 0; i < route.segments.length; i++) {
    const seg = route.segments[i]!;
    const part = parts[i];
    if (seg.kind === "catch-all") {
      const rest = parts.slice(i);
      if (rest.length === 0 && !seg.optional) return null;
      if (rest.length > 0) params[seg.name] = rest;
      return params;
    }
    if (part === undefined) return null;
    if (seg.kind === "static" && seg.value !== part) return null;
    if (seg.kind === "param") params[seg.name] = part;
  }
  return parts.length === route.segments.length ? params : null;
}

function decodeParts(pathname: string): string[] | null {
  try {
    return pathname
      .split("/")
      .filter(Boolean)
      .map((p) => decodeURIComponent(p));
  } catch {
    return null;
  }
}

function toRequest(req: http.IncomingMessage, body: Buffer, base: string, signal: AbortSignal): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const method = req.method ?? "GET";
  return new Request(new URL(req.url ?? "/", base), {
    method,
    headers,
    signal,
    ...(method === "GET" || method === "HEAD" ? {} : { body: new Uint8Array(body) }),
  });
}

async function writeResponse(res: http.ServerResponse, response: Response, withBody: boolean): Promise<void> {
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  response.headers.forEach((value, key) => {
    if (key !== "set-cookie") res.setHeader(key, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  if (withBody && response.body) {
    // Streamed chunk by chunk, so a handler that streams (server-sent events) is seen as it writes.
    const reader = response.body.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) res.write(r.value);
  }
  res.end();
}

function plain(res: http.ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
  res.end(text);
}

export interface RouteServer {
  /** http://127.0.0.1:<port>, no trailing slash. */
  url: string;
  close(): Promise<void>;
}

/** Serves the routes (pattern → route module) on 127.0.0.1 and an ephemeral port. */
export async function startRouteServer(routes: Record<string, RouteModule>): Promise<RouteServer> {
  const compiled = Object.entries(routes)
    .map(([pattern, module]) => ({ pattern, segments: compile(pattern), module }))
    .sort(bySpecificity);
  let base = "";

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const url = new URL(req.url ?? "/", base);
        const parts = decodeParts(url.pathname);
        const found = parts ? compiled.map((r) => ({ r, params: match(r, parts) })).find((m) => m.params !== null) : undefined;
        if (!found?.params) return plain(res, 404, "Not Found");
        const method = (req.method ?? "GET").toUpperCase();
        const handler = (found.r.module[method] ?? (method === "HEAD" ? found.r.module.GET : undefined)) as RouteHandler | undefined;
        if (typeof handler !== "function") {
          const allow = METHODS.filter((m) => typeof found.r.module[m] === "function").join(", ");
          return plain(res, 405, "Method Not Allowed", { allow });
        }
        // The Request's signal aborts when the client goes away, as under Next.
        const aborted = new AbortController();
        res.on("close", () => {
          if (!res.writableFinished) aborted.abort();
        });
        try {
          const response = await handler(toRequest(req, Buffer.concat(chunks), base, aborted.signal), { params: Promise.resolve(found.params) });
          await writeResponse(res, response, method !== "HEAD");
        } catch (err) {
          console.error(`[route-server] ${method} ${url.pathname} threw:`, err);
          if (!res.headersSent) plain(res, 500, "Internal Server Error");
          else res.destroy();
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/**
 * The route.ts modules under an app/ folder, keyed by their URL pattern ("app/api/v1/me/progress/
 * route.ts" → "/api/v1/me/progress"), imported: the real handlers, ready for startRouteServer.
 */
export async function loadAppRoutes(appDir: string, under = ""): Promise<Record<string, RouteModule>> {
  const start = path.join(appDir, under);
  const files = fs
    .readdirSync(start, { recursive: true, encoding: "utf8" })
    .filter((f) => /(^|[/\\])route\.(ts|tsx|js|mjs)$/.test(f))
    .map((f) => path.join(start, f));
  const routes: Record<string, RouteModule> = {};
  for (const file of files) {
    const pattern = "/" + path.relative(appDir, path.dirname(file)).split(path.sep).join("/");
    // A plain absolute path, not a file: URL, so vitest transforms the module and resolves its "@/" imports.
    routes[pattern] = (await import(/* @vite-ignore */ file)) as RouteModule;
  }
  return routes;
}
