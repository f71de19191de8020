// SNS's InvalidParameter texts. The prefix depends on the API that carried the policy: Subscribe
// wraps it as "Attributes Reason:", SetSubscriptionAttributes does not (both recorded from AWS in
// ../shared/conformance/sns-filter-policy.aws-snapshot.json).

export type SnsApi = "Subscribe" | "SetSubscriptionAttributes";

export type SnsPolicyError = { code: "InvalidParameter"; message: string };

export class PolicyError extends Error {
  /** true for messages SNS words without the "FilterPolicy: " label. */
  constructor(
    message: string,
    readonly unlabeled = false,
  ) {
    super(message);
  }
}

export function policyError(api: SnsApi, reason: string, unlabeled = false): SnsPolicyError {
  const prefix = api === "Subscribe" ? "Invalid parameter: Attributes Reason: " : "Invalid parameter: ";
  return { code: "InvalidParameter", message: `${prefix}${unlabeled ? "" : "FilterPolicy: "}${reason}` };
}

export function scopeError(scope: unknown): SnsPolicyError {
  return {
    code: "InvalidParameter",
    message: `Invalid parameter: FilterPolicyScope: Invalid value [${String(scope)}]. Please use either MessageBody or MessageAttributes`,
  };
}
