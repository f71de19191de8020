// The per-user-and-step check lock, kept in the database so every app instance sees it
// (ARCHITECTURE.md "Growing past one machine"). The primary key makes taking it atomic; the
// expiry means a check whose process crashed never blocks the learner for longer than the TTL.
import { randomUUID } from "node:crypto";
import { db } from "./db/client";
import { isUniqueViolation } from "./db/unique-violation";

export interface CheckLockKey {
  userId: string;
  lab: string;
  step: number;
}

export interface HeldCheckLock {
  key: CheckLockKey;
  token: string;
  release(): Promise<void>;
}

/** Longer than the longest check (step 6 waits at most 60 s), so a live check keeps its lock. */
export const CHECK_LOCK_TTL_MS = 120_000;

function held(key: CheckLockKey, token: string): HeldCheckLock {
  return {
    key,
    token,
    // Only our own token: a lock taken over after expiry belongs to someone else now.
    release: async () => {
      await db.checkLock.deleteMany({ where: { ...key, token } });
    },
  };
}

async function tryOnce(key: CheckLockKey, ttlMs: number, now: Date): Promise<HeldCheckLock | null> {
  const token = randomUUID();
  const expiresAt = new Date(now.getTime() + ttlMs);
  try {
    await db.checkLock.create({ data: { ...key, token, expiresAt, createdAt: now } });
    return held(key, token);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  // Someone holds it. Take it over only if it has expired; the WHERE makes this a single winner.
  const taken = await db.checkLock.updateMany({ where: { ...key, expiresAt: { lt: now } }, data: { token, expiresAt, createdAt: now } });
  return taken.count === 1 ? held(key, token) : null;
}

/**
 * Takes the lock, or returns null when a check for this learner and step is already running.
 * waitMs > 0 polls that long first (a double click can simply wait for the first check).
 */
export async function acquireCheckLock(
  key: CheckLockKey,
  o: { ttlMs?: number; waitMs?: number; now?: () => Date; pollMs?: number } = {},
): Promise<HeldCheckLock | null> {
  const now = o.now ?? (() => new Date());
  const deadline = Date.now() + (o.waitMs ?? 0);
  for (;;) {
    const lock = await tryOnce(key, o.ttlMs ?? CHECK_LOCK_TTL_MS, now());
    if (lock || Date.now() >= deadline) return lock;
    await new Promise((r) => setTimeout(r, o.pollMs ?? 100));
  }
}
