// Lambda's error codes, with the HTTP status and wording the Lambda API uses, so the SDK and the
// CLI raise the matching exception class.
import { AwsError } from "@/sandbox/core/contracts";

export const resourceNotFound = (message: string) => new AwsError("ResourceNotFoundException", message, 404);

export const functionNotFound = (arn: string) => resourceNotFound(`Function not found: ${arn}`);

export const resourceConflict = (message: string) => new AwsError("ResourceConflictException", message, 409);

export const invalidParameter = (message: string) => new AwsError("InvalidParameterValueException", message, 400);

/** The Smithy-style message AWS gives when an input breaks a modelled constraint. */
export const validation = (message: string) => new AwsError("ValidationException", message, 400);

export const accessDenied = (message: string) => new AwsError("AccessDeniedException", message, 403);

/** What Lambda answers when neither the caller's account nor the function's resource policy lets it act. */
export const notAuthorized = (who: string, action: string, resource: string) =>
  accessDenied(`User: ${who} is not authorized to perform: ${action} on resource: ${resource} because no resource-based policy allows the ${action} action`);

/** A function ARN naming another region than the endpoint's (AWS's wording and status). */
export const notReachable = (functionRegion: string, requestRegion: string) =>
  resourceNotFound(`Functions from '${functionRegion}' are not reachable in this region ('${requestRegion}')`);

/** iam:PassRole: a function's role must be in the caller's own account. */
export const crossAccountPassRole = () => accessDenied("Cross-account pass role is not allowed.");

/** An event source the function's execution role cannot read (checked when the mapping is made). */
export const executionRoleCannot = (action: string, service: string) =>
  invalidParameter(`The function execution role does not have permissions to call ${action} on ${service}`);

/** A credential scope whose region is not a region (`..`, `us-east-1/..`): refused before anything else. */
export const invalidRegion = (region: string) =>
  new AwsError("InvalidSignatureException", `Credential should be scoped to a valid region, not '${region}'.`, 403);

export const requestTooLarge = (message: string) => new AwsError("RequestTooLargeException", message, 413);

export const invalidRequestContent = (message: string) => new AwsError("InvalidRequestContentException", message, 400);

export const preconditionFailed = (message: string) => new AwsError("PreconditionFailedException", message, 412);

/**
 * Hosted sandboxes do not run learner code unless the operator opts in. 400 rather than
 * Lambda's usual 500 for ServiceException, so that clients do not retry a refusal that
 * retrying cannot change.
 */
export const executionDisabled = () =>
  new AwsError(
    "ServiceException",
    "Running function code is turned off on this hosted sandbox; ask the operator to set SANDBOX_LAMBDA_EXEC=on.",
    400,
  );
