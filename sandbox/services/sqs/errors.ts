// SQS's errors as the wire carries them: the JSON code (the SDK's exception name), the HTTP
// status, and the query-protocol code where the service's model gives it another one. Each code
// is declared once; the wordings AWS uses for particular situations are built on them below.
import { errorCode } from "@/sandbox/core/error-codes";

const Q = "AWS.SimpleQueueService.";

export const QueueDoesNotExist = errorCode("QueueDoesNotExist", 400, { queryCode: `${Q}NonExistentQueue` });
export const QueueNameExists = errorCode("QueueNameExists", 400, { queryCode: "QueueAlreadyExists" });
export const QueueDeletedRecently = errorCode("QueueDeletedRecently", 400, { queryCode: `${Q}QueueDeletedRecently` });
export const PurgeQueueInProgress = errorCode("PurgeQueueInProgress", 403, { queryCode: `${Q}PurgeQueueInProgress` });
export const InvalidAttributeName = errorCode("InvalidAttributeName", 400);
export const InvalidAttributeValue = errorCode("InvalidAttributeValue", 400);
export const InvalidParameterValue = errorCode("InvalidParameterValue", 400);
export const MissingParameter = errorCode("MissingParameter", 400);
export const InvalidMessageContents = errorCode("InvalidMessageContents", 400);
export const InvalidAddress = errorCode("InvalidAddress", 404);
export const ReceiptHandleIsInvalid = errorCode("ReceiptHandleIsInvalid", 404);
export const MessageNotInflight = errorCode("MessageNotInflight", 400, { queryCode: `${Q}MessageNotInflight` });
export const EmptyBatchRequest = errorCode("EmptyBatchRequest", 400, { queryCode: `${Q}EmptyBatchRequest` });
export const TooManyEntriesInBatchRequest = errorCode("TooManyEntriesInBatchRequest", 400, { queryCode: `${Q}TooManyEntriesInBatchRequest` });
export const BatchEntryIdsNotDistinct = errorCode("BatchEntryIdsNotDistinct", 400, { queryCode: `${Q}BatchEntryIdsNotDistinct` });
export const InvalidBatchEntryId = errorCode("InvalidBatchEntryId", 400, { queryCode: `${Q}InvalidBatchEntryId` });
export const BatchRequestTooLong = errorCode("BatchRequestTooLong", 400, { queryCode: `${Q}BatchRequestTooLong` });
export const UnsupportedOperation = errorCode("UnsupportedOperation", 400, { queryCode: `${Q}UnsupportedOperation` });
export const ResourceNotFoundException = errorCode("ResourceNotFoundException", 404);
export const AccessDenied = errorCode("AccessDenied", 403);

// ---- AWS's wordings ---------------------------------------------------------------------------

export const queueDoesNotExist = () => QueueDoesNotExist("The specified queue does not exist.");

export const queueDeletedRecently = (name: string) =>
  QueueDeletedRecently(`You must wait 60 seconds after deleting a queue before you can create another with the same name. Queue: ${name}.`);

export const purgeQueueInProgress = (queueArn: string) => PurgeQueueInProgress(`Only one PurgeQueue operation on ${queueArn} is allowed every 60 seconds.`);

export const missingParameter = (name: string) => MissingParameter(`The request must contain the parameter ${name}.`);

export const invalidAddress = (address: string) => InvalidAddress(`The address ${address} is not valid for this endpoint.`);

export const receiptHandleIsInvalid = (handle: string) => ReceiptHandleIsInvalid(`The input receipt handle "${handle}" is not a valid receipt handle.`);

export const messageNotInflight = () => MessageNotInflight("The message referred to isn't in flight.");

export const emptyBatchRequest = (entryName: string) => EmptyBatchRequest(`There should be at least one ${entryName} in the request.`);

export const tooManyEntriesInBatchRequest = (count: number) =>
  TooManyEntriesInBatchRequest(`Maximum number of entries per request are 10. You have sent ${count}.`);

export const batchEntryIdsNotDistinct = (id: string) => BatchEntryIdsNotDistinct(`Id ${id} repeated.`);

export const invalidBatchEntryId = () =>
  InvalidBatchEntryId("A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.");

export const batchRequestTooLong = (limit: number, size: number) =>
  BatchRequestTooLong(`Batch requests cannot be longer than ${limit} bytes. You have sent ${size} bytes.`);

/** "Value X for parameter P is invalid. Reason: R." — AWS's wording for out-of-range request parameters. */
export const invalidParameter = (name: string, value: unknown, reason: string) =>
  InvalidParameterValue(`Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`);
