// Delivery of published messages to subscribers, off the Publish call's path.
//
// Publish writes one DeliveryRecord per matching subscription to the store in the same
// transaction that acknowledges the message, then hands them here; a record is deleted only
// once its delivery succeeded or was given up, so a message acknowledged just before a SIGKILL
// is delivered after the restart (at least once, as on AWS).
//
// Failures: an AWS error with a 4xx status from SQS or Lambda (queue policy refuses the topic,
// queue or function gone) is the subscriber's fault and is not retried, as on AWS: the message
// goes to the subscription's dead-letter queue when it has one, and is dropped otherwise.
// Anything else is retried a few times with backoff, then treated the same way.
import { PARTITION_PATTERN, REGION_PATTERN } from "@/sandbox/core/aws-names";
import type { AwsError, RequestContext, ServiceEnvironment } from "@/sandbox/core/contracts";
import { confirmationMessage, lambdaEvent, notificationEnvelope, type Urls } from "./envelope";
import { deliveryKey, TABLES, type DeliveryRecord, type SnsState, type SubscriptionRecord } from "./models";

/** Retries after the first attempt; delays double from the first. */
export const MAX_RETRIES = 3;
export const FIRST_RETRY_DELAY_MS = 1000;
/** An http/https endpoint that takes longer than this has failed the attempt. */
export const HTTP_TIMEOUT_MS = 15_000;

type Outcome = { kind: "done" } | { kind: "retry"; reason: string } | { kind: "drop"; reason: string; deadLetter: boolean };

const DONE: Outcome = { kind: "done" };

function isAwsError(e: unknown): e is AwsError {
  return e instanceof Error && typeof (e as Partial<AwsError>).code === "string" && typeof (e as Partial<AwsError>).status === "number";
}

const QUEUE_ARN = new RegExp(`^arn:${PARTITION_PATTERN}:sqs:(${REGION_PATTERN}):(\\d{12}):([A-Za-z0-9_-]{1,80}(?:\\.fifo)?)$`);
const FUNCTION_ARN = new RegExp(`^arn:${PARTITION_PATTERN}:lambda:(${REGION_PATTERN}):(\\d{12}):function:[A-Za-z0-9_-]{1,64}(?::[A-Za-z0-9$_-]{1,128})?$`);

/** arn:aws:sqs:<region>:<account>:<name> → where SQS finds the queue. */
export function parseQueueArn(arn: string): { region: string; accountId: string; name: string } | null {
  const m = QUEUE_ARN.exec(arn);
  return m ? { region: m[1] as string, accountId: m[2] as string, name: m[3] as string } : null;
}

/** arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>] */
export function parseFunctionArn(arn: string): { region: string; accountId: string } | null {
  const m = FUNCTION_ARN.exec(arn);
  return m ? { region: m[1] as string, accountId: m[2] as string } : null;
}

export class DeliveryQueue {
  private readonly pending = new Map<string, DeliveryRecord>();
  private readonly timers = new Map<string, { cancel(): void }>();
  private readonly inflight = new Set<Promise<void>>();
  /** FIFO topics deliver in order: one chain of attempts per subscription. */
  private readonly chains = new Map<string, Promise<void>>();
  private seq = 0;
  private closed = false;

  constructor(
    private readonly env: ServiceEnvironment,
    private readonly state: SnsState,
    private readonly urls: Urls,
  ) {
    const restored = env.store.load<DeliveryRecord>(TABLES.deliveries).map(([, d]) => d);
    restored.sort((a, b) => a.seq - b.seq);
    for (const d of restored) {
      this.seq = Math.max(this.seq, d.seq);
      this.pending.set(d.id, d);
      this.schedule(d, 0);
    }
  }

  nextSeq(): number {
    return ++this.seq;
  }

  /** Writes records to the store; call inside the transaction that acknowledges the publish. */
  persist(records: DeliveryRecord[]) {
    for (const d of records) this.env.store.put(TABLES.deliveries, deliveryKey(d), d);
  }

  /** Starts delivering persisted records on the next tick, so Publish answers first. */
  start(records: DeliveryRecord[]) {
    for (const d of records) {
      this.pending.set(d.id, d);
      this.schedule(d, 0);
    }
  }

  /** Resolves once no attempt is running (timers that are not yet due do not count). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  size(): number {
    return this.pending.size;
  }

  /** Forgets an account's pending deliveries (its rows are removed by the state's reset). */
  resetAccount(accountId: string) {
    for (const d of [...this.pending.values()]) {
      if (d.accountId !== accountId) continue;
      this.timers.get(d.id)?.cancel();
      this.timers.delete(d.id);
      this.pending.delete(d.id);
    }
  }

  close() {
    this.closed = true;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  private schedule(d: DeliveryRecord, delay: number) {
    if (this.closed) return;
    this.timers.get(d.id)?.cancel();
    this.timers.set(
      d.id,
      this.env.scheduler.setTimeout(() => {
        this.timers.delete(d.id);
        this.run(d.id);
      }, delay),
    );
  }

  private run(id: string) {
    const d = this.pending.get(id);
    if (!d || this.closed) return;
    const fifo = d.message.sequenceNumber !== undefined;
    const previous = fifo ? this.chains.get(d.subscriptionArn) : undefined;
    const attempt = (previous ?? Promise.resolve()).then(() => this.attempt(d));
    if (fifo) {
      this.chains.set(d.subscriptionArn, attempt);
      void attempt.then(() => {
        if (this.chains.get(d.subscriptionArn) === attempt) this.chains.delete(d.subscriptionArn);
      });
    }
    this.inflight.add(attempt);
    void attempt.finally(() => this.inflight.delete(attempt));
  }

  private async attempt(d: DeliveryRecord): Promise<void> {
    if (!this.pending.has(d.id)) return; // reset or already finished
    let outcome: Outcome;
    try {
      outcome = await this.deliver(d);
    } catch (e) {
      outcome = { kind: "retry", reason: e instanceof Error ? e.message : String(e) };
    }
    if (!this.pending.has(d.id)) return;
    if (outcome.kind === "retry" && d.attempts < MAX_RETRIES && !this.closed) {
      d.attempts += 1;
      this.env.store.put(TABLES.deliveries, deliveryKey(d), d);
      this.schedule(d, FIRST_RETRY_DELAY_MS * 2 ** (d.attempts - 1));
      return;
    }
    if (outcome.kind === "retry" && this.closed) return; // left in the store for the next start
    if (outcome.kind !== "done" && (outcome.kind === "retry" || outcome.deadLetter)) await this.deadLetter(d);
    this.finish(d);
  }

  private finish(d: DeliveryRecord) {
    this.pending.delete(d.id);
    this.env.store.delete(TABLES.deliveries, deliveryKey(d));
  }

  private serviceContext(d: DeliveryRecord, accountId: string, region: string): RequestContext {
    return {
      accountId,
      region,
      requestId: this.env.newRequestId(),
      now: this.env.scheduler.now(),
      principal: { kind: "service", accountId: d.accountId, service: "sns.amazonaws.com", arn: "sns.amazonaws.com", sourceArn: d.topicArn },
    };
  }

  private async deliver(d: DeliveryRecord): Promise<Outcome> {
    const sub = this.state.subscriptions.get(d.subscriptionArn);
    if (!sub) return { kind: "drop", reason: "the subscription was deleted", deadLetter: false };
    if (d.kind === "confirmation") return sub.protocol === "sqs" ? this.sqsConfirmation(d, sub) : this.http(d, sub);
    if (!sub.confirmed) return { kind: "drop", reason: "the subscription is not confirmed", deadLetter: false };
    switch (sub.protocol) {
      case "sqs":
        return this.sqs(d, sub);
      case "lambda":
        return this.lambda(d, sub);
      case "http":
      case "https":
        return this.http(d, sub);
      default:
        // email and email-json subscriptions stay pending in the sandbox: nothing is ever sent.
        return DONE;
    }
  }

  /** Runs a cross-service call; 4xx AWS errors are final, everything else may be retried. */
  private async call(service: string, operation: string, input: Record<string, unknown>, ctx: RequestContext): Promise<Outcome> {
    try {
      await this.env.call(service, operation, input, ctx);
      return DONE;
    } catch (e) {
      if (isAwsError(e) && e.status < 500) return { kind: "drop", reason: `${e.code}: ${e.message}`, deadLetter: true };
      return { kind: "retry", reason: e instanceof Error ? e.message : String(e) };
    }
  }

  private sqsInput(d: DeliveryRecord, sub: SubscriptionRecord, queue: { accountId: string; name: string }) {
    const m = d.message;
    const raw = sub.attributes.RawMessageDelivery === "true";
    const input: Record<string, unknown> = {
      QueueUrl: `http://sqs.internal/${queue.accountId}/${queue.name}`,
      MessageBody: raw ? m.message : JSON.stringify(notificationEnvelope(m, sub, this.urls)),
    };
    // Raw delivery carries the publisher's attributes as SQS message attributes; the envelope
    // carries them inside the body instead.
    if (raw && Object.keys(m.attributes).length > 0) input.MessageAttributes = m.attributes;
    if (queue.name.endsWith(".fifo")) {
      input.MessageGroupId = m.groupId ?? "default";
      input.MessageDeduplicationId = m.dedupId ?? m.messageId;
    }
    return input;
  }

  private async sqs(d: DeliveryRecord, sub: SubscriptionRecord): Promise<Outcome> {
    const queue = parseQueueArn(sub.endpoint);
    if (!queue) return { kind: "drop", reason: "the endpoint is not a queue ARN", deadLetter: true };
    return this.call("sqs", "SendMessage", this.sqsInput(d, sub, queue), this.serviceContext(d, queue.accountId, queue.region));
  }

  /** A queue of another account than the subscriber's gets the SubscriptionConfirmation as its message. */
  private async sqsConfirmation(d: DeliveryRecord, sub: SubscriptionRecord): Promise<Outcome> {
    const queue = parseQueueArn(sub.endpoint);
    if (!queue) return { kind: "drop", reason: "the endpoint is not a queue ARN", deadLetter: false };
    const input: Record<string, unknown> = { QueueUrl: `http://sqs.internal/${queue.accountId}/${queue.name}`, MessageBody: JSON.stringify(confirmationMessage(d.message, sub, this.urls)) };
    if (queue.name.endsWith(".fifo")) {
      input.MessageGroupId = "SubscriptionConfirmation";
      input.MessageDeduplicationId = d.message.messageId;
    }
    const outcome = await this.call("sqs", "SendMessage", input, this.serviceContext(d, queue.accountId, queue.region));
    return outcome.kind === "drop" ? { ...outcome, deadLetter: false } : outcome;
  }

  private async lambda(d: DeliveryRecord, sub: SubscriptionRecord): Promise<Outcome> {
    const fn = parseFunctionArn(sub.endpoint);
    if (!fn) return { kind: "drop", reason: "the endpoint is not a function ARN", deadLetter: true };
    const input = { FunctionName: sub.endpoint, InvocationType: "Event", Payload: JSON.stringify(lambdaEvent(d.message, sub, this.urls)) };
    return this.call("lambda", "Invoke", input, this.serviceContext(d, fn.accountId, fn.region));
  }

  private async http(d: DeliveryRecord, sub: SubscriptionRecord): Promise<Outcome> {
    const url = sub.endpoint;
    // The outbound-address policy is asked before every request (DNS may have changed since
    // Subscribe); a refused address never receives anything, so there is nothing to retry.
    let allowed: Awaited<ReturnType<ServiceEnvironment["checkOutbound"]>>;
    try {
      allowed = await this.env.checkOutbound(url);
    } catch (e) {
      allowed = { ok: false, reason: e instanceof Error ? e.message : String(e) };
    }
    if (!allowed.ok) return { kind: "drop", reason: `the outbound-address policy refuses ${url}: ${allowed.reason}`, deadLetter: false };

    const m = d.message;
    const headers: Record<string, string> = {
      "content-type": "text/plain; charset=UTF-8",
      "user-agent": "Amazon Simple Notification Service Agent",
      "x-amz-sns-message-id": m.messageId,
      "x-amz-sns-topic-arn": sub.topicArn,
    };
    let body: string;
    if (d.kind === "confirmation") {
      headers["x-amz-sns-message-type"] = "SubscriptionConfirmation";
      body = JSON.stringify(confirmationMessage(m, sub, this.urls));
    } else {
      const raw = sub.attributes.RawMessageDelivery === "true";
      headers["x-amz-sns-message-type"] = "Notification";
      headers["x-amz-sns-subscription-arn"] = sub.arn;
      if (raw) headers["x-amz-sns-rawdelivery"] = "true";
      body = raw ? m.message : JSON.stringify(notificationEnvelope(m, sub, this.urls));
    }
    // Credentials in the endpoint (https://user:pass@host/) become Basic auth, as SNS sends them;
    // fetch refuses a URL that carries them.
    let target = url;
    try {
      const u = new URL(url);
      if (u.username || u.password) {
        headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString("base64")}`;
        u.username = "";
        u.password = "";
        target = u.toString();
      }
    } catch {
      return { kind: "drop", reason: `${url} is not a URL`, deadLetter: true };
    }
    try {
      // No redirects: following one would reach an address the policy never saw.
      const res = await fetch(target, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
      await res.arrayBuffer().catch(() => undefined);
      return res.status >= 200 && res.status < 300 ? DONE : { kind: "retry", reason: `HTTP ${res.status}` };
    } catch (e) {
      return { kind: "retry", reason: e instanceof Error ? e.message : String(e) };
    }
  }

  /** A subscription's RedrivePolicy names an SQS queue that gets what could not be delivered. */
  private async deadLetter(d: DeliveryRecord) {
    if (d.kind !== "notification") return;
    const sub = this.state.subscriptions.get(d.subscriptionArn);
    const policy = sub?.attributes.RedrivePolicy;
    if (!sub || !policy) return;
    let target: unknown;
    try {
      target = (JSON.parse(policy) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
    } catch {
      return;
    }
    const queue = typeof target === "string" ? parseQueueArn(target) : null;
    if (!queue) return;
    const input = this.sqsInput(d, { ...sub, attributes: { ...sub.attributes, RawMessageDelivery: "false" } }, queue);
    // A dead-letter queue that refuses the topic loses the message, as on AWS.
    await this.call("sqs", "SendMessage", input, this.serviceContext(d, queue.accountId, queue.region));
  }
}
