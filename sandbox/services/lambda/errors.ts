// Lambda's error codes, each declared once with the HTTP status the Lambda API gives it, so the
// SDK and the CLI raise the matching exception class; then the wordings Lambda uses for
// particular situations.
import { errorCode } from "@/sandbox/core/error-codes";

export const ResourceNotFoundException = errorCode("ResourceNotFoundException", 404);
export const ResourceConflictException = errorCode("ResourceConflictException", 409);
export const InvalidParameterValueException = errorCode("InvalidParameterValueException", 400);
/** The Smithy-style message AWS gives when an input breaks a modelled constraint. */
export const ValidationException = errorCode("ValidationException", 400);
export const AccessDeniedException = errorCode("AccessDeniedException", 403);
export const InvalidSignatureException = errorCode("InvalidSignatureException", 403);
export const RequestTooLargeException = errorCode("RequestTooLargeException", 413);
export const InvalidRequestContentException = errorCode("InvalidRequestContentException", 400);
export const PreconditionFailedException = errorCode("PreconditionFailedException", 412);
/**
 * Lambda answers ServiceException with 500; the sandbox raises it only to refuse running code
 * (executionDisabled), and with 400 so that clients do not retry a refusal retrying cannot change.
 */
export const ServiceException = errorCode("ServiceException", 400);

/** Lambda's wording for a resource (a policy, a mapping) that is not there. */
export const noSuchResource = () => ResourceNotFoundException("The resource you requested does not exist.");

export const functionNotFound = (arn: string) => ResourceNotFoundException(`Function not found: ${arn}`);

/** What Lambda answers when neither the caller's account nor the function's resource policy lets it act. */
export const notAuthorized = (who: string, action: string, resource: string) =>
  AccessDeniedException(
    `User: ${who} is not authorized to perform: ${action} on resource: ${resource} because no resource-based policy allows the ${action} action`,
  );

/** A function ARN naming another region than the endpoint's (AWS's wording and status). */
export const notReachable = (functionRegion: string, requestRegion: string) =>
  ResourceNotFoundException(`Functions from '${functionRegion}' are not reachable in this region ('${requestRegion}')`);

/** iam:PassRole: a function's role must be in the caller's own account. */
export const crossAccountPassRole = () => AccessDeniedException("Cross-account pass role is not allowed.");

/** An event source the function's execution role cannot read (checked when the mapping is made). */
export const executionRoleCannot = (action: string, service: string) =>
  InvalidParameterValueException(`The function execution role does not have permissions to call ${action} on ${service}`);

/** A credential scope whose region is not a region (`..`, `us-east-1/..`): refused before anything else. */
export const invalidRegion = (region: string) => InvalidSignatureException(`Credential should be scoped to a valid region, not '${region}'.`);

/** A runtime other than Node.js and Python: the sandbox runs no other. */
export const runtimeNotSupported = (runtime: string) =>
  InvalidParameterValueException(`Runtime ${runtime} is not supported by this sandbox: use a Node.js or Python runtime.`);

/** Hosted sandboxes do not run learner code unless the operator opts in. */
export const executionDisabled = () =>
  ServiceException("Running function code is turned off on this sandbox (SANDBOX_LAMBDA_EXEC=off).");
