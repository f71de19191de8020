// The only calls the sandbox answers without credentials, as AWS does: SNS's SubscribeURL
// (ConfirmSubscription with the topic and its token) and the unsubscribe link (Unsubscribe with
// the subscription ARN). Whoever holds the link may use it; the call acts in the account that
// owns the topic. It is decided on the request already parsed (parse-request.ts), and runs with
// exactly the members the link carries: nothing else in the request reaches the handler.
import { isAccountId, isRegion } from "./aws-names";
import type { ParsedRequest } from "./parse-request";

export interface UnsignedCall {
  parsed: ParsedRequest;
  accountId: string;
  region: string;
}

// arn:aws:sns:<region>:<account>:<topic>[:<subscription id>]
const SNS_ARN = /^arn:aws:sns:([^:]+):([^:]+):[A-Za-z0-9_-]{1,256}(?:\.fifo)?(?::([A-Za-z0-9-]{1,100}))?$/;

function owner(arn: unknown, subscription: boolean): { region: string; accountId: string } | undefined {
  const m = typeof arn === "string" ? SNS_ARN.exec(arn) : null;
  if (!m || (m[3] !== undefined) !== subscription) return undefined;
  const region = m[1] as string;
  const accountId = m[2] as string;
  return isRegion(region) && isAccountId(accountId) ? { region, accountId } : undefined;
}

/** The call to run for an unsigned request, or undefined when it is not one AWS answers unsigned. */
export function unsignedCall(parsed: ParsedRequest): UnsignedCall | undefined {
  if (parsed.service.def.signingName !== "sns" || parsed.protocol !== "query") return undefined;
  const input = parsed.input;
  if (parsed.operation === "ConfirmSubscription") {
    const scope = owner(input.TopicArn, false);
    if (!scope || typeof input.Token !== "string" || input.Token === "") return undefined;
    // Not AuthenticateOnUnsubscribe: AWS honours it only on a signed confirmation.
    return { parsed: { ...parsed, input: { TopicArn: input.TopicArn, Token: input.Token } }, ...scope };
  }
  if (parsed.operation === "Unsubscribe") {
    const scope = owner(input.SubscriptionArn, true);
    if (!scope) return undefined;
    return { parsed: { ...parsed, input: { SubscriptionArn: input.SubscriptionArn } }, ...scope };
  }
  return undefined;
}
