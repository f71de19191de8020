// What a failed AWS call means for a check. The SDK's errors carry a code (`name`) and, from
// our client middleware, the IAM action of the call that failed; the grader turns them into
// results a learner can act on instead of stack traces.

export type ErrorKind = "not-found" | "access-denied" | "credentials" | "throttled" | "timeout" | "unreachable" | "other";

export interface ClassifiedError {
  kind: ErrorKind;
  /** The AWS error code, or the Node.js network code. */
  code: string;
  /** The IAM action of the failed call ("sqs:GetQueueAttributes"), when known. */
  action?: string;
  message: string;
}

/** The property our client middleware sets on an error thrown by a call (see clients.ts). */
export const ACTION_PROPERTY = "graderAction";

const NOT_FOUND = new Set([
  "NotFound", "NotFoundException", "ResourceNotFoundException", "NoSuchEntity", "NoSuchEntityException",
  "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist", "StateMachineDoesNotExist",
  "ExecutionDoesNotExist", "TopicNotFound",
]);
const ACCESS_DENIED = new Set([
  "AccessDenied", "AccessDeniedException", "AuthorizationError", "AuthorizationErrorException",
  "UnauthorizedOperation", "NotAuthorized", "Forbidden",
]);
const CREDENTIALS = new Set([
  "InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClientException", "ExpiredToken",
  "ExpiredTokenException", "InvalidAccessKeyId", "IncompleteSignature", "MissingAuthenticationToken",
  "CredentialsProviderError",
]);
const THROTTLED = new Set([
  "Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded",
  "RequestThrottled", "RequestThrottledException", "SlowDown", "ProvisionedThroughputExceededException",
  "ThrottledException", "AWS.SimpleQueueService.RequestThrottled",
]);
const TIMEOUT = new Set(["TimeoutError", "RequestTimeout", "RequestTimeoutException", "ETIMEDOUT", "ESOCKETTIMEDOUT", "AbortError"]);
const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "EPIPE"]);

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

/** "User: arn:... is not authorized to perform: sqs:GetQueueAttributes on resource: ..." */
const NOT_AUTHORIZED = /not authorized to perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)/i;

export function classifyError(err: unknown): ClassifiedError {
  const e = record(err);
  const code = String(e.Code ?? e.code ?? e.name ?? "Error");
  const message = typeof e.message === "string" && e.message !== "" ? e.message : String(err);
  const fromMessage = NOT_AUTHORIZED.exec(message)?.[1];
  const tagged = typeof e[ACTION_PROPERTY] === "string" ? (e[ACTION_PROPERTY] as string) : undefined;
  const action = fromMessage ?? tagged;
  const out = (kind: ErrorKind): ClassifiedError => (action ? { kind, code, action, message } : { kind, code, message });
  const status = record(e.$metadata).httpStatusCode;

  if (NOT_FOUND.has(code)) return out("not-found");
  if (ACCESS_DENIED.has(code) || fromMessage !== undefined) return out("access-denied");
  if (CREDENTIALS.has(code)) return out("credentials");
  if (THROTTLED.has(code) || status === 429) return out("throttled");
  if (TIMEOUT.has(code)) return out("timeout");
  if (UNREACHABLE.has(code) || UNREACHABLE.has(String(record(e.cause).code ?? ""))) return out("unreachable");
  if (status === 403) return out("access-denied");
  return out("other");
}

/** The IAM action for an SDK command: ("sqs", "GetQueueUrlCommand") → "sqs:GetQueueUrl". */
export function actionOf(servicePrefix: string, commandName: string): string {
  return `${servicePrefix}:${commandName.replace(/Command$/, "")}`;
}

/** A thrown value's text, for messages. */
export function errorText(err: unknown): string {
  const m = record(err).message;
  return typeof m === "string" && m !== "" ? m : String(err);
}
