// One AWS request from bytes to bytes: find the service (credential scope), the protocol and
// operation (X-Amz-Target, Action, REST path), authenticate, decode, enforce IAM, run the
// handler, encode. Every failure becomes an AWS-style error in the request's protocol.
import type { AwsError as AwsErrorType, RequestContext } from "./contracts";
import { AwsError } from "./contracts";
import type { AccountDirectory } from "./accounts";
import type { CodeFamily } from "./auth-errors";
import { authError, internalError, missingAuthentication, unknownOperation } from "./auth-errors";
import { authenticate } from "./authenticate";
import { authorize } from "./authorize";
import type { RoleDirectory } from "./identity";
import { decodeJsonBody, encodeJsonError, encodeJsonOutput } from "./protocols/json";
import { encodeQueryError, encodeQueryOutput } from "./protocols/query";
import { decodeRest, encodeRestError, encodeRestOutput, matchRoute } from "./protocols/rest-json";
import { parseForm } from "./query-params";
import type { WiredService } from "./services";
import type { ParsedAuthorization } from "./sigv4";
import { parseAuthorization } from "./sigv4";
import type { Protocol, WireRequest, WireResponse } from "./wire";
import { header } from "./wire";

// IAM is global: whatever region the client signs for, its resources live in us-east-1.
const GLOBAL_SERVICES: Record<string, string> = { iam: "us-east-1" };

export interface DispatchDeps {
  services: Map<string, WiredService>;
  accounts: AccountDirectory;
  roles: () => RoleDirectory;
  now: () => number;
}

/** What the server needs before reading the body: the service (for its size limit) or a parse failure. */
export interface Preflight {
  auth?: ParsedAuthorization;
  service?: WiredService;
  authError?: string;
}

export function preflight(deps: DispatchDeps, authorization: string | undefined): Preflight {
  if (authorization === undefined) return {};
  const parsed = parseAuthorization(authorization);
  if (!parsed.ok) return { authError: parsed.message };
  const service = deps.services.get(parsed.auth.service);
  return service ? { auth: parsed.auth, service } : { auth: parsed.auth };
}

function isForm(req: WireRequest): boolean {
  return (header(req, "content-type") ?? "").startsWith("application/x-www-form-urlencoded");
}

/** The protocol a request speaks, judged from its shape (and the service when known). */
export function protocolOf(req: WireRequest, service: WiredService | undefined): Protocol {
  if (header(req, "x-amz-target") !== undefined) return "json";
  if (isForm(req) || req.rawQuery.includes("Action=")) return service?.def.query || !service ? "query" : service.def.rest ? "rest" : "json";
  if (service?.def.rest) return "rest";
  if (service?.def.query && !service.def.targetPrefix) return "query";
  if ((header(req, "content-type") ?? "").includes("json")) return "json";
  return service?.def.query ? "query" : "json";
}

export function encodeError(protocol: Protocol, service: WiredService | undefined, err: AwsErrorType, requestId: string): WireResponse {
  if (protocol === "query") return encodeQueryError(service?.def.query?.xmlns, err, requestId);
  if (protocol === "rest") return encodeRestError(err, requestId);
  return encodeJsonError(service?.def, err, requestId);
}

function asAwsError(e: unknown): AwsErrorType {
  if (e instanceof AwsError) return e;
  console.error("sandbox: handler failed:", e);
  return internalError();
}

// SNS's SubscribeURL and UnsubscribeURL work without credentials (whoever holds the token or
// link may use it, as on AWS): the caller acts in the account that owns the topic.
const UNSIGNED_SNS_ACTIONS: Record<string, string> = { ConfirmSubscription: "TopicArn", Unsubscribe: "SubscriptionArn" };

async function unsignedSns(deps: DispatchDeps, req: WireRequest): Promise<WireResponse | undefined> {
  if (!req.rawQuery.includes("Action=")) return undefined;
  const sns = deps.services.get("sns");
  if (!sns?.def.query) return undefined;
  let params: Record<string, string>;
  try {
    params = parseForm(req.rawQuery);
  } catch {
    return undefined;
  }
  const member = UNSIGNED_SNS_ACTIONS[params.Action ?? ""];
  const arn = member === undefined ? undefined : params[member];
  const m = arn === undefined ? null : /^arn:aws:sns:([a-z0-9-]+):(\d{12}):/.exec(arn);
  if (!m) return undefined;
  const accountId = m[2] as string;
  const ctx: RequestContext = {
    accountId,
    region: m[1] as string,
    principal: { kind: "account", accountId, arn: `arn:aws:iam::${accountId}:root` },
    requestId: req.requestId,
    now: deps.now(),
    endpoint: `http://${header(req, "host") ?? "localhost"}`,
  };
  try {
    return await run(deps, sns, "query", req, ctx);
  } catch (e) {
    return encodeError("query", sns, asAwsError(e), req.requestId);
  }
}

/** An answer now, or later when the operation waits (long polls, Lambda, executions). */
type Answer = WireResponse | Promise<WireResponse>;

function then<T>(value: T | Promise<T>, fn: (v: T) => WireResponse): Answer {
  return value instanceof Promise ? value.then(fn) : fn(value);
}

/**
 * Never throws and never rejects: every failure is answered as an AWS error. It answers
 * synchronously when the operation does (most do), sparing each request a chain of promises.
 */
export function dispatch(deps: DispatchDeps, req: WireRequest, pre: Preflight): Answer {
  if (!pre.auth && pre.authError === undefined) {
    return unsignedSns(deps, req).then((answered) => answered ?? dispatchSigned(deps, req, pre));
  }
  return dispatchSigned(deps, req, pre);
}

function dispatchSigned(deps: DispatchDeps, req: WireRequest, pre: Preflight): Answer {
  const service = pre.service;
  const protocol = protocolOf(req, service);
  const family: CodeFamily = service?.family ?? (protocol === "query" ? "query" : "json");
  try {
    if (pre.authError !== undefined) throw authError("incomplete", family, pre.authError);
    if (!pre.auth) throw missingAuthentication(family);
    if (!service) {
      const known = [...deps.services.keys()].join(", ");
      throw new AwsError(
        family === "query" ? "InvalidAction" : "UnknownOperationException",
        `The sandbox does not provide the service "${pre.auth.service}" named in the credential scope; it provides ${known}.`,
        400,
      );
    }
    const now = deps.now();
    const principal = authenticate(deps.accounts, req, pre.auth, family, now);
    const ctx: RequestContext = {
      accountId: principal.accountId,
      region: GLOBAL_SERVICES[service.def.signingName] ?? pre.auth.region,
      principal,
      requestId: req.requestId,
      now,
      // URLs in responses (SQS queue URLs) use the host the client reached us by.
      endpoint: `http://${header(req, "host") ?? "localhost"}`,
    };
    const answer = run(deps, service, protocol, req, ctx);
    return answer instanceof Promise ? answer.catch((e: unknown) => encodeError(protocol, service, asAwsError(e), req.requestId)) : answer;
  } catch (e) {
    return encodeError(protocol, service, asAwsError(e), req.requestId);
  }
}

function run(deps: DispatchDeps, service: WiredService, protocol: Protocol, req: WireRequest, ctx: RequestContext): Answer {
  const def = service.def;
  if (protocol === "json") {
    const target = header(req, "x-amz-target") ?? "";
    const dot = target.lastIndexOf(".");
    const prefix = dot < 0 ? "" : target.slice(0, dot);
    const name = dot < 0 ? target : target.slice(dot + 1);
    const op = prefix === def.targetPrefix ? service.operations.get(name) : undefined;
    if (!op) throw unknownOperation("json", target === "" ? "(no X-Amz-Target)" : target);
    const input = decodeJsonBody(req.body);
    authorize(deps.roles(), def.signingName, op, input, ctx);
    return then(op.handler(input as never, ctx), (output) => encodeJsonOutput(def, output, req.requestId));
  }
  if (protocol === "query") {
    const codec = def.query;
    const params = parseForm(req.body.length > 0 ? req.body.toString("utf8") : req.rawQuery);
    const action = params.Action;
    if (action === undefined || action === "") throw new AwsError("MissingAction", "The request must contain the parameter Action.", 400);
    const op = codec ? service.operations.get(action) : undefined;
    if (!op || !codec) throw unknownOperation("query", action);
    // Old-style SQS query calls post to the queue's URL instead of naming it.
    if (def.signingName === "sqs" && params.QueueUrl === undefined && req.rawPath !== "/" && req.rawPath !== "") {
      params.QueueUrl = `http://${header(req, "host") ?? "localhost"}${req.rawPath}`;
    }
    const input = codec.decode(action, params);
    authorize(deps.roles(), def.signingName, op, input, ctx);
    return then(op.handler(input as never, ctx), (output) => encodeQueryOutput(codec, action, (output ?? {}) as Record<string, unknown>, req.requestId));
  }
  const match = matchRoute(service.routes, req.method, req.rawPath);
  if (match === undefined || match === "method") {
    throw new AwsError("UnknownOperationException", `No ${def.signingName} operation matches ${req.method} ${req.rawPath.slice(0, 200)}.`, match === "method" ? 405 : 404);
  }
  const op = service.operations.get(match.route.operation);
  if (!op) throw unknownOperation("json", match.route.operation);
  const input = decodeRest(req, match);
  authorize(deps.roles(), def.signingName, op, input, ctx);
  return then(op.handler(input as never, ctx), (output) => encodeRestOutput(match.route, output as Record<string, unknown> | undefined, req.requestId));
}
