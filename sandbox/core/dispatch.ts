// One AWS request from bytes to bytes: find the service (credential scope) and the protocol,
// authenticate, parse the operation and its input once (parse-request.ts), enforce IAM, run
// exactly that operation, encode. Every failure becomes an AWS-style error in the request's
// protocol.
import type { AwsError as AwsErrorType, RequestContext } from "./contracts";
import { AwsError } from "./contracts";
import type { AccountDirectory } from "./accounts";
import type { CodeFamily } from "./auth-errors";
import { authError, internalError, missingAuthentication } from "./auth-errors";
import type { AuthenticateOptions } from "./authenticate";
import { authenticate } from "./authenticate";
import { authorize } from "./authorize";
import type { HostPolicy } from "./host-policy";
import type { RoleDirectory } from "./identity";
import type { ParsedRequest } from "./parse-request";
import { parseRequest } from "./parse-request";
import { encodeJsonError, encodeJsonOutput } from "./protocols/json";
import { encodeQueryError, encodeQueryOutput } from "./protocols/query";
import { encodeRestError, encodeRestOutput } from "./protocols/rest-json";
import type { WiredService } from "./services";
import type { ParsedAuthorization } from "./sigv4";
import { parseAuthorization } from "./sigv4";
import type { UnsignedCall } from "./unsigned";
import { unsignedCall } from "./unsigned";
import type { Protocol, WireRequest, WireResponse } from "./wire";
import { header } from "./wire";

// IAM is global: whatever region the client signs for, its resources live in us-east-1.
const GLOBAL_SERVICES: Record<string, string> = { iam: "us-east-1" };

export interface DispatchDeps {
  services: Map<string, WiredService>;
  accounts: AccountDirectory;
  roles: () => RoleDirectory;
  now: () => number;
  /** The mode's rules for credentials (hosted: issued keys only). */
  auth: AuthenticateOptions;
  /** Which Host and Origin headers are answered (local mode: the sandbox's own addresses only). Set once the server listens. */
  hosts: HostPolicy;
}

/** What the server needs before reading the body: the service (for its size limit) or a parse failure. */
export interface Preflight {
  auth?: ParsedAuthorization;
  service?: WiredService;
  authError?: { reason: "incomplete" | "mismatch"; message: string };
}

export function preflight(deps: DispatchDeps, authorization: string | undefined): Preflight {
  if (authorization === undefined) return {};
  const parsed = parseAuthorization(authorization);
  if (!parsed.ok) {
    const service = parsed.service === undefined ? undefined : deps.services.get(parsed.service);
    const authError = { reason: parsed.reason, message: parsed.message };
    return service ? { service, authError } : { authError };
  }
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

const familyOf = (protocol: Protocol): CodeFamily => (protocol === "query" ? "query" : "json");

/** An answer now, or later when the operation waits (long polls, Lambda, executions). */
type Answer = WireResponse | Promise<WireResponse>;

/**
 * Never throws and never rejects: every failure is answered as an AWS error. It answers
 * synchronously when the operation does (most do), sparing each request a chain of promises.
 */
export function dispatch(deps: DispatchDeps, req: WireRequest, pre: Preflight): Answer {
  if (pre.auth === undefined && pre.authError === undefined) return dispatchUnsigned(deps, req);
  const service = pre.service;
  const protocol = protocolOf(req, service);
  try {
    const family = service?.family ?? familyOf(protocol);
    if (pre.authError !== undefined) throw authError(pre.authError.reason, family, pre.authError.message);
    const auth = pre.auth as ParsedAuthorization;
    if (!service) {
      const known = [...deps.services.keys()].join(", ");
      throw new AwsError(
        family === "query" ? "InvalidAction" : "UnknownOperationException",
        `The sandbox does not provide the service "${auth.service}" named in the credential scope; it provides ${known}.`,
        400,
      );
    }
    const now = deps.now();
    const principal = authenticate(deps.accounts, req, auth, family, now, deps.auth);
    const parsed = parseRequest(service, protocol, req);
    const ctx: RequestContext = {
      accountId: principal.accountId,
      region: GLOBAL_SERVICES[service.def.signingName] ?? auth.region,
      principal,
      requestId: req.requestId,
      now,
      // URLs in responses (SQS queue URLs) use the host the client reached us by.
      endpoint: `http://${header(req, "host") ?? "localhost"}`,
    };
    const answer = execute(deps, parsed, ctx);
    return answer instanceof Promise ? answer.catch((e: unknown) => encodeError(protocol, service, asAwsError(e), req.requestId)) : answer;
  } catch (e) {
    return encodeError(protocol, service, asAwsError(e), req.requestId);
  }
}

/** No credentials: only SNS's two links (unsigned.ts) are answered; anything else is MissingAuthenticationToken. */
function dispatchUnsigned(deps: DispatchDeps, req: WireRequest): Answer {
  const protocol = protocolOf(req, undefined);
  const sns = deps.services.get("sns");
  let call: UnsignedCall | undefined;
  if (sns !== undefined && protocolOf(req, sns) === "query") {
    try {
      call = unsignedCall(parseRequest(sns, "query", req));
    } catch {
      call = undefined; // a request that does not even parse is no link: it needs credentials
    }
  }
  if (call === undefined) return encodeError(protocol, undefined, missingAuthentication(familyOf(protocol)), req.requestId);
  const { parsed, accountId } = call;
  const ctx: RequestContext = {
    accountId,
    region: call.region,
    principal: { kind: "account", accountId, arn: `arn:aws:iam::${accountId}:root` },
    requestId: req.requestId,
    now: deps.now(),
    endpoint: `http://${header(req, "host") ?? "localhost"}`,
    unsigned: true,
  };
  try {
    const answer = execute(deps, parsed, ctx);
    return answer instanceof Promise ? answer.catch((e: unknown) => encodeError("query", sns, asAwsError(e), req.requestId)) : answer;
  } catch (e) {
    return encodeError("query", sns, asAwsError(e), req.requestId);
  }
}

/** Authorizes and runs the parsed operation, and encodes its output in the request's protocol. */
function execute(deps: DispatchDeps, parsed: ParsedRequest, ctx: RequestContext): Answer {
  authorize(deps.roles(), parsed.service.def.signingName, parsed.op, parsed.input, ctx);
  const output = parsed.op.handler(parsed.input, ctx);
  if (output instanceof Promise) return output.then((out: unknown) => encodeOutput(parsed, out, ctx.requestId));
  return encodeOutput(parsed, output, ctx.requestId);
}

function encodeOutput(parsed: ParsedRequest, output: unknown, requestId: string): WireResponse {
  const def = parsed.service.def;
  if (parsed.protocol === "json") return encodeJsonOutput(def, output, requestId);
  if (parsed.protocol === "query") {
    return encodeQueryOutput(def.query!, parsed.operation, (output ?? {}) as Record<string, unknown>, requestId);
  }
  return encodeRestOutput(parsed.route!, output as Record<string, unknown> | undefined, requestId);
}
