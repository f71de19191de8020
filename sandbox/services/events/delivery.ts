// Delivery of matched events to targets. PutEvents (and a schedule firing) writes one pending row
// per (event, rule, target) before it returns, with the body already rendered; the row is deleted
// once the target accepted the event or refused it for good. Rows left by a killed process are
// delivered again at construction, so an accepted event is never lost (at-least-once, as on AWS).
//
// Targets are reached only through env.call, made in the rule's account, as AWS's EventBridge
// makes them ("Amazon EventBridge targets", "Sending events to an AWS service in another account"):
// - a target with a RoleArn is called as that role, which EventBridge assumes as
//   events.amazonaws.com with the rule as aws:SourceArn (core/service-roles.ts);
// - a target of the rule's own account without a role (SQS, SNS, Lambda) is called as the service
//   principal events.amazonaws.com with the rule as aws:SourceArn and its account as
//   aws:SourceAccount: the target's resource policy decides;
// - another account's SQS queue, SNS topic or Lambda function needs the role; another account's
//   state machine is never reached (Step Functions has no resource policy: the call is refused);
// - an event bus target (same or another account, any region) gets the event through PutEvents,
//   as the role, or else on behalf of the rule's account; that bus's policy decides.
// Other targets must be in the rule's region.
import type { Principal, RequestContext, ServiceEnvironment } from "@/sandbox/core/contracts";
import { AwsError } from "@/sandbox/core/contracts";
import { ServiceRoleSessions } from "@/sandbox/core/service-roles";
import { AccessDeniedException, entryRefused, ValidationException } from "./errors";
import { TABLE_PENDING } from "./models";

const SERVICE = "events.amazonaws.com";

export interface PendingDelivery {
  /** The bus owner, who sends on AWS's behalf. */
  busAccount: string;
  eventId: string;
  ruleArn: string;
  targetId: string;
  targetArn: string;
  body: string;
  messageGroupId?: string;
  /** The target's execution role, when it has one. */
  roleArn?: string;
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
    (p.service === "states" && /^stateMachine:[\w-]+$/.test(p.resource)) ||
    (p.service === "events" && /^event-bus\/[\w.-]+$/.test(p.resource));
  if (ok && p.region && p.account) return null;
  return `Target ${arn} is not supported by the sandbox: its targets are SQS queues, SNS topics, Lambda functions, Step Functions state machines and event buses.`;
}

export class Deliverer {
  private readonly inFlight = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  /** The waiting deliveries by row key, so a reset can cancel an account's. */
  private readonly timers = new Map<string, { cancel(): void }>();
  private closed = false;
  readonly metrics = new Map<string, RuleMetrics>();
  readonly failures: DeliveryFailure[] = [];
  private readonly roles: ServiceRoleSessions;

  constructor(private readonly env: ServiceEnvironment) {
    this.roles = new ServiceRoleSessions(env);
  }

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
    this.roles.forget(accountId);
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

  /** Who calls the target: the assumed execution role, or EventBridge for the rule's account. */
  private async caller(row: PendingDelivery, ruleRegion: string): Promise<Principal> {
    if (row.roleArn !== undefined) {
      return this.roles.principal({
        service: SERVICE,
        sourceArn: row.ruleArn,
        sourceAccount: row.busAccount,
        region: ruleRegion,
        roleArn: row.roleArn,
        // EventBridge's sessions are named after the rule's event and target; one per rule here.
        sessionName: `events-${Buffer.from(row.ruleArn).toString("hex").slice(-32)}`.slice(0, 64),
      });
    }
    return { kind: "service", accountId: row.busAccount, service: SERVICE, arn: SERVICE, sourceArn: row.ruleArn };
  }

  private async invoke(row: PendingDelivery): Promise<void> {
    const target = parseTargetArn(row.targetArn);
    if (!target) throw ValidationException(`Target ${row.targetArn} is not an ARN.`);
    const ruleRegion = row.ruleArn.split(":")[3] ?? target.region;
    if (target.service !== "events") {
      if (target.region !== ruleRegion) {
        throw ValidationException(`Target ${row.targetArn} is in another region than its rule; only event buses can be.`);
      }
      if (target.account !== row.busAccount && row.roleArn === undefined) {
        throw AccessDeniedException(`Target ${row.targetArn} is in another account than its rule: EventBridge reaches it only with an execution role (RoleArn).`);
      }
    }
    const ctx: RequestContext = {
      accountId: row.busAccount,
      region: target.region,
      requestId: this.env.newRequestId(),
      now: this.env.scheduler.now(),
      principal: await this.caller(row, ruleRegion),
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
      case "events":
        await this.forward(row, ctx);
        return;
      default:
        throw ValidationException(`Target ${row.targetArn} is not supported by the sandbox.`);
    }
  }

  /** Puts the event on the target bus; a refused entry (that bus's policy) fails the delivery for good. */
  private async forward(row: PendingDelivery, ctx: RequestContext): Promise<void> {
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(row.body) as Record<string, unknown>;
    } catch {
      event = {};
    }
    if (typeof event.source !== "string" || typeof event["detail-type"] !== "string") {
      throw ValidationException(`Target ${row.targetArn} is an event bus: it takes the event itself, not a transformed input.`);
    }
    const entry: Record<string, unknown> = {
      Source: event.source,
      DetailType: event["detail-type"],
      Detail: JSON.stringify(event.detail ?? {}),
      Resources: Array.isArray(event.resources) ? event.resources : [],
      EventBusName: row.targetArn,
    };
    if (typeof event.time === "string") entry.Time = Date.parse(event.time) / 1000;
    const out = await this.env.call("events", "PutEvents", { Entries: [entry] }, ctx);
    const result = (out.Entries as Array<{ ErrorCode?: string; ErrorMessage?: string }> | undefined)?.[0];
    if (result?.ErrorCode !== undefined) throw entryRefused(result.ErrorCode, result.ErrorMessage ?? result.ErrorCode);
  }
}
