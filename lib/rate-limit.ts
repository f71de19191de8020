// Fixed-window rate limits with the counters in the database, so several app instances share
// them (ARCHITECTURE.md "Growing past one machine"). A fixed window can let through up to twice
// the limit across a window boundary; for "10 checks a minute" that is fine and needs one row.
import { db } from "./db/client";
import { isUniqueViolation } from "./db/unique-violation";

export type RateLimitDecision = { allowed: true; remaining: number } | { allowed: false; retryAfter: number };

export interface RateLimitOptions {
  limit: number;
  windowMs?: number;
  now?: Date;
}

/** Counts one use of `key`; refuses it, with the seconds until the window ends, once over the limit. */
export async function takeRateLimitToken(key: string, o: RateLimitOptions): Promise<RateLimitDecision> {
  const windowMs = o.windowMs ?? 60_000;
  const now = o.now ?? new Date();
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const where = { key_windowStart: { key, windowStart } };
  let count: number;
  try {
    count = (await db.rateLimitBucket.upsert({ where, create: { key, windowStart, count: 1 }, update: { count: { increment: 1 } }, select: { count: true } })).count;
  } catch (err) {
    // Two first uses in a new window raced to create the row: the loser increments the winner's.
    if (!isUniqueViolation(err)) throw err;
    count = (await db.rateLimitBucket.update({ where, data: { count: { increment: 1 } }, select: { count: true } })).count;
  }
  // The first use of a window clears this key's old ones, so the table stays one row per key.
  if (count === 1) await db.rateLimitBucket.deleteMany({ where: { key, windowStart: { lt: windowStart } } });
  if (count > o.limit) {
    return { allowed: false, retryAfter: Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000)) };
  }
  return { allowed: true, remaining: o.limit - count };
}
