// IAM's error codes, as the query protocol carries them.
import { AwsError } from "@/sandbox/core/contracts";

export const noSuchEntity = (message: string) => new AwsError("NoSuchEntity", message, 404);
export const entityAlreadyExists = (message: string) => new AwsError("EntityAlreadyExists", message, 409);
export const deleteConflict = (message: string) => new AwsError("DeleteConflict", message, 409);
export const limitExceeded = (message: string) => new AwsError("LimitExceeded", message, 409);
export const malformedPolicyDocument = (message: string) => new AwsError("MalformedPolicyDocument", message, 400);
export const invalidInput = (message: string) => new AwsError("InvalidInput", message, 400);
export const validationError = (message: string) => new AwsError("ValidationError", message, 400);
