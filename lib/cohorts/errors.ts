// The cohort layer's own refusals, each a DomainError with a sentence safe to show.
import { DomainError } from "../errors";

/** Input a form or request got wrong (422): the message says what to change. */
export class CohortInputError extends DomainError {
  constructor(message: string) {
    super(message, 422);
  }
}

/** A join code that names no cohort. Worded for the learner who typed it. */
export class UnknownJoinCodeError extends DomainError {
  constructor() {
    super("No cohort has that join code. Check the code with your instructor and try again.", 404);
  }
}

export class TooManyJoinAttemptsError extends DomainError {
  constructor(readonly retryAfter: number) {
    super(`You have tried many join codes in the last minute. Try again in ${retryAfter} ${retryAfter === 1 ? "second" : "seconds"}.`, 429);
  }
}
