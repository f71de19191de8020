// Real timers that all stop when the sandbox closes. They are unref'd: background work never
// keeps a process alive on its own (the HTTP server does that).
import type { Scheduler } from "./contracts";

export interface ClosableScheduler extends Scheduler {
  close(): void;
}

/**
 * Node's timers hold at most 2^31-1 ms (about 24.8 days); a longer delay is taken as 1 ms and
 * fires at once. Longer waits (a Step Functions Wait of 30 days, a yearly schedule) are armed in
 * hops of this size until the deadline is near.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

// A failing background task is logged, never allowed to take the server down.
function guarded(fn: () => void): void {
  try {
    const result: unknown = fn();
    if (result instanceof Promise) result.catch((e: unknown) => console.error("sandbox: background task failed:", e));
  } catch (e) {
    console.error("sandbox: background task failed:", e);
  }
}

export function realScheduler(): ClosableScheduler {
  const live = new Set<NodeJS.Timeout>();
  let closed = false;
  const track = (timer: NodeJS.Timeout): NodeJS.Timeout => {
    timer.unref();
    live.add(timer);
    return timer;
  };
  return {
    now: () => Date.now(),
    setTimeout(fn, ms) {
      if (closed) return { cancel() {} };
      // The deadline is fixed now; each hop re-measures what is left against the clock.
      const deadline = Date.now() + Math.max(0, ms);
      let current: NodeJS.Timeout;
      const arm = (left: number) => {
        current = track(
          setTimeout(() => {
            live.delete(current);
            const remaining = deadline - Date.now();
            if (remaining > 0 && left > MAX_TIMER_MS) arm(remaining);
            else guarded(fn);
          }, Math.min(Math.max(0, left), MAX_TIMER_MS)),
        );
      };
      arm(Math.max(0, ms));
      return {
        cancel() {
          clearTimeout(current);
          live.delete(current);
        },
      };
    },
    setInterval(fn, ms) {
      if (closed) return { cancel() {} };
      const timer = track(setInterval(() => guarded(fn), Math.min(Math.max(1, ms), MAX_TIMER_MS)));
      return {
        cancel() {
          clearInterval(timer);
          live.delete(timer);
        },
      };
    },
    close() {
      closed = true;
      for (const t of live) clearTimeout(t);
      live.clear();
    },
  };
}
