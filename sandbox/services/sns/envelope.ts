// The shapes SNS hands to subscribers: the JSON envelope (SQS, http/https), the Lambda event,
// and the SubscriptionConfirmation message. Field order follows AWS's, which some learners'
// code prints verbatim.
import { createHash } from "node:crypto";
import type { PublishedMessage, StoredAttribute, SubscriptionRecord } from "./models";

/**
 * The sandbox cannot sign with AWS's certificate. Subscribers that verify signatures must be
 * told so: the signature is a stable digest of the message, and the certificate URL names the
 * sandbox, so nobody mistakes it for AWS's.
 */
function signature(parts: string[]): string {
  return createHash("sha256").update(parts.join("\n")).digest("base64");
}

export interface Urls {
  /** The sandbox's own address, for SubscribeURL / UnsubscribeURL / SigningCertURL. */
  base: string;
}

const query = (params: Record<string, string>) => new URLSearchParams(params).toString();

export const unsubscribeUrl = (urls: Urls, subscriptionArn: string) => `${urls.base}/?${query({ Action: "Unsubscribe", SubscriptionArn: subscriptionArn })}`;
export const subscribeUrl = (urls: Urls, topicArn: string, token: string) =>
  `${urls.base}/?${query({ Action: "ConfirmSubscription", TopicArn: topicArn, Token: token })}`;
const certUrl = (urls: Urls) => `${urls.base}/_sandbox/sns/SimpleNotificationService-sandbox.pem`;

/** Notification attributes: `{Type, Value}` instead of Publish's `{DataType, StringValue|BinaryValue}`. */
export function envelopeAttributes(attributes: Record<string, StoredAttribute>): Record<string, { Type: string; Value: string }> {
  const out: Record<string, { Type: string; Value: string }> = {};
  for (const [name, a] of Object.entries(attributes)) out[name] = { Type: a.DataType, Value: a.StringValue ?? a.BinaryValue ?? "" };
  return out;
}

export function notificationEnvelope(m: PublishedMessage, sub: SubscriptionRecord, urls: Urls): Record<string, unknown> {
  const timestamp = new Date(m.timestamp).toISOString();
  const out: Record<string, unknown> = { Type: "Notification", MessageId: m.messageId };
  if (m.sequenceNumber !== undefined) out.SequenceNumber = m.sequenceNumber;
  out.TopicArn = m.topicArn;
  if (m.subject !== undefined) out.Subject = m.subject;
  out.Message = m.message;
  out.Timestamp = timestamp;
  out.SignatureVersion = "1";
  out.Signature = signature([m.messageId, m.topicArn, m.message, timestamp]);
  out.SigningCertURL = certUrl(urls);
  out.UnsubscribeURL = unsubscribeUrl(urls, sub.arn);
  if (Object.keys(m.attributes).length > 0) out.MessageAttributes = envelopeAttributes(m.attributes);
  return out;
}

/** The event Lambda receives: note `SigningCertUrl`/`UnsubscribeUrl` and `Subject: null`, as AWS sends them. */
export function lambdaEvent(m: PublishedMessage, sub: SubscriptionRecord, urls: Urls): Record<string, unknown> {
  const timestamp = new Date(m.timestamp).toISOString();
  return {
    Records: [
      {
        EventSource: "aws:sns",
        EventVersion: "1.0",
        EventSubscriptionArn: sub.arn,
        Sns: {
          Type: "Notification",
          MessageId: m.messageId,
          TopicArn: m.topicArn,
          Subject: m.subject ?? null,
          Message: m.message,
          Timestamp: timestamp,
          SignatureVersion: "1",
          Signature: signature([m.messageId, m.topicArn, m.message, timestamp]),
          SigningCertUrl: certUrl(urls),
          UnsubscribeUrl: unsubscribeUrl(urls, sub.arn),
          MessageAttributes: envelopeAttributes(m.attributes),
        },
      },
    ],
  };
}

export function confirmationMessage(m: PublishedMessage, sub: SubscriptionRecord, urls: Urls): Record<string, unknown> {
  const timestamp = new Date(m.timestamp).toISOString();
  const token = sub.token ?? "";
  return {
    Type: "SubscriptionConfirmation",
    MessageId: m.messageId,
    Token: token,
    TopicArn: sub.topicArn,
    Message: m.message,
    SubscribeURL: subscribeUrl(urls, sub.topicArn, token),
    Timestamp: timestamp,
    SignatureVersion: "1",
    Signature: signature([m.messageId, sub.topicArn, token, timestamp]),
    SigningCertURL: certUrl(urls),
  };
}

export const confirmationText = (topicArn: string) =>
  `You have chosen to subscribe to the topic ${topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`;
