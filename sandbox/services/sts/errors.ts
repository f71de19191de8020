// STS's error codes, as the query protocol carries them.
import { AwsError } from "@/sandbox/core/contracts";

export const accessDenied = (message: string) => new AwsError("AccessDenied", message, 403);
export const validationError = (message: string) => new AwsError("ValidationError", message, 400);
export const malformedPolicyDocument = (message: string) => new AwsError("MalformedPolicyDocument", message, 400);
