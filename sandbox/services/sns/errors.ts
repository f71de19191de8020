// SNS's error codes (the query codes of @aws-sdk/client-sns's exceptions), one factory each so
// a handler cannot get a code's HTTP status wrong.
import { AwsError } from "@/sandbox/core/contracts";

/** A topic or subscription that does not exist: "Topic does not exist", "Subscription does not exist". */
export class NotFound extends AwsError {
  constructor(message = "Topic does not exist") {
    super("NotFound", message, 404);
  }
}

/** Most of SNS's validation failures; `message` is the whole text, "Invalid parameter: …" included. */
export class InvalidParameter extends AwsError {
  constructor(message: string) {
    super("InvalidParameter", message, 400);
  }
}

/** SNS words message-attribute problems with this code (the SDK's InvalidParameterValueException). */
export class ParameterValueInvalid extends AwsError {
  constructor(message: string) {
    super("ParameterValueInvalid", message, 400);
  }
}

export class AuthorizationError extends AwsError {
  constructor(message: string) {
    super("AuthorizationError", message, 403);
  }
}

/** Tagging APIs name a missing topic this way rather than NotFound. */
export class ResourceNotFound extends AwsError {
  constructor(message = "Resource does not exist") {
    super("ResourceNotFound", message, 404);
  }
}

export class TagLimitExceeded extends AwsError {
  constructor(message = "Could not complete request: tag quota of per resource exceeded") {
    super("TagLimitExceeded", message, 400);
  }
}

export class EmptyBatchRequest extends AwsError {
  constructor(message = "The batch request doesn't contain any entries.") {
    super("EmptyBatchRequest", message, 400);
  }
}

export class TooManyEntriesInBatchRequest extends AwsError {
  constructor(message = "The batch request contains more entries than permissible.") {
    super("TooManyEntriesInBatchRequest", message, 400);
  }
}

export class BatchEntryIdsNotDistinct extends AwsError {
  constructor(message = "Two or more batch entries in the request have the same Id.") {
    super("BatchEntryIdsNotDistinct", message, 400);
  }
}

export class InvalidBatchEntryId extends AwsError {
  constructor(message = "The Id of a batch entry in a batch request doesn't abide by the specification.") {
    super("InvalidBatchEntryId", message, 400);
  }
}

export class BatchRequestTooLong extends AwsError {
  constructor(message = "The length of all the messages put together is more than the limit.") {
    super("BatchRequestTooLong", message, 400);
  }
}

/** A required member is missing: the wording of AWS's request validation layer. */
export class ValidationError extends AwsError {
  constructor(member: string) {
    super("ValidationError", `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`, 400);
  }
}

export class InternalError extends AwsError {
  constructor(message = "Internal Error") {
    super("InternalError", message, 500);
  }
}
