// The DB-backed check lock and rate limiter on their own, on both providers.
import { beforeAll, describe, expect, it } from "vitest";
import { databaseSkipReason, testProvider, useTestDatabase } from "../../support/test-database";

const skipReason = databaseSkipReason();

describe.skipIf(skipReason)(`check lock and rate limit on ${testProvider()}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let lock: typeof import("@/lib/check-lock");
  let rate: typeof import("@/lib/rate-limit");
  const key = { userId: "u1", lab: "order-system", step: 3 };

  beforeAll(async () => {
    await useTestDatabase();
    lock = await import("@/lib/check-lock");
    rate = await import("@/lib/rate-limit");
  });

  it("gives the lock to one holder at a time and frees it on release", async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => lock.acquireCheckLock(key)));
    expect(results.filter(Boolean)).toHaveLength(1);
    await results.find(Boolean)!.release();
    const again = await lock.acquireCheckLock(key);
    expect(again).not.toBeNull();
    await again!.release();
  });

  it("lets the next press take over a lock whose check crashed, once it expired", async () => {
    const t0 = new Date("2026-11-26T10:00:00Z");
    const crashed = await lock.acquireCheckLock(key, { ttlMs: 1000, now: () => t0 });
    expect(crashed).not.toBeNull();
    expect(await lock.acquireCheckLock(key, { now: () => new Date(t0.getTime() + 500) })).toBeNull();
    const next = await lock.acquireCheckLock(key, { now: () => new Date(t0.getTime() + 1500) });
    expect(next).not.toBeNull();
    // The crashed holder's late release must not free the new holder's lock.
    await crashed!.release();
    expect(await lock.acquireCheckLock(key, { now: () => new Date(t0.getTime() + 1600) })).toBeNull();
    await next!.release();
  });

  it("waits briefly for a running check when asked to", async () => {
    const first = await lock.acquireCheckLock(key);
    setTimeout(() => void first!.release(), 150);
    const second = await lock.acquireCheckLock(key, { waitMs: 3000, pollMs: 50 });
    expect(second).not.toBeNull();
    await second!.release();
  });

  it("allows the limit per window, then says when to retry; a new window starts afresh", async () => {
    const now = new Date("2026-11-26T10:00:45Z");
    const take = (at = now) => rate.takeRateLimitToken("check:r1", { limit: 3, now: at });
    const decisions = await Promise.all([take(), take(), take()]);
    expect(decisions.every((d) => d.allowed)).toBe(true);
    expect(await take()).toEqual({ allowed: false, retryAfter: 15 });
    expect(await rate.takeRateLimitToken("check:r2", { limit: 3, now })).toMatchObject({ allowed: true, remaining: 2 });
    expect(await take(new Date("2026-11-26T10:01:01Z"))).toMatchObject({ allowed: true, remaining: 2 });
  });
});
