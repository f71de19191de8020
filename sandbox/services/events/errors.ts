// EventBridge's error codes, each with the HTTP status AWS gives it. Messages are passed in by the
// caller because AWS words them per situation ("Rule x does not exist on EventBus y.").
import { AwsError } from "@/sandbox/core/contracts";

export class ValidationException extends AwsError {
  constructor(message: string) {
    super("ValidationException", message, 400);
  }
}

export class ResourceNotFoundException extends AwsError {
  constructor(message: string) {
    super("ResourceNotFoundException", message, 400);
  }
}

export class ResourceAlreadyExistsException extends AwsError {
  constructor(message: string) {
    super("ResourceAlreadyExistsException", message, 400);
  }
}

export class InvalidEventPatternException extends AwsError {
  constructor(message: string) {
    super("InvalidEventPatternException", message, 400);
  }
}

export class LimitExceededException extends AwsError {
  constructor(message: string) {
    super("LimitExceededException", message, 400);
  }
}

/** A member of the wrong JSON type: AWS's JSON protocol rejects it before validation. */
export class SerializationException extends AwsError {
  constructor(message: string) {
    super("SerializationException", message, 400);
  }
}

/** AWS's common AccessDeniedException (HTTP 400 in EventBridge's Common Errors). */
export class AccessDeniedException extends AwsError {
  constructor(message: string) {
    super("AccessDeniedException", message, 400);
  }
}

export const accessDenied = (message: string) => new AccessDeniedException(message);

/** iam:PassRole never lets a role of one account be handed to a service in another. */
export const crossAccountPassRole = () => new AccessDeniedException("Cross-account pass role is not allowed.");

export const ruleNotFound = (rule: string, bus: string) =>
  new ResourceNotFoundException(`Rule ${rule} does not exist on EventBus ${bus}.`);

export const busNotFound = (bus: string) => new ResourceNotFoundException(`Event bus ${bus} does not exist.`);

export const invalidSchedule = () => new ValidationException("Parameter ScheduleExpression is not valid.");
