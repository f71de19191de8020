// The SQS timeline heap: removal keeps heap order, and a deleted message leaves the heap at once
// (it used to stay referenced until its visibility timeout, up to 12 hours, with its body).
import { describe, expect, it } from "vitest";
import { manualScheduler, memoryStore } from "@/sandbox/core/memory-environment";
import { SqsModel } from "@/sandbox/services/sqs/models";
import { MinHeap } from "@/sandbox/services/sqs/structures";

interface Item {
  at: number;
  pos: number;
  id: number;
}

function drain(h: MinHeap<Item>): number[] {
  const out: number[] = [];
  for (let top = h.pop(); top; top = h.pop()) out.push(top.at);
  return out;
}

describe("MinHeap", () => {
  it("pops in order after arbitrary removals", () => {
    // A fixed pseudo-random sequence, so a failure reproduces.
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 50; round++) {
      const h = new MinHeap<Item>();
      const items: Item[] = Array.from({ length: 200 }, (_, id) => ({ at: Math.floor(rand() * 1000), pos: -1, id }));
      for (const it of items) h.push(it);
      const removed = new Set<number>();
      for (const it of items) {
        if (rand() < 0.4) {
          expect(h.remove(it)).toBe(true);
          removed.add(it.id);
        }
      }
      expect(h.size).toBe(items.length - removed.size);
      const expected = items.filter((it) => !removed.has(it.id)).map((it) => it.at).sort((a, b) => a - b);
      expect(drain(h)).toEqual(expected);
    }
  });

  it("refuses to remove what is not in it, and marks what leaves", () => {
    const h = new MinHeap<Item>();
    const a = { at: 1, pos: -1, id: 1 };
    const b = { at: 2, pos: -1, id: 2 };
    h.push(a);
    h.push(b);
    expect(h.pop()).toBe(a);
    expect(a.pos).toBe(-1);
    expect(h.remove(a)).toBe(false);
    expect(h.size).toBe(1);
    h.clear();
    expect(b.pos).toBe(-1);
    expect(h.remove(b)).toBe(false);
  });
});

describe("SqsModel timeline", () => {
  it("lets go of a message as soon as it is deleted, and of its old entry when its visibility changes", () => {
    const scheduler = manualScheduler();
    const model = new SqsModel(memoryStore(), scheduler);
    const now = scheduler.now();
    const q = model.createQueue({ accountId: "000000000000", region: "us-east-1", name: "q", fifo: false, attributes: {}, tags: {}, createdAt: now, modifiedAt: now });
    for (const id of ["m1", "m2"]) {
      model.addMessage(q, { id, body: id, md5Body: "", senderId: "000000000000", sentAt: now, enqueuedAt: now, visibleAt: now, receiveCount: 0 }, now);
    }
    const [m1, m2] = model.take(q, { max: 2, visibilityMs: 30_000 }, now);
    expect(q.timeline.size).toBe(2);
    model.changeVisibility(q, m2!, now + 60_000, now);
    expect(q.timeline.size).toBe(2); // replaced, not added
    model.deleteMessage(q, m1!);
    expect(q.timeline.size).toBe(1);
    model.deleteMessage(q, m2!);
    expect(q.timeline.size).toBe(0);
    model.close();
  });
});
