// EventBridge's error codes, each declared once with the HTTP status AWS gives it (every one is
// 400 in EventBridge's model, AccessDeniedException included). Messages are passed in by the
// caller because AWS words them per situation; the wordings used in several places follow.
import { errorCode } from "@/sandbox/core/error-codes";

export const ValidationException = errorCode("ValidationException", 400);
export const ResourceNotFoundException = errorCode("ResourceNotFoundException", 400);
export const ResourceAlreadyExistsException = errorCode("ResourceAlreadyExistsException", 400);
export const InvalidEventPatternException = errorCode("InvalidEventPatternException", 400);
export const LimitExceededException = errorCode("LimitExceededException", 400);
/** A member of the wrong JSON type: AWS's JSON protocol rejects it before validation. */
export const SerializationException = errorCode("SerializationException", 400);
/** AWS's common AccessDeniedException (HTTP 400 in EventBridge's Common Errors). */
export const AccessDeniedException = errorCode("AccessDeniedException", 400);

/** iam:PassRole never lets a role of one account be handed to a service in another. */
export const crossAccountPassRole = () => AccessDeniedException("Cross-account pass role is not allowed.");

export const ruleNotFound = (rule: string, bus: string) => ResourceNotFoundException(`Rule ${rule} does not exist on EventBus ${bus}.`);

export const busNotFound = (bus: string) => ResourceNotFoundException(`Event bus ${bus} does not exist.`);

export const invalidSchedule = () => ValidationException("Parameter ScheduleExpression is not valid.");

export const invalidArn = (arn: string) => ValidationException(`Parameter ${arn} is not valid. Reason: Provided Arn is not in correct format.`);

/**
 * A bus-to-bus delivery the target bus refused: its PutEvents entry's code and message, as the
 * entry gave them (AccessDeniedException, NotAuthorizedForSourceException…), so the failure
 * EventBridge records names the target's reason.
 */
export const entryRefused = (code: string, message: string) => errorCode(code, 400)(message);
