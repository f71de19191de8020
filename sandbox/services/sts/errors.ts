// STS's error codes as the query protocol carries them, each declared once with its HTTP status;
// the wordings AWS uses for particular situations are built on them below.
import { errorCode } from "@/sandbox/core/error-codes";

export const AccessDenied = errorCode("AccessDenied", 403);
export const ValidationError = errorCode("ValidationError", 400);

// ---- AWS's wordings ---------------------------------------------------------------------------

export const invalidRoleArn = () => ValidationError("Request ARN is invalid");

/** AssumeRole's one refusal, whatever the cause (no such role, untrusted caller, wrong ExternalId). */
export const notAuthorizedToAssume = (caller: string, roleArn: string) =>
  AccessDenied(`User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);

/** A required member is missing; `member` is its camelCase name, as AWS's validation layer words it. */
export const memberMustNotBeNull = (member: string) =>
  ValidationError(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);

/** A member that breaks its constraint ("Member must have length greater than or equal to 20"…). */
export const memberConstraint = (value: string, member: string, constraint: string) =>
  ValidationError(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`);
