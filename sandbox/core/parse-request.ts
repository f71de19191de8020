// One decision per request: the operation and its input, parsed once from the request as it
// arrived. Whatever checks a request (the unsigned SNS gate, IAM) and whatever runs it see this
// one value, so no part of the request can say one thing to a check and another to the handler.
import type { Operation, RestRoute } from "./contracts";
import { AwsError } from "./contracts";
import { unknownOperation } from "./auth-errors";
import { decodeJsonBody } from "./protocols/json";
import { decodeRest, matchRoute } from "./protocols/rest-json";
import { parseForm } from "./query-params";
import type { WiredService } from "./services";
import type { Protocol, WireRequest } from "./wire";
import { header } from "./wire";

export interface ParsedRequest {
  service: WiredService;
  protocol: Protocol;
  /** The AWS operation's name, as the service's operation table has it. */
  operation: string;
  op: Operation;
  input: Record<string, unknown>;
  /** REST-JSON: the route matched (its success status). */
  route: RestRoute | undefined;
}

export function parseRequest(service: WiredService, protocol: Protocol, req: WireRequest): ParsedRequest {
  if (protocol === "json") return parseJson(service, req);
  if (protocol === "query") return parseQuery(service, req);
  return parseRest(service, req);
}

function parseJson(service: WiredService, req: WireRequest): ParsedRequest {
  const target = header(req, "x-amz-target") ?? "";
  const dot = target.lastIndexOf(".");
  const name = dot < 0 ? target : target.slice(dot + 1);
  const op = (dot < 0 ? "" : target.slice(0, dot)) === service.def.targetPrefix ? service.operations.get(name) : undefined;
  if (!op) throw unknownOperation("json", target === "" ? "(no X-Amz-Target)" : target);
  return { service, protocol: "json", operation: name, op, input: decodeJsonBody(req.body), route: undefined };
}

function parseQuery(service: WiredService, req: WireRequest): ParsedRequest {
  const def = service.def;
  const params = queryParams(req);
  const action = params.Action;
  if (action === undefined || action === "") throw new AwsError("MissingAction", "The request must contain the parameter Action.", 400);
  const op = def.query ? service.operations.get(action) : undefined;
  if (!op || !def.query) throw unknownOperation("query", action);
  // Old-style SQS query calls post to the queue's URL instead of naming it.
  if (def.signingName === "sqs" && params.QueueUrl === undefined && req.rawPath !== "/" && req.rawPath !== "") {
    params.QueueUrl = `http://${header(req, "host") ?? "localhost"}${req.rawPath}`;
  }
  return { service, protocol: "query", operation: action, op, input: def.query.decode(action, params), route: undefined };
}

/**
 * A query request's parameters: the query string's and the form body's together. A parameter
 * both give must have the same value in both — above all Action: a request that names one
 * operation in its URL and another in its body is refused, not run as either.
 */
export function queryParams(req: WireRequest): Record<string, string> {
  const fromBody = req.body.length > 0 ? parseForm(req.body.toString("utf8")) : undefined;
  if (req.rawQuery === "") return fromBody ?? parseForm("");
  const fromQuery = parseForm(req.rawQuery);
  if (fromBody === undefined) return fromQuery;
  for (const name in fromQuery) {
    const inQuery = fromQuery[name] as string;
    const inBody = fromBody[name];
    if (inBody === undefined) fromBody[name] = inQuery;
    else if (inBody !== inQuery) throw conflicting(name, inQuery, inBody);
  }
  return fromBody;
}

function conflicting(name: string, inQuery: string, inBody: string): AwsError {
  const show = (v: string) => JSON.stringify(v.slice(0, 80));
  const message = `The request gives ${name} twice with different values: ${show(inQuery)} in the query string and ${show(inBody)} in the body.`;
  return name === "Action" ? new AwsError("InvalidAction", message, 400) : new AwsError("InvalidParameterValue", message, 400);
}

function parseRest(service: WiredService, req: WireRequest): ParsedRequest {
  const match = matchRoute(service.routes, req.method, req.rawPath);
  if (match === undefined || match === "method") {
    throw new AwsError("UnknownOperationException", `No ${service.def.signingName} operation matches ${req.method} ${req.rawPath.slice(0, 200)}.`, match === "method" ? 405 : 404);
  }
  const operation = match.route.operation;
  const op = service.operations.get(operation);
  if (!op) throw unknownOperation("json", operation);
  return { service, protocol: "rest", operation, op, input: decodeRest(req, match), route: match.route };
}
