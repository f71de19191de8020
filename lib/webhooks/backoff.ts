// When a failed delivery is tried again: 5 tries in all, the n-th retry after base × 2^(n−1)
// (default base 40 s: 40, 80, 160, 320 s, about 10 minutes from the first try to the last).
export const MAX_TRIES = 5;

/** The delay after failed try number `tries` (1-based), or null when no try is left. */
export function retryDelayMs(tries: number, baseMs: number): number | null {
  if (tries >= MAX_TRIES) return null;
  return baseMs * 2 ** (tries - 1);
}
