// Scheduled rules: one env.scheduler timer per enabled rule with a ScheduleExpression, armed for
// the next firing however far away (rate(365 days), a yearly cron: the scheduler arms long timers
// in hops). Rules are re-armed from the store at start, so schedules survive restarts. When it
// fires, the rule's targets get AWS's "Scheduled Event" through the same durable delivery as
// PutEvents. Missed firings while the sandbox was down are not made up (neither does AWS).
import { randomUUID } from "node:crypto";
import type { ServiceEnvironment } from "@/sandbox/core/contracts";
import type { Deliverer } from "./delivery";
import { isEnabled, type Rule } from "./models";
import { deliveriesForRule, eventTime, type EventEnvelope } from "./routing";
import { nextFireTime } from "./schedule";

export class RuleTimers {
  private readonly timers = new Map<string, { cancel(): void }>();
  private closed = false;

  constructor(
    private readonly env: ServiceEnvironment,
    private readonly delivery: Deliverer,
    /** Looks the rule up again at firing time: it may have changed or gone. */
    private readonly lookup: (ruleArn: string) => Rule | undefined,
  ) {}

  /** (Re)arms the rule's timer for its current definition, or disarms it when it should not fire. */
  sync(rule: Rule): void {
    this.disarm(rule.arn);
    if (this.closed || !rule.schedule || !isEnabled(rule)) return;
    const anchor = rule.record.scheduleAnchor ?? this.env.scheduler.now();
    const next = nextFireTime(rule.schedule, anchor, this.env.scheduler.now());
    if (next !== null) this.armAt(rule.arn, next);
  }

  disarm(ruleArn: string): void {
    this.timers.get(ruleArn)?.cancel();
    this.timers.delete(ruleArn);
  }

  /** Disarms every rule whose ARN starts with the prefix (an account's rules on reset). */
  disarmPrefix(prefix: string): void {
    for (const arn of [...this.timers.keys()]) if (arn.startsWith(prefix)) this.disarm(arn);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  private armAt(ruleArn: string, at: number): void {
    const timer = this.env.scheduler.setTimeout(() => {
      this.timers.delete(ruleArn);
      this.fire(ruleArn, at);
    }, Math.max(0, at - this.env.scheduler.now()));
    this.timers.set(ruleArn, timer);
  }

  private fire(ruleArn: string, at: number): void {
    const rule = this.lookup(ruleArn);
    if (!rule || !rule.schedule || !isEnabled(rule)) return;
    const { accountId, region } = rule.record;
    const event: EventEnvelope = {
      version: "0",
      id: randomUUID(),
      "detail-type": "Scheduled Event",
      source: "aws.events",
      account: accountId,
      time: eventTime(at),
      region,
      resources: [rule.arn],
      detail: {},
    };
    const rows = deliveriesForRule(rule, event, at);
    this.env.store.transaction(() => this.delivery.persist(rows));
    this.delivery.start(rows);
    const next = nextFireTime(rule.schedule, rule.record.scheduleAnchor ?? at, at);
    if (next !== null) this.armAt(ruleArn, next);
  }
}
