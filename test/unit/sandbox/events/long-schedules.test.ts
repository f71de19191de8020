// Schedules of any length AWS allows, on the sandbox's real scheduler (Node's timers and clock
// faked): a rule that fires every 30 days fires on day 30, not before (a single timer cannot wait
// that long), and a restart (a new EventBridge service on the same store) keeps the schedule.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RequestContext, ServiceModule } from "@/sandbox/core/contracts";
import { memoryEnvironment, memoryStore, rootContext } from "@/sandbox/core/memory-environment";
import { realScheduler } from "@/sandbox/core/scheduler";
import { createEventsService } from "@/sandbox/services/events";

const DAY = 24 * 60 * 60 * 1000;
const ACCOUNT = "000000000000";
const QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT}:monthly`;

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
});
const closing: Array<() => void> = [];
afterEach(() => {
  for (const close of closing.splice(0)) close();
  vi.useRealTimers();
});

/** One life of the sandbox: EventBridge on a real scheduler, and an SQS that records what it is sent. */
function boot(store = memoryStore()) {
  const scheduler = realScheduler();
  const env = { ...memoryEnvironment(), scheduler, store };
  const sent: string[] = [];
  const sqs: ServiceModule = {
    definition: {
      signingName: "sqs",
      operations: {
        SendMessage: {
          action: "sqs:SendMessage",
          handler: (input: Record<string, unknown>) => {
            sent.push(String(input.MessageBody));
            return { MessageId: "m" };
          },
        },
      } as unknown as ServiceModule["definition"]["operations"],
    },
    resetAccount: () => undefined,
  };
  env.register(sqs);
  const events = createEventsService(env);
  env.register(events);
  const close = () => {
    events.close?.();
    scheduler.close();
  };
  closing.push(close);
  const call = (op: string, input: Record<string, unknown>) => env.call("events", op, input, { ...rootContext(ACCOUNT), now: Date.now() } as RequestContext);
  return { store, sent, call, close };
}

describe("a schedule longer than 24.8 days", () => {
  it("fires every 30 days, not before, and keeps its rhythm across a restart", async () => {
    const first = boot();
    await first.call("PutRule", { Name: "monthly", ScheduleExpression: "rate(30 days)" });
    await first.call("PutTargets", { Rule: "monthly", Targets: [{ Id: "q", Arn: QUEUE }] });
    await vi.advanceTimersByTimeAsync(29 * DAY);
    expect(first.sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(DAY + 1000);
    expect(first.sent).toHaveLength(1);
    expect(JSON.parse(first.sent[0] as string)).toMatchObject({ "detail-type": "Scheduled Event", source: "aws.events", time: "2026-01-31T00:00:00Z" });

    // Down on day 40; up again on day 45: the next firing is still day 60.
    await vi.advanceTimersByTimeAsync(10 * DAY);
    first.close();
    await vi.advanceTimersByTimeAsync(5 * DAY);
    const second = boot(first.store);
    await vi.advanceTimersByTimeAsync(15 * DAY - 2000);
    expect(second.sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(second.sent).toHaveLength(1);
    expect(JSON.parse(second.sent[0] as string)).toMatchObject({ time: "2026-03-02T00:00:00Z" });
  });
});
