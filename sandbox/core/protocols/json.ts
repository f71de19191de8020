// AWS JSON 1.0/1.1: `X-Amz-Target: Prefix.Operation`, a JSON object in, a JSON object out;
// errors as `{"__type": "...#Code", "message": "..."}`. Services that also speak query (SQS)
// are "query compatible": their errors carry `x-amzn-query-error: QueryCode;Sender` so the SDK
// maps them to the same exception classes as the query protocol.
import type { AwsError, ServiceDefinition } from "../contracts";
import { AwsError as AwsErrorClass } from "../contracts";
import type { WireResponse } from "../wire";

export function decodeJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw new AwsErrorClass("SerializationException", "The request body is not valid JSON.", 400, { queryCode: "MalformedInput" });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new AwsErrorClass("SerializationException", "The request body must be a JSON object.", 400, { queryCode: "MalformedInput" });
  }
  return parsed as Record<string, unknown>;
}

export function jsonContentType(def: ServiceDefinition): string {
  return `application/x-amz-json-${def.jsonVersion ?? "1.0"}`;
}

export function encodeJsonOutput(def: ServiceDefinition, output: unknown, requestId: string): WireResponse {
  return {
    status: 200,
    headers: { "content-type": jsonContentType(def), "x-amzn-requestid": requestId },
    body: JSON.stringify(output ?? {}),
  };
}

export function encodeJsonError(def: ServiceDefinition | undefined, err: AwsError, requestId: string): WireResponse {
  const namespace = def ? `com.amazonaws.${def.signingName}` : "com.amazon.coral.service";
  const headers: Record<string, string> = {
    "content-type": def ? jsonContentType(def) : "application/x-amz-json-1.0",
    "x-amzn-requestid": requestId,
  };
  if (def?.query) headers["x-amzn-query-error"] = `${err.queryCode ?? err.code};${err.senderFault ? "Sender" : "Receiver"}`;
  return { status: err.status, headers, body: JSON.stringify({ __type: `${namespace}#${err.code}`, message: err.message }) };
}
