// The webhook layer's refusals: DomainErrors whose message is safe to show as it is.
import { DomainError } from "@/lib/errors";

/** A URL or request the instructor can fix (422): the message says what to change. */
export class WebhookInputError extends DomainError {
  constructor(message: string) {
    super(message, 422);
  }
}

export class TooManyWebhooksError extends DomainError {
  constructor(max: number) {
    super(`A cohort can have at most ${max} webhooks. Delete one you no longer use first.`, 409);
  }
}
