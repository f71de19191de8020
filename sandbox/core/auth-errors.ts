// The errors AWS gives before an operation runs (authentication, routing, limits), in the two
// families of codes: query-protocol services (SQS, SNS, STS, IAM) and JSON/REST services
// (EventBridge, Step Functions, Lambda). SQS answers query codes even over JSON.
import { AwsError } from "./contracts";

export type CodeFamily = "query" | "json";

const CODES = {
  missingToken: { query: "MissingAuthenticationToken", json: "MissingAuthenticationTokenException" },
  incomplete: { query: "IncompleteSignature", json: "IncompleteSignatureException" },
  invalidToken: { query: "InvalidClientTokenId", json: "UnrecognizedClientException" },
  mismatch: { query: "SignatureDoesNotMatch", json: "InvalidSignatureException" },
  expiredToken: { query: "ExpiredToken", json: "ExpiredTokenException" },
} as const;

export function authError(kind: keyof typeof CODES, family: CodeFamily, message: string): AwsError {
  return new AwsError(CODES[kind][family], message, 403);
}

export const missingAuthentication = (family: CodeFamily) =>
  authError("missingToken", family, family === "query" ? "Request is missing Authentication Token" : "Missing Authentication Token");
export const invalidToken = (family: CodeFamily) =>
  authError("invalidToken", family, "The security token included in the request is invalid.");
export const expiredToken = (family: CodeFamily) =>
  authError("expiredToken", family, "The security token included in the request is expired");

/** The AccessDenied code each service uses (AWS is not consistent). */
const ACCESS_DENIED: Record<string, string> = {
  sqs: "AccessDenied",
  sns: "AuthorizationError",
  sts: "AccessDenied",
  iam: "AccessDenied",
  events: "AccessDeniedException",
  states: "AccessDeniedException",
  lambda: "AccessDeniedException",
};

export function accessDenied(service: string, message: string): AwsError {
  const code = ACCESS_DENIED[service] ?? "AccessDenied";
  // SQS over query says AccessDenied too; over JSON the SDK maps via the query code.
  return new AwsError(code, message, 403, service === "sqs" ? { queryCode: "AccessDenied" } : {});
}

export function unknownOperation(family: CodeFamily, operation: string): AwsError {
  return family === "query"
    ? new AwsError("InvalidAction", `The action ${operation} is not valid for this web service.`, 400)
    : new AwsError("UnknownOperationException", `The operation ${operation} is not valid for this web service.`, 400);
}

export function internalError(): AwsError {
  return new AwsError("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", 500);
}
