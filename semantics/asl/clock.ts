/**
 * Time as the interpreter sees it. Wait states and Retry back-off sleep through this, so a
 * simulated run can use a fake clock that advances instantly while the sandbox uses real time.
 */
export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

export interface FakeClock extends Clock {
  /** Every sleep requested, in milliseconds, in order. */
  readonly sleeps: number[];
}

/** A clock whose sleeps return at once and move its time forward by the slept amount. */
export function fakeClock(start: Date = new Date("2026-01-01T00:00:00.000Z")): FakeClock {
  let t = start.getTime();
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => new Date(t),
    sleep: async (ms) => {
      const d = Math.max(0, ms);
      sleeps.push(d);
      t += d;
    },
  };
}
