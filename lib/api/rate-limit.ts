// Requests per token per minute (env API_RATE_LIMIT_PER_MINUTE), counted in the database like the
// learner's check limit, so every app instance shares one budget per token.
import { env } from "../env";
import { takeRateLimitToken } from "../rate-limit";
import { ApiProblem } from "./problem";

export const apiRateLimitKey = (tokenId: string) => `api:${tokenId}`;

export interface ApiRateLimitOptions {
  limit?: number;
  now?: Date;
}

/** Counts one request of the token; throws a 429 problem with Retry-After once over the limit. Returns the headers for a success. */
export async function takeApiRequest(tokenId: string, o: ApiRateLimitOptions = {}): Promise<Headers> {
  const limit = o.limit ?? env.API_RATE_LIMIT_PER_MINUTE;
  const decision = await takeRateLimitToken(apiRateLimitKey(tokenId), { limit, ...(o.now ? { now: o.now } : {}) });
  if (!decision.allowed) {
    const s = decision.retryAfter;
    throw new ApiProblem(429, "rate-limited", `This token has made ${limit} requests in the last minute, its limit. Try again in ${s} ${s === 1 ? "second" : "seconds"}.`, {
      headers: { "Retry-After": String(s), "RateLimit-Limit": String(limit), "RateLimit-Remaining": "0" },
      extensions: { retryAfter: s },
    });
  }
  return new Headers({ "RateLimit-Limit": String(limit), "RateLimit-Remaining": String(decision.remaining) });
}
