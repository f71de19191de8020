// A published message is written to the store before Publish answers, and survives a restart.
import { describe, expect, it } from "vitest";
import { setup } from "./harness";

describe("SNS durability", () => {
  it("a delivery pending when the process dies is made by the next service on the same store", async () => {
    const t = setup();
    const TopicArn = await t.topic();
    await t.subscribeQueue(TopicArn, "inventory-updates", { FilterPolicy: '{"event_type":["order_created"]}' });
    await t.call("Publish", { TopicArn, Message: "o-1", MessageAttributes: { event_type: { DataType: "String", StringValue: "order_created" } } });
    // "Killed" before the next tick: nothing was delivered yet.
    t.restart();
    expect(t.sns.deliveries.pending()).toBe(1);
    await t.flush();
    expect(t.sqs.calls.map((c) => JSON.parse(String(c.input.MessageBody)).Message)).toEqual(["o-1"]);
    expect(t.sns.deliveries.pending()).toBe(0);
    // Delivered records are gone from the store: another restart sends nothing again.
    t.restart();
    await t.flush();
    expect(t.sqs.calls).toHaveLength(1);
  });

  it("topics, subscriptions (with filter policies) and FIFO sequence survive a restart", async () => {
    const t = setup();
    const TopicArn = await t.topic("o.fifo", { FifoTopic: "true", ContentBasedDeduplication: "true" });
    await t.subscribeQueue(TopicArn, "q.fifo", { FilterPolicy: '{"k":["v"]}' });
    const first = await t.call("Publish", { TopicArn, Message: "a", MessageGroupId: "g" });
    t.restart();
    const again = await t.call("Publish", { TopicArn, Message: "a", MessageGroupId: "g" });
    expect(again).toEqual(first); // the deduplication record survived
    const next = await t.call("Publish", { TopicArn, Message: "b", MessageGroupId: "g", MessageAttributes: { k: { DataType: "String", StringValue: "v" } } });
    expect(BigInt(String(next.SequenceNumber))).toBe(BigInt(String(first.SequenceNumber)) + 1n);
    await t.flush();
    expect(t.sqs.calls.map((c) => JSON.parse(String(c.input.MessageBody)).Message)).toEqual(["b"]);
  });

  it("a retry in progress is kept across a restart", async () => {
    let fail = true;
    const t = setup({ refuse: () => (fail ? new Error("down") : undefined) });
    const TopicArn = await t.topic();
    await t.subscribeQueue(TopicArn, "q");
    await t.call("Publish", { TopicArn, Message: "m" });
    await t.flush();
    expect(t.sns.deliveries.pending()).toBe(1);
    fail = false;
    t.restart();
    await t.flush();
    expect(t.sqs.calls).toHaveLength(1);
  });
});
