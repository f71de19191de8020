import { describe, expect, it } from "vitest";
import type { QueueInfo } from "@/checkers/collectors";
import { FILTER_SAMPLES, type QueueRole } from "@/checkers/samples";
import {
  decideFilterSample, decideFilterScope, decidePolicyAllowsTopic, decidePolicyDeniesOthers, decideSubscribed, otherTopics, type FanOutFacts,
} from "@/checkers/steps/step3-fan-out";

const ACCOUNT = "123456789012";
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:order-events`;

/** The reference solution's filter policies (labs/order-system/solution/cli/03-fan-out.sh). */
const FILTERS: Record<QueueRole, unknown> = {
  inventory: { event_type: ["order_created", "order_updated"] },
  shipping: { shipping_type: ["express", "priority"], order_value: [{ numeric: [">=", 1000] }] },
};
const QUEUES: Record<QueueRole, string> = { inventory: "inventory-updates", shipping: "shipping-orders" };

function queuePolicy(queueArn: string, condition: unknown = { ArnEquals: { "aws:SourceArn": TOPIC } }): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "OnlyOrderEventsTopic", Effect: "Allow", Action: "sqs:SendMessage", Resource: queueArn, Principal: { Service: "sns.amazonaws.com" }, ...(condition ? { Condition: condition } : {}) }],
  });
}

function facts(role: QueueRole, o: { filter?: unknown; scope?: string; policy?: string | null; subscribed?: boolean; pending?: boolean } = {}): FanOutFacts {
  const name = QUEUES[role];
  const arn = `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;
  const attributes: Record<string, string> = { QueueArn: arn };
  const policy = o.policy === undefined ? queuePolicy(arn) : o.policy;
  if (policy !== null) attributes.Policy = policy;
  const queue: QueueInfo = { name, url: `http://sandbox/${ACCOUNT}/${name}`, arn, attributes };
  const subAttrs: Record<string, string> = { FilterPolicyScope: o.scope ?? "MessageAttributes", PendingConfirmation: o.pending ? "true" : "false" };
  const filter = o.filter === undefined ? FILTERS[role] : o.filter;
  if (filter !== null) subAttrs.FilterPolicy = JSON.stringify(filter);
  return {
    queueName: name,
    topicName: "order-events",
    topicArn: TOPIC,
    topicExists: true,
    queue,
    subscription: o.subscribed === false ? undefined : { arn: `${TOPIC}:sub-${role}`, attributes: subAttrs },
  };
}

describe("step3.<role>-subscribed", () => {
  it("passes for a confirmed sqs subscription", () => expect(decideSubscribed(facts("inventory")).status).toBe("pass"));
  it("fails without a subscription, with the subscribe command", () => {
    const v = decideSubscribed(facts("inventory", { subscribed: false }));
    expect(v.status).toBe("fail");
    expect(v.hint).toContain("aws sns subscribe");
  });
  it("fails while pending confirmation", () => expect(decideSubscribed(facts("shipping", { pending: true })).status).toBe("fail"));
  it("fails when the topic does not exist", () => expect(decideSubscribed({ ...facts("shipping"), topicExists: false }).hint).toContain("step 1"));
});

describe("step3.<role>-filter-scope", () => {
  it("passes for MessageAttributes", () => expect(decideFilterScope(facts("shipping"), "shipping").status).toBe("pass"));
  it("fails for MessageBody, telling the learner to change the scope", () => {
    const v = decideFilterScope(facts("shipping", { scope: "MessageBody" }), "shipping");
    expect(v).toMatchObject({ status: "fail", expected: "MessageAttributes", found: "MessageBody" });
    expect(v.hint).toContain("FilterPolicyScope");
  });
  it("fails without a filter policy", () => expect(decideFilterScope(facts("inventory", { filter: null }), "inventory").message).toMatch(/every order event/));
});

describe("step3.<role>-filter-<sample>", () => {
  for (const role of ["inventory", "shipping"] as const) {
    for (const sample of FILTER_SAMPLES[role]) {
      it(`the reference ${role} filter passes ${sample.label}`, () => {
        expect(decideFilterSample(facts(role), role, sample).status).toBe("pass");
      });
    }
  }

  const shipping = (label: string) => FILTER_SAMPLES.shipping.find((s) => s.label === label)!;
  const inventory = (label: string) => FILTER_SAMPLES.inventory.find((s) => s.label === label)!;

  it("\">\" where the lab asks \">=\" fails accepts-1000 and says why", () => {
    const v = decideFilterSample(facts("shipping", { filter: { shipping_type: ["express", "priority"], order_value: [{ numeric: [">", 1000] }] } }), "shipping", shipping("accepts-1000"));
    expect(v.status).toBe("fail");
    expect(v.hint).toContain(">=");
  });

  it("order_value matched as a string never accepts a Number attribute", () => {
    const v = decideFilterSample(facts("shipping", { filter: { shipping_type: ["express", "priority"], order_value: ["1000", "1500"] } }), "shipping", shipping("accepts-1500"));
    expect(v.status).toBe("fail");
  });

  it("no filter policy delivers what it should not", () => {
    const v = decideFilterSample(facts("inventory", { filter: null }), "inventory", inventory("rejects-order-cancelled"));
    expect(v.status).toBe("fail");
    expect(v.message).toContain("no filter policy");
  });

  it("a MessageBody scope misses the attributes the samples carry", () => {
    const v = decideFilterSample(facts("shipping", { scope: "MessageBody" }), "shipping", shipping("accepts-1000"));
    expect(v.status).toBe("fail");
    expect(v.hint).toContain("MessageAttributes");
  });

  it("skips without a subscription", () => expect(decideFilterSample(facts("shipping", { subscribed: false }), "shipping", shipping("accepts-1000")).status).toBe("skip"));
});

describe("step3.<role>-policy-allows-topic", () => {
  it("passes for the reference policy", () => expect(decidePolicyAllowsTopic(facts("inventory")).status).toBe("pass"));
  it("fails without a policy", () => expect(decidePolicyAllowsTopic(facts("inventory", { policy: null })).status).toBe("fail"));
  it("fails when the condition names another topic", () => {
    const f = facts("inventory");
    const v = decidePolicyAllowsTopic({ ...f, queue: { ...f.queue!, attributes: { ...f.queue!.attributes, Policy: queuePolicy(f.queue!.arn, { ArnEquals: { "aws:SourceArn": `${TOPIC}-old` } }) } } });
    expect(v.status).toBe("fail");
    expect(v.hint).toContain(TOPIC);
  });
});

describe("step3.<role>-policy-denies-other-topics", () => {
  it("passes for the reference policy", () => expect(decidePolicyDeniesOthers(facts("shipping")).status).toBe("pass"));
  it("fails for a policy without the SourceArn condition, with a hint naming it", () => {
    const f = facts("shipping");
    const v = decidePolicyDeniesOthers({ ...f, queue: { ...f.queue!, attributes: { ...f.queue!.attributes, Policy: queuePolicy(f.queue!.arn, null) } } });
    expect(v.status).toBe("fail");
    expect(v.hint).toContain("aws:SourceArn");
  });
  it("fails for a policy that only pins the account", () => {
    const f = facts("shipping");
    const v = decidePolicyDeniesOthers({ ...f, queue: { ...f.queue!, attributes: { ...f.queue!.attributes, Policy: queuePolicy(f.queue!.arn, { StringEquals: { "aws:SourceAccount": ACCOUNT } }) } } });
    expect(v.status).toBe("fail");
  });
  it("tries another topic in the account and the same name in another account", () => {
    expect(otherTopics(TOPIC)).toEqual([`${TOPIC}-impostor`, "arn:aws:sns:us-east-1:111111111111:order-events"]);
  });
});
