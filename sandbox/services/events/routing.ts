// From an event to the rows of its deliveries: every enabled rule of the bus whose compiled pattern
// matches, every target of such a rule, each with its input rendered now (so a rule changed after
// PutEvents returned does not change what an accepted event delivers).
import { matchEvent } from "@/semantics/event-pattern";
import type { PendingDelivery } from "./delivery";
import { isEnabled, type Bus, type Rule } from "./models";
import { renderTargetInput } from "./transform";

export type EventEnvelope = {
  version: "0";
  id: string;
  "detail-type": string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
};

/** AWS's event time format: ISO 8601 in UTC without milliseconds. */
export function eventTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

export function deliveriesForRule(rule: Rule, event: EventEnvelope, ingestionMs: number): PendingDelivery[] {
  const info = { ruleArn: rule.arn, ruleName: rule.record.name, ingestionTime: eventTime(ingestionMs) };
  return rule.record.targets.map((t) => {
    const row: PendingDelivery = {
      busAccount: rule.record.accountId,
      eventId: event.id,
      ruleArn: rule.arn,
      targetId: t.Id,
      targetArn: t.Arn,
      body: renderTargetInput(t, event, info),
      attempts: 0,
    };
    if (t.SqsParameters?.MessageGroupId !== undefined) row.messageGroupId = t.SqsParameters.MessageGroupId;
    if (t.RoleArn !== undefined) row.roleArn = t.RoleArn;
    return row;
  });
}

/** The rules of the bus that take this event. */
export function matchingRules(bus: Bus, event: EventEnvelope): Rule[] {
  const matched: Rule[] = [];
  for (const rule of bus.rules.values()) {
    if (isEnabled(rule) && rule.compiled && matchEvent(rule.compiled, event)) matched.push(rule);
  }
  return matched;
}
