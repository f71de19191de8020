// Step Functions' errors as the wire carries them: each code declared once with the HTTP status
// AWS gives it (the SDK turns the code into its exception class; the CLI prints code and
// message), then the wordings Step Functions uses for particular situations, built on them.
import { errorCode } from "@/sandbox/core/error-codes";

export const InvalidDefinition = errorCode("InvalidDefinition", 400);
export const InvalidName = errorCode("InvalidName", 400);
export const InvalidArn = errorCode("InvalidArn", 400);
export const StateMachineAlreadyExists = errorCode("StateMachineAlreadyExists", 400);
export const StateMachineDoesNotExist = errorCode("StateMachineDoesNotExist", 400);
export const ExecutionDoesNotExist = errorCode("ExecutionDoesNotExist", 400);
export const ExecutionAlreadyExists = errorCode("ExecutionAlreadyExists", 400);
export const InvalidExecutionInput = errorCode("InvalidExecutionInput", 400);
export const StateMachineTypeNotSupported = errorCode("StateMachineTypeNotSupported", 400);
export const ValidationException = errorCode("ValidationException", 400);
export const MissingRequiredParameter = errorCode("MissingRequiredParameter", 400);
export const InvalidToken = errorCode("InvalidToken", 400);
/** AWS's common AccessDeniedException (HTTP 400 in Step Functions' Common Errors). */
export const AccessDeniedException = errorCode("AccessDeniedException", 400);

// ---- Step Functions' wordings -------------------------------------------------------------------

export const invalidName = (name: string) => InvalidName(`Invalid Name: '${name}'`);
/** An ARN of the wrong service, resource type or grammar for the operation. */
export const invalidResourceArn = (arn: string) => InvalidArn(`Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
export const invalidRoleArn = (value: string) => InvalidArn(`Invalid Role Arn: '${value}'`);
export const stateMachineAlreadyExists = (arn: string) => StateMachineAlreadyExists(`State Machine Already Exists: '${arn}'`);
export const stateMachineDoesNotExist = (arn: string) => StateMachineDoesNotExist(`State Machine Does Not Exist: '${arn}'`);
export const executionDoesNotExist = (arn: string) => ExecutionDoesNotExist(`Execution Does Not Exist: '${arn}'`);
export const executionAlreadyExists = (arn: string) => ExecutionAlreadyExists(`Execution Already Exists: '${arn}'`);
export const stateMachineTypeNotSupported = () => StateMachineTypeNotSupported("This operation is not supported by this type of state machine");
export const invalidToken = (token: string) => InvalidToken(`Invalid Token: '${token}'`);
/** A required member the request left out (or sent as null). */
export const missingMember = (member: string) =>
  ValidationException(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
/** A member whose value is not one of the enum's. */
export const notInEnum = (member: string, value: unknown, values: readonly string[]) =>
  ValidationException(`1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(", ")}]`);
/** Another account's resource: Step Functions has no resource-based policies that could allow it. */
export const notAuthorized = (caller: string, action: string, arn: string) =>
  AccessDeniedException(`User: ${caller} is not authorized to perform: ${action} on resource: ${arn} because no resource-based policy allows the ${action} action`);
/** iam:PassRole never lets a role of one account be handed to a service in another. */
export const crossAccountPassRole = () => AccessDeniedException("Cross-account pass role is not allowed.");
