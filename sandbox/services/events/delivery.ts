// Delivery of matched events to targets. PutEvents (and a schedule firing) writes one pending row
// per (event, rule, target) before it returns, with the body already rendered; the row is deleted
// once the target accepted the event or refused it for good. Rows left by a killed process are
// delivered again at construction, so an accepted event is never lost (at-least-once, as on AWS).
//
// Targets are reached only through env.call, as the service principal events.amazonaws.com with
// the rule as source ARN: the target service applies its own resource policy (SQS queue policy,
// Lambda function policy) exactly as it would for AWS's EventBridge.
import type { RequestContext, ServiceEnvironment } from "@/sandbox/core/contracts";
import { AwsError } from "@/sandbox/core/contracts";
import { TABLE_PENDING } from "./models";

export interface PendingDelivery {
  /** The bus owner, who sends on AWS's behalf. */
  busAccount: string;
  eventId: string;
  ruleArn: string;
  targetId: string;
  targetArn: string;
  body: string;
  messageGroupId?: string;
  attempts: number;
}

export interface RuleMetrics {
  matchedEvents: number;
  invocations: number;
  failedInvocations: number;
}

export interface DeliveryFailure {
  ruleArn: string;
  targetId: string;
  targetArn: string;
  code: string;
  message: string;
}

const MAX_ATTEMPTS = 5;
const FIRST_RETRY_MS = 1_000;
const RECENT_FAILURES = 100;
// Errors worth another try: the target was busy or broken, not refusing. InvalidAction means the
// target's service is not (yet) wired, e.g. a delivery recovered while the sandbox is starting.
const TRANSIENT_CODES = new Set(["ThrottlingException", "TooManyRequestsException", "ServiceUnavailable", "InternalFailure", "InternalError", "InvalidAction"]);

export const pendingKey = (p: { busAccount: string; eventId: string; ruleArn: string; targetId: string }) =>
  `${p.busAccount}|${p.eventId}|${p.ruleArn}|${p.targetId}`;

/** The service, region, account and resource of a target ARN, or null when it is not an ARN. */
export function parseTargetArn(arn: string): { service: string; region: string; account: string; resource: string } | null {
  const m = /^arn:aws[\w-]*:([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$/.exec(arn);
  if (!m) return null;
  return { service: m[1] as string, region: m[2] as string, account: m[3] as string, resource: m[4] as string };
}

/** Is this a target the sandbox can deliver to? Returns why not, or null. */
export function unsupportedTarget(arn: string): string | null {
  const p = parseTargetArn(arn);
  if (!p) return null; // malformed ARNs are refused earlier, with AWS's message
  const ok =
    (p.service === "sqs" && /^[\w-]+(\.fifo)?$/.test(p.resource)) ||
    (p.service === "sns" && /^[\w-]+(\.fifo)?$/.test(p.resource)) ||
    (p.service === "lambda" && /^function:[\w-]+(:[\w$-]+)?$/.test(p.resource)) ||
    (p.service === "states" && /^stateMachine:[\w-]+$/.test(p.resource));
  if (ok && p.region && p.account) return null;
  return `Target ${arn} is not supported by the sandbox: its targets are SQS queues, SNS topics, Lambda functions and Step Functions state machines.`;
}

export class Deliverer {
  private readonly inFlight = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  /** The waiting deliveries by row key, so a reset can cancel an account's. */
  private readonly timers = new Map<string, { cancel(): void }>();
  private closed = false;
  readonly metrics = new Map<string, RuleMetrics>();
  readonly failures: DeliveryFailure[] = [];

  constructor(private readonly env: ServiceEnvironment) {}

  /** Schedules every row a previous process left behind. */
  recover(): void {
    const rows = this.env.store.load<PendingDelivery>(TABLE_PENDING);
    for (const [, row] of rows) this.schedule(row, 0);
  }

  /** Writes the rows (the caller runs this inside its transaction) so they survive a crash. */
  persist(rows: readonly PendingDelivery[]): void {
    for (const row of rows) this.env.store.put(TABLE_PENDING, pendingKey(row), row);
  }

  /** Starts delivering rows already persisted, on the next tick. */
  start(rows: readonly PendingDelivery[]): void {
    for (const row of rows) this.schedule(row, 0);
  }

  metricsFor(ruleArn: string): RuleMetrics {
    let m = this.metrics.get(ruleArn);
    if (!m) this.metrics.set(ruleArn, (m = { matchedEvents: 0, invocations: 0, failedInvocations: 0 }));
    return m;
  }

  /** Resolves once nothing is being delivered right now (retries waiting on a timer do not count). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  /** Forgets an account's pending deliveries (admin reset). */
  resetAccount(accountId: string): void {
    this.env.store.deletePrefix(TABLE_PENDING, `${accountId}|`);
    for (const [key, timer] of [...this.timers]) {
      if (!key.startsWith(`${accountId}|`)) continue;
      timer.cancel();
      this.timers.delete(key);
    }
  }

  private schedule(row: PendingDelivery, delayMs: number): void {
    if (this.closed) return;
    const key = pendingKey(row);
    const timer = this.env.scheduler.setTimeout(() => {
      this.timers.delete(key);
      if (this.inFlight.has(key) || this.closed) return;
      this.inFlight.add(key);
      const run = this.deliver(row).finally(() => {
        this.inFlight.delete(key);
        this.running.delete(run);
      });
      this.running.add(run);
    }, delayMs);
    this.timers.set(key, timer);
  }

  private async deliver(row: PendingDelivery): Promise<void> {
    const metrics = this.metricsFor(row.ruleArn);
    const key = pendingKey(row);
    try {
      await this.invoke(row);
      metrics.invocations++;
      this.env.store.delete(TABLE_PENDING, key);
    } catch (e) {
      const code = e instanceof AwsError ? e.code : "InternalFailure";
      const message = e instanceof Error ? e.message : String(e);
      const transient = !(e instanceof AwsError) || e.status >= 500 || TRANSIENT_CODES.has(code);
      if (transient && row.attempts + 1 < MAX_ATTEMPTS && !this.closed) {
        const next = { ...row, attempts: row.attempts + 1 };
        this.env.store.put(TABLE_PENDING, key, next);
        this.schedule(next, FIRST_RETRY_MS * 2 ** row.attempts);
        return;
      }
      // Refused for good (AccessDenied, no such queue…): AWS drops the event for this target and
      // counts a FailedInvocation.
      metrics.failedInvocations++;
      this.failures.push({ ruleArn: row.ruleArn, targetId: row.targetId, targetArn: row.targetArn, code, message });
      if (this.failures.length > RECENT_FAILURES) this.failures.shift();
      this.env.store.delete(TABLE_PENDING, key);
    }
  }

  private async invoke(row: PendingDelivery): Promise<void> {
    const target = parseTargetArn(row.targetArn);
    if (!target) throw new AwsError("ValidationException", `Target ${row.targetArn} is not an ARN.`);
    const ctx: RequestContext = {
      accountId: target.account,
      region: target.region,
      requestId: this.env.newRequestId(),
      now: this.env.scheduler.now(),
      principal: { kind: "service", accountId: row.busAccount, service: "events.amazonaws.com", arn: "events.amazonaws.com", sourceArn: row.ruleArn },
    };
    switch (target.service) {
      case "sqs": {
        const input: Record<string, unknown> = {
          QueueUrl: `http://sqs.internal/${target.account}/${target.resource}`,
          MessageBody: row.body,
        };
        if (row.messageGroupId !== undefined) input.MessageGroupId = row.messageGroupId;
        // A FIFO queue needs a deduplication id; the event id makes a redelivery after a crash a duplicate SQS drops.
        if (target.resource.endsWith(".fifo")) input.MessageDeduplicationId = row.eventId;
        await this.env.call("sqs", "SendMessage", input, ctx);
        return;
      }
      case "sns":
        await this.env.call("sns", "Publish", { TopicArn: row.targetArn, Message: row.body }, ctx);
        return;
      case "lambda":
        await this.env.call("lambda", "Invoke", { FunctionName: row.targetArn, InvocationType: "Event", Payload: row.body }, ctx);
        return;
      case "states":
        await this.env.call("states", "StartExecution", { stateMachineArn: row.targetArn, input: row.body }, ctx);
        return;
      default:
        throw new AwsError("ValidationException", `Target ${row.targetArn} is not supported by the sandbox.`);
    }
  }
}
