// Prisma reports a unique-constraint violation as P2002 on both providers; the lock and the
// rate limiter use it to tell "someone else got there first" from a real failure.
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "P2002";
}
