// SQS's errors as the wire carries them: the JSON code (the SDK's exception name), the HTTP
// status, and the query-protocol code where the service's model gives it another one.
import { AwsError } from "@/sandbox/core/contracts";

const Q = "AWS.SimpleQueueService.";

export const QueueDoesNotExist = (message = "The specified queue does not exist.") =>
  new AwsError("QueueDoesNotExist", message, 400, { queryCode: `${Q}NonExistentQueue` });

export const QueueNameExists = (message: string) => new AwsError("QueueNameExists", message, 400, { queryCode: "QueueAlreadyExists" });

export const QueueDeletedRecently = (name: string) =>
  new AwsError(
    "QueueDeletedRecently",
    `You must wait 60 seconds after deleting a queue before you can create another with the same name. Queue: ${name}.`,
    400,
    { queryCode: `${Q}QueueDeletedRecently` },
  );

export const PurgeQueueInProgress = (queueArn: string) =>
  new AwsError("PurgeQueueInProgress", `Only one PurgeQueue operation on ${queueArn} is allowed every 60 seconds.`, 403, {
    queryCode: `${Q}PurgeQueueInProgress`,
  });

export const InvalidAttributeName = (message: string) => new AwsError("InvalidAttributeName", message, 400);

export const InvalidAttributeValue = (message: string) => new AwsError("InvalidAttributeValue", message, 400);

export const InvalidParameterValue = (message: string) => new AwsError("InvalidParameterValue", message, 400);

export const MissingParameter = (name: string) => new AwsError("MissingParameter", `The request must contain the parameter ${name}.`, 400);

export const InvalidMessageContents = (message: string) => new AwsError("InvalidMessageContents", message, 400);

export const InvalidAddress = (address: string) => new AwsError("InvalidAddress", `The address ${address} is not valid for this endpoint.`, 404);

export const ReceiptHandleIsInvalid = (handle: string) =>
  new AwsError("ReceiptHandleIsInvalid", `The input receipt handle "${handle}" is not a valid receipt handle.`, 404);

export const MessageNotInflight = () =>
  new AwsError("MessageNotInflight", "The message referred to isn't in flight.", 400, { queryCode: `${Q}MessageNotInflight` });

export const EmptyBatchRequest = (entryName: string) =>
  new AwsError("EmptyBatchRequest", `There should be at least one ${entryName} in the request.`, 400, { queryCode: `${Q}EmptyBatchRequest` });

export const TooManyEntriesInBatchRequest = (count: number) =>
  new AwsError("TooManyEntriesInBatchRequest", `Maximum number of entries per request are 10. You have sent ${count}.`, 400, {
    queryCode: `${Q}TooManyEntriesInBatchRequest`,
  });

export const BatchEntryIdsNotDistinct = (id: string) =>
  new AwsError("BatchEntryIdsNotDistinct", `Id ${id} repeated.`, 400, { queryCode: `${Q}BatchEntryIdsNotDistinct` });

export const InvalidBatchEntryId = () =>
  new AwsError(
    "InvalidBatchEntryId",
    "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.",
    400,
    { queryCode: `${Q}InvalidBatchEntryId` },
  );

export const BatchRequestTooLong = (limit: number, size: number) =>
  new AwsError("BatchRequestTooLong", `Batch requests cannot be longer than ${limit} bytes. You have sent ${size} bytes.`, 400, {
    queryCode: `${Q}BatchRequestTooLong`,
  });

export const UnsupportedOperation = (message: string) =>
  new AwsError("UnsupportedOperation", message, 400, { queryCode: `${Q}UnsupportedOperation` });

export const OverLimit = (message: string) => new AwsError("OverLimit", message, 403);

export const ResourceNotFoundException = (message: string) => new AwsError("ResourceNotFoundException", message, 404);

export const AccessDenied = (message: string) => new AwsError("AccessDenied", message, 403);

/** "Value X for parameter P is invalid. Reason: R." — AWS's wording for out-of-range request parameters. */
export const invalidParameter = (name: string, value: unknown, reason: string) =>
  InvalidParameterValue(`Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`);
