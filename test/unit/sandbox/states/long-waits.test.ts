// Waits of any length AWS allows: the sandbox's real scheduler arms timers longer than Node's
// limit (2^31-1 ms, about 24.8 days) in hops instead of firing them at once, and a Step Functions
// Wait of 30 days really waits 30 days. Node's timers and clock are faked: nothing really waits.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { memoryEnvironment, rootContext } from "@/sandbox/core/memory-environment";
import { MAX_TIMER_MS, realScheduler } from "@/sandbox/core/scheduler";
import type { ServiceModule } from "@/sandbox/core/contracts";
import { createStatesService } from "@/sandbox/services/states";

const DAY = 24 * 60 * 60 * 1000;

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
});
const services: ServiceModule[] = [];
afterEach(() => {
  for (const s of services.splice(0)) s.close?.();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("the sandbox scheduler", () => {
  it("arms a 30-day timer in hops of at most 2^31-1 ms and fires it once, on time", async () => {
    const scheduler = realScheduler();
    const armed = vi.spyOn(globalThis, "setTimeout");
    const fn = vi.fn();
    scheduler.setTimeout(fn, 30 * DAY);
    expect(armed.mock.calls[0]?.[1]).toBe(MAX_TIMER_MS);
    await vi.advanceTimersByTimeAsync(MAX_TIMER_MS);
    expect(fn).not.toHaveBeenCalled();
    // The second hop is armed for what is left, measured against the clock.
    expect(armed.mock.calls[1]?.[1]).toBe(30 * DAY - MAX_TIMER_MS);
    await vi.advanceTimersByTimeAsync(30 * DAY - MAX_TIMER_MS - 1);
    expect(fn).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(60 * DAY);
    expect(fn).toHaveBeenCalledTimes(1);
    scheduler.close();
  });

  it("cancels a long timer between hops, and close() stops it too", async () => {
    const scheduler = realScheduler();
    const cancelled = vi.fn();
    const closed = vi.fn();
    const timer = scheduler.setTimeout(cancelled, 40 * DAY);
    scheduler.setTimeout(closed, 40 * DAY);
    await vi.advanceTimersByTimeAsync(30 * DAY);
    timer.cancel();
    scheduler.close();
    await vi.advanceTimersByTimeAsync(20 * DAY);
    expect(cancelled).not.toHaveBeenCalled();
    expect(closed).not.toHaveBeenCalled();
  });

  it("keeps short timers as they were", async () => {
    const scheduler = realScheduler();
    const fn = vi.fn();
    scheduler.setTimeout(fn, 1500);
    await vi.advanceTimersByTimeAsync(1499);
    expect(fn).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(fn).toHaveBeenCalledTimes(1);
    scheduler.close();
  });
});

describe("a Step Functions Wait longer than 24.8 days", () => {
  it.each([
    ["Seconds", { Seconds: 30 * 24 * 3600 }, {}],
    ["SecondsPath", { SecondsPath: "$.wait" }, { wait: 30 * 24 * 3600 }],
    ["Timestamp", { Timestamp: new Date(Date.UTC(2026, 0, 31)).toISOString() }, {}],
    ["TimestampPath", { TimestampPath: "$.until" }, { until: new Date(Date.UTC(2026, 0, 31)).toISOString() }],
  ])("runs for its whole length (%s)", async (_label, wait, input) => {
    const scheduler = realScheduler();
    const env = { ...memoryEnvironment(), scheduler };
    const states = createStatesService(env);
    services.push(states, { definition: states.definition, resetAccount: () => undefined, close: () => scheduler.close() });
    env.register(states);
    const ctx = rootContext("000000000000", "us-east-1", Date.now());
    const call = (op: string, i: Record<string, unknown>) => env.call("states", op, i, { ...ctx, now: Date.now() });
    const definition = JSON.stringify({ StartAt: "W", States: { W: { Type: "Wait", ...wait, Next: "Done" }, Done: { Type: "Succeed" } } });
    const { stateMachineArn } = await call("CreateStateMachine", { name: "month", definition, roleArn: "arn:aws:iam::000000000000:role/states-role" });
    const { executionArn } = await call("StartExecution", { stateMachineArn, input: JSON.stringify(input) });
    await vi.advanceTimersByTimeAsync(25 * DAY);
    expect((await call("DescribeExecution", { executionArn })).status).toBe("RUNNING");
    await vi.advanceTimersByTimeAsync(5 * DAY - 1000);
    expect((await call("DescribeExecution", { executionArn })).status).toBe("RUNNING");
    await vi.advanceTimersByTimeAsync(2000);
    await states.idle();
    const done = await call("DescribeExecution", { executionArn });
    expect(done.status).toBe("SUCCEEDED");
    expect(Number(done.stopDate) - Number(done.startDate)).toBeGreaterThanOrEqual(30 * 24 * 3600);
  });
});
