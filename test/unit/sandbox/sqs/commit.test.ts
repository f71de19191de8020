// When the SQS model's writes reach the durable store: an operation's own writes when its caller
// commits them (before answering), and writes made by an operation that failed or went on
// waiting at the end of the event loop's turn, as background writes are.
import { describe, expect, it } from "vitest";
import { memoryEnvironment } from "@/sandbox/core/memory-environment";
import { createSqsService } from "@/sandbox/services/sqs";
import { QUEUES, SqsModel } from "@/sandbox/services/sqs/models";
import type { StoredQueue } from "@/sandbox/services/sqs/models";
import { setup } from "./helpers";

const endOfTurn = () => new Promise((resolve) => setImmediate(resolve));

function queue(name: string): StoredQueue {
  return { accountId: "000000000000", region: "us-east-1", name, fifo: false, attributes: {}, tags: {}, createdAt: 0, modifiedAt: 0 };
}

function model() {
  const env = memoryEnvironment();
  const m = new SqsModel(env.store, env.scheduler);
  const stored = () => env.store.load<StoredQueue>(QUEUES).map(([, q]) => q.name);
  return { m, stored };
}

describe("SQS commits", () => {
  it("stores an operation's writes when it is committed, with no flush left for the end of the turn", async () => {
    const { m, stored } = model();
    m.operation(() => m.createQueue(queue("a")));
    expect(stored()).toEqual([]);
    m.commit();
    expect(stored()).toEqual(["a"]);
    m.operation(() => m.createQueue(queue("b")));
    await endOfTurn();
    // Committing is the operation's caller's job (the service commits before it answers).
    expect(stored()).toEqual(["a"]);
    m.commit();
    expect(stored()).toEqual(["a", "b"]);
  });

  it("stores what a failed operation wrote at the end of the turn, and rethrows its error", async () => {
    const { m, stored } = model();
    expect(() =>
      m.operation(() => {
        m.createQueue(queue("half-done"));
        throw new Error("failed after writing");
      }),
    ).toThrow("failed after writing");
    expect(stored()).toEqual([]);
    await endOfTurn();
    expect(stored()).toEqual(["half-done"]);
  });

  it("stores what an operation wrote before it began to wait at the end of the turn", async () => {
    const { m, stored } = model();
    let answer: (() => void) | undefined;
    const waiting = m.operation(() => {
      m.createQueue(queue("waiting"));
      return new Promise<void>((resolve) => (answer = resolve));
    });
    await endOfTurn();
    expect(stored()).toEqual(["waiting"]);
    answer!();
    await waiting;
  });

  it("leaves an operation run inside another to the outer one's commit, even when the inner one fails", async () => {
    const { m, stored } = model();
    m.operation(() => {
      m.operation(() => m.createQueue(queue("inner")));
      expect(() =>
        m.operation(() => {
          m.createQueue(queue("inner-failed"));
          throw new Error("inner failure");
        }),
      ).toThrow("inner failure");
      m.createQueue(queue("outer"));
    });
    await endOfTurn();
    expect(stored()).toEqual([]);
    m.commit();
    expect(stored()).toEqual(["inner", "inner-failed", "outer"]);
  });

  it("answers a call only once its message is stored: a restart right after it finds the message", async () => {
    const t = setup();
    const url = await t.queue("orders");
    await t.call("SendMessage", { QueueUrl: url, MessageBody: "order 1" });
    // As after SIGKILL: a second service over the same store, the first never closed (closing
    // would flush), and no turn of the event loop in between.
    t.env.register(createSqsService(t.env));
    const got = await t.call("ReceiveMessage", { QueueUrl: url });
    expect(got.Messages?.map((m) => m.Body)).toEqual(["order 1"]);
  });
});
