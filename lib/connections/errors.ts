import { DomainError } from "@/lib/errors";

/** A connection could not be set up or changed; the message is safe to show the learner. */
export class ConnectionSetupError extends DomainError {
  constructor(message: string, status = 400) {
    super(message, status);
  }
}
