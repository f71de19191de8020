// REST-JSON (Lambda): the operation comes from method + path; the input merges the path's
// parameters, the query string, a few headers and the JSON body. Errors carry the code in
// `x-amzn-errortype` and `{"Type": "User", "Message": ...}` in the body, as Lambda answers.
import type { AwsError, RestRoute } from "../contracts";
import { AwsError as AwsErrorClass } from "../contracts";
import type { WireRequest, WireResponse } from "../wire";
import { header } from "../wire";
import { parseForm } from "../query-params";

export interface CompiledRoute {
  route: RestRoute;
  method: string;
  pattern: RegExp;
  names: string[];
}

export function compileRoutes(routes: readonly RestRoute[]): CompiledRoute[] {
  return routes.map((route) => {
    const names: string[] = [];
    const source = route.path
      .split("/")
      .map((seg) =>
        seg.replace(/\{([^}]+)\}|([^{]+)/g, (_m, name: string | undefined, lit: string | undefined) => {
          if (name !== undefined) {
            const greedy = name.endsWith("+");
            names.push(greedy ? name.slice(0, -1) : name);
            return greedy ? "(.+)" : "([^/]+)";
          }
          return (lit ?? "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        }),
      )
      .join("/");
    return { route, method: route.method.toUpperCase(), pattern: new RegExp(`^${source}/?$`), names };
  });
}

export type RouteMatch = { route: RestRoute; params: Record<string, string> };

export function matchRoute(routes: readonly CompiledRoute[], method: string, rawPath: string): RouteMatch | "method" | undefined {
  let pathMatched = false;
  for (const r of routes) {
    const m = r.pattern.exec(rawPath);
    if (!m) continue;
    pathMatched = true;
    if (r.method !== method) continue;
    const params: Record<string, string> = {};
    r.names.forEach((name, i) => {
      const raw = m[i + 1] ?? "";
      try {
        params[name] = decodeURIComponent(raw);
      } catch {
        params[name] = raw;
      }
    });
    return { route: r.route, params };
  }
  return pathMatched ? "method" : undefined;
}

// Lambda's headers that are operation inputs (Invoke's invocation type, log type, client context).
const HEADER_INPUTS: Record<string, string> = {
  "x-amz-invocation-type": "InvocationType",
  "x-amz-log-type": "LogType",
  "x-amz-client-context": "ClientContext",
};

/** Operations whose body is a raw payload rather than a JSON input. */
const RAW_BODY: Record<string, string> = { Invoke: "Payload", InvokeAsync: "InvokeArgs" };

export function decodeRest(req: WireRequest, match: RouteMatch): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  if (req.rawQuery !== "") Object.assign(input, parseForm(req.rawQuery));
  for (const [h, member] of Object.entries(HEADER_INPUTS)) {
    const v = header(req, h);
    if (v !== undefined) input[member] = v;
  }
  const rawMember = RAW_BODY[match.route.operation];
  if (rawMember !== undefined) {
    input[rawMember] = req.body;
  } else if (req.body.length > 0) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(req.body.toString("utf8"));
    } catch {
      throw new AwsErrorClass("InvalidRequestContentException", "Could not parse request body into json: the body is not valid JSON.", 400);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new AwsErrorClass("InvalidRequestContentException", "Could not parse request body into json: the body must be a JSON object.", 400);
    }
    Object.assign(input, parsed);
  }
  Object.assign(input, match.params); // path parameters win: they are what the URL names
  return input;
}

export function encodeRestOutput(route: RestRoute, output: Record<string, unknown> | undefined, requestId: string): WireResponse {
  const out = output ?? {};
  const status = typeof out.__status === "number" ? out.__status : (route.successStatus ?? 200);
  if (out.__raw !== undefined) {
    const headers: Record<string, string> = { "x-amzn-requestid": requestId, "content-type": "application/json" };
    const extra = out.__headers;
    if (typeof extra === "object" && extra !== null) {
      for (const [k, v] of Object.entries(extra as Record<string, unknown>)) if (v !== undefined && v !== null) headers[k.toLowerCase()] = String(v);
    }
    const raw = out.__raw;
    const body = Buffer.isBuffer(raw) ? raw : raw instanceof Uint8Array ? Buffer.from(raw) : String(raw);
    return { status, headers, body };
  }
  const { __status: _s, __headers: _h, ...rest } = out;
  return {
    status,
    headers: { "content-type": "application/json", "x-amzn-requestid": requestId },
    body: status === 204 ? "" : JSON.stringify(rest),
  };
}

export function encodeRestError(err: AwsError, requestId: string): WireResponse {
  return {
    status: err.status,
    headers: { "content-type": "application/json", "x-amzn-errortype": err.code, "x-amzn-requestid": requestId },
    body: JSON.stringify({ Type: err.senderFault ? "User" : "Service", Message: err.message, message: err.message }),
  };
}
