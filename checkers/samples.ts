// The sample messages, events and orders of ARCHITECTURE.md ("The six lab steps"), with what
// the lab expects of each. Checks judge the learner's filters, pattern and workflow by how
// they treat these, not by how they are spelled.
import type { MessageAttribute } from "@/semantics/sns-filter-policy";

/** A work queue's job in the lab; queues are given in this order in the front matter. */
export type QueueRole = "inventory" | "shipping";
export const QUEUE_ROLES: readonly QueueRole[] = ["inventory", "shipping"];

export interface SampleMessage {
  /** Part of the check id: "step3.shipping-filter-accepts-1000". */
  label: string;
  describe: string;
  attributes: Record<string, MessageAttribute>;
  body: string;
  /** Should the role's filter deliver it? */
  deliver: boolean;
}

const str = (v: string): MessageAttribute => ({ DataType: "String", StringValue: v });
const num = (v: number): MessageAttribute => ({ DataType: "Number", StringValue: String(v) });

/** A whole published order: every attribute either filter looks at, with SNS data types. */
function order(orderId: string, eventType: string, value: number, shipping: string): Pick<SampleMessage, "attributes" | "body"> {
  return {
    attributes: { event_type: str(eventType), order_value: num(value), shipping_type: str(shipping) },
    body: JSON.stringify({ orderId, event_type: eventType, amount: value, shipping_type: shipping }),
  };
}

/** What each role's filter must do, in words, for hints. */
export const FILTER_INTENT: Record<QueueRole, string> = {
  inventory: "inventory should receive messages whose event_type attribute is order_created or order_updated, and nothing else",
  shipping: "shipping should receive messages whose order_value attribute (a Number) is at least 1000 and whose shipping_type is express or priority",
};

export const FILTER_SAMPLES: Record<QueueRole, readonly SampleMessage[]> = {
  inventory: [
    { label: "accepts-order-created", describe: "an order_created event", deliver: true, ...order("o-2001", "order_created", 500, "standard") },
    { label: "accepts-order-updated", describe: "an order_updated event", deliver: true, ...order("o-2002", "order_updated", 1500, "express") },
    { label: "rejects-order-cancelled", describe: "an order_cancelled event", deliver: false, ...order("o-2003", "order_cancelled", 1500, "express") },
  ],
  shipping: [
    { label: "accepts-1000", describe: "an order_value of 1000 (Number) shipped express", deliver: true, ...order("o-2101", "order_created", 1000, "express") },
    { label: "accepts-1500", describe: "an order_value of 1500 (Number) shipped priority", deliver: true, ...order("o-2102", "order_created", 1500, "priority") },
    { label: "rejects-999", describe: "an order_value of 999 (Number) shipped express", deliver: false, ...order("o-2103", "order_created", 999, "express") },
    { label: "rejects-standard", describe: "an order_value of 1500 (Number) shipped standard", deliver: false, ...order("o-2104", "order_created", 1500, "standard") },
  ],
};

export interface SampleEvent {
  label: string;
  describe: string;
  event: Record<string, unknown>;
  match: boolean;
}

/** The order events step 4's rule must select: this source and detail-type, amount >= threshold. */
export const ORDER_EVENT = { source: "com.myapp.orders", detailType: "OrderCreated" } as const;

/** EventBridge events for step 4, around the front matter's threshold (1000 by default). */
export function ruleSamples(o: { threshold: number; account: string; region: string }): SampleEvent[] {
  const { threshold, account, region } = o;
  const event = (n: number, source: string, detailType: string, amount: number): Record<string, unknown> => ({
    version: "0",
    id: `00000000-0000-4000-8000-00000000000${n}`,
    "detail-type": detailType,
    source,
    account,
    time: "2026-01-01T12:00:00Z",
    region,
    resources: [],
    detail: { orderId: `o-400${n}`, amount, status: "confirmed" },
  });
  const high = threshold * 1.5;
  const below = Number.isInteger(threshold) ? threshold - 1 : threshold - 0.01;
  return [
    { label: `matches-${threshold}`, describe: `an OrderCreated event of ${threshold}`, match: true, event: event(1, ORDER_EVENT.source, ORDER_EVENT.detailType, threshold) },
    { label: `matches-${high}`, describe: `an OrderCreated event of ${high}`, match: true, event: event(2, ORDER_EVENT.source, ORDER_EVENT.detailType, high) },
    { label: `rejects-${below}`, describe: `an OrderCreated event of ${below}`, match: false, event: event(3, ORDER_EVENT.source, ORDER_EVENT.detailType, below) },
    { label: "rejects-other-source", describe: `an OrderCreated event of ${high} from the source com.other.shop`, match: false, event: event(4, "com.other.shop", ORDER_EVENT.detailType, high) },
    { label: "rejects-other-detail-type", describe: `an OrderCancelled event of ${high}`, match: false, event: event(5, ORDER_EVENT.source, "OrderCancelled", high) },
  ];
}

/** Orders for step 5's simulated runs (and step 6's execution). */
export const PREMIUM_ORDER = { orderId: "o-1001", order: { isPremium: true, amount: 1500 } } as const;
export const STANDARD_ORDER = { orderId: "o-1002", order: { isPremium: false, amount: 250 } } as const;
/** No orderId: validate-order throws ValidationError. The failure notice must still carry `order`. */
export const INVALID_ORDER = { order: { isPremium: true, amount: 1200, customer: "c-5003" } } as const;

/** Step 6's probe orders and the queues (by role) each must reach. */
export interface ProbeOrder {
  label: string;
  eventType: string;
  value: number;
  shipping: string;
  reaches: readonly QueueRole[];
}
export const PROBE_ORDERS: readonly ProbeOrder[] = [
  { label: "a", eventType: "order_created", value: 1500, shipping: "express", reaches: ["inventory", "shipping"] },
  { label: "b", eventType: "order_updated", value: 999, shipping: "standard", reaches: ["inventory"] },
  { label: "c", eventType: "order_cancelled", value: 1200, shipping: "priority", reaches: ["shipping"] },
];

/** The message attribute that marks the grader's probe messages. */
export const PROBE_ATTRIBUTE = "lab_grader_probe";

export function probeAttributes(p: ProbeOrder, tag: string): Record<string, MessageAttribute> {
  return {
    event_type: str(p.eventType),
    order_value: num(p.value),
    shipping_type: str(p.shipping),
    [PROBE_ATTRIBUTE]: str(tag),
  };
}
