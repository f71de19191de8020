// Webhooks (issue 7): instructors register URLs for a cohort; step.passed / step.regressed events
// are queued with the attempt that made them and delivered, signed, by a DB-backed worker.
export { createWebhook, deleteWebhook, listDeliveries, listWebhooks, retryDelivery, rotateWebhookSecret, sendTestEvent, setWebhookActive, MAX_WEBHOOKS_PER_COHORT } from "./manage";
export type { DeliveryView, WebhookView } from "./manage";
export { runDueDeliveries, startWebhookWorker, stopWebhookWorker, kickWebhookWorker } from "./worker";
export { verifySignature, signatureHeader, SIGNATURE_HEADER } from "./signature";
export { stepTransition, EVENT_TYPES } from "./events";
export type { WebhookEvent, WebhookEventType, StepEventType } from "./events";
export { retryDelayMs, MAX_TRIES } from "./backoff";
