// Real timers that all stop when the sandbox closes. They are unref'd: background work never
// keeps a process alive on its own (the HTTP server does that).
import type { Scheduler } from "./contracts";

export interface ClosableScheduler extends Scheduler {
  close(): void;
}

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
  const track = (timer: NodeJS.Timeout, once: boolean) => {
    timer.unref();
    live.add(timer);
    return {
      cancel() {
        (once ? clearTimeout : clearInterval)(timer);
        live.delete(timer);
      },
    };
  };
  return {
    now: () => Date.now(),
    setTimeout(fn, ms) {
      if (closed) return { cancel() {} };
      const timer: NodeJS.Timeout = setTimeout(() => {
        live.delete(timer);
        guarded(fn);
      }, Math.max(0, ms));
      return track(timer, true);
    },
    setInterval(fn, ms) {
      if (closed) return { cancel() {} };
      return track(setInterval(() => guarded(fn), Math.max(1, ms)), false);
    },
    close() {
      closed = true;
      for (const t of live) clearTimeout(t);
      live.clear();
    },
  };
}
