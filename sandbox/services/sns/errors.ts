// SNS's error codes (the query codes of @aws-sdk/client-sns's exceptions), each declared once with
// its HTTP status; the wordings AWS uses for particular situations are built on them below.
import { errorCode } from "@/sandbox/core/error-codes";

/** A topic or subscription that does not exist. */
export const NotFound = errorCode("NotFound", 404);
/** Most of SNS's validation failures; the message is the whole text, "Invalid parameter: …" included. */
export const InvalidParameter = errorCode("InvalidParameter", 400);
/** SNS words message-attribute problems with this code (the SDK's InvalidParameterValueException). */
export const ParameterValueInvalid = errorCode("ParameterValueInvalid", 400);
export const AuthorizationError = errorCode("AuthorizationError", 403);
/** Tagging APIs name a missing topic this way rather than NotFound. */
export const ResourceNotFound = errorCode("ResourceNotFound", 404);
export const TagLimitExceeded = errorCode("TagLimitExceeded", 400);
export const EmptyBatchRequest = errorCode("EmptyBatchRequest", 400);
export const TooManyEntriesInBatchRequest = errorCode("TooManyEntriesInBatchRequest", 400);
export const BatchEntryIdsNotDistinct = errorCode("BatchEntryIdsNotDistinct", 400);
export const InvalidBatchEntryId = errorCode("InvalidBatchEntryId", 400);
export const BatchRequestTooLong = errorCode("BatchRequestTooLong", 400);
/** AWS's request validation layer (a required member missing). */
export const ValidationError = errorCode("ValidationError", 400);
export const InternalError = errorCode("InternalError", 500);

// ---- AWS's wordings ---------------------------------------------------------------------------

export const topicNotFound = () => NotFound("Topic does not exist");
export const subscriptionNotFound = () => NotFound("Subscription does not exist");
export const resourceNotFound = () => ResourceNotFound("Resource does not exist");
export const tagLimitExceeded = () => TagLimitExceeded("Could not complete request: tag quota of per resource exceeded");
export const emptyBatchRequest = () => EmptyBatchRequest("The batch request doesn't contain any entries.");
export const tooManyEntriesInBatchRequest = () => TooManyEntriesInBatchRequest("The batch request contains more entries than permissible.");
export const batchEntryIdsNotDistinct = () => BatchEntryIdsNotDistinct("Two or more batch entries in the request have the same Id.");
export const invalidBatchEntryId = () => InvalidBatchEntryId("The Id of a batch entry in a batch request doesn't abide by the specification.");
export const batchRequestTooLong = () => BatchRequestTooLong("The length of all the messages put together is more than the limit.");
export const internalError = () => InternalError("Internal Error");

/** A required member is missing; `member` is its camelCase name, as AWS's validation layer words it. */
export const memberMustNotBeNull = (member: string) =>
  ValidationError(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);

/** `User: <who> is not authorized to perform: <action> on resource: <arn>`, with AWS's reason where it gives one. */
export const notAuthorized = (who: string, action: string, resource: string, why?: string) =>
  AuthorizationError(`User: ${who} is not authorized to perform: ${action} on resource: ${resource}${why === undefined ? "" : ` ${why}`}`);

/** An unsigned Unsubscribe (the link) of a subscription confirmed with AuthenticateOnUnsubscribe=true. */
export const unsubscribeRequiresAuthentication = () => AuthorizationError("Unsubscribe requires authentication");
