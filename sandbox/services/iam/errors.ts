// IAM's error codes as the query protocol carries them, each declared once with its HTTP status;
// the wordings AWS uses for particular situations are built on them below.
import { errorCode } from "@/sandbox/core/error-codes";

export const NoSuchEntity = errorCode("NoSuchEntity", 404);
export const EntityAlreadyExists = errorCode("EntityAlreadyExists", 409);
export const DeleteConflict = errorCode("DeleteConflict", 409);
export const LimitExceeded = errorCode("LimitExceeded", 409);
export const MalformedPolicyDocument = errorCode("MalformedPolicyDocument", 400);
export const InvalidInput = errorCode("InvalidInput", 400);
export const ValidationError = errorCode("ValidationError", 400);
export const AccessDenied = errorCode("AccessDenied", 403);

// ---- AWS's wordings ---------------------------------------------------------------------------

export const roleNotFound = (name: string) => NoSuchEntity(`The role with name ${name} cannot be found.`);
export const rolePolicyNotFound = (name: string) => NoSuchEntity(`The role policy with name ${name} cannot be found.`);
export const policyNotFound = (arn: string) => NoSuchEntity(`Policy ${arn} was not found.`);
export const policyNotAttachable = (arn: string) => NoSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
export const policyVersionNotFound = (arn: string, versionId: string) =>
  NoSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);

/** A policy ARN of another account: IAM has no resource policies, so nothing could allow it. */
export const policyAccessDenied = (caller: string, action: string, arn: string) =>
  AccessDenied(`User: ${caller} is not authorized to perform: iam:${action} on resource: policy ${arn} because no resource-based policy allows the iam:${action} action`);

export const quotaExceeded = (quota: string, limit: number) => LimitExceeded(`Cannot exceed quota for ${quota}: ${limit}`);

/** A required member is missing; `member` is its camelCase name, as AWS's validation layer words it. */
export const memberMustNotBeNull = (member: string) =>
  ValidationError(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);

/** A member that breaks its constraint ("Member must have value between 1 and 1000"…). */
export const memberConstraint = (value: string, member: string, constraint: string) =>
  ValidationError(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`);
