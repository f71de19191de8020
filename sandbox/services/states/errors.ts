// Step Functions' error codes, worded as the service words them (the SDK turns each code into
// its exception class; the CLI prints the code and message).
import { AwsError } from "@/sandbox/core/contracts";

const e = (code: string) => (message: string) => new AwsError(code, message, 400);

export const invalidDefinition = e("InvalidDefinition");
export const invalidName = (name: string) => new AwsError("InvalidName", `Invalid Name: '${name}'`, 400);
export const invalidArn = (message: string) => new AwsError("InvalidArn", message, 400);
export const stateMachineAlreadyExists = (arn: string) => new AwsError("StateMachineAlreadyExists", `State Machine Already Exists: '${arn}'`, 400);
export const stateMachineDoesNotExist = (arn: string) => new AwsError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${arn}'`, 400);
export const executionDoesNotExist = (arn: string) => new AwsError("ExecutionDoesNotExist", `Execution Does Not Exist: '${arn}'`, 400);
export const executionAlreadyExists = (arn: string) => new AwsError("ExecutionAlreadyExists", `Execution Already Exists: '${arn}'`, 400);
export const invalidExecutionInput = e("InvalidExecutionInput");
export const stateMachineTypeNotSupported = () =>
  new AwsError("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine", 400);
export const validation = e("ValidationException");
export const missingRequiredParameter = e("MissingRequiredParameter");
export const invalidToken = (token: string) => new AwsError("InvalidToken", `Invalid Token: '${token}'`, 400);
/** AWS's common AccessDeniedException (HTTP 400 in Step Functions' Common Errors). */
export const accessDenied = (message: string) => new AwsError("AccessDeniedException", message, 400);
/** iam:PassRole never lets a role of one account be handed to a service in another. */
export const crossAccountPassRole = () => accessDenied("Cross-account pass role is not allowed.");
