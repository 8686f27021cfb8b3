import type { Response } from "express";
import type { RateLimitInfo } from "./graphqlData.js";

/**
 * GitHub's primary rate limit bookkeeping, per user and resource (`core` for REST, `graphql`),
 * so answers carry believable `x-ratelimit-*` headers and tests can read how many points were
 * spent. Like GitHub, a `304 Not Modified` costs nothing. The fake never enforces the limit; the
 * `rate_limited` failure mode simulates an exhausted one.
 */

export const LIMIT = 5000;

export type RateResource = "core" | "graphql";

export function createRateLimits() {
  const used = new Map<string, number>();
  const resetEpoch = Math.floor(Date.now() / 1000) + 3600;

  return {
    /** Counts one call and sets the headers on `res`. */
    hit(res: Response, login: string, resource: RateResource): RateLimitInfo {
      const key = `${login.toLowerCase()}:${resource}`;
      const count = (used.get(key) ?? 0) + 1;
      used.set(key, count);
      const info = { limit: LIMIT, used: count, remaining: Math.max(0, LIMIT - count), resetAt: new Date(resetEpoch * 1000).toISOString() };
      setRateHeaders(res, resource, info.remaining, count, resetEpoch);
      return info;
    },
    /** Sets the headers without counting a call (a `304`). */
    peek(res: Response, login: string, resource: RateResource): void {
      const count = used.get(`${login.toLowerCase()}:${resource}`) ?? 0;
      setRateHeaders(res, resource, Math.max(0, LIMIT - count), count, resetEpoch);
    },
    /** Points spent so far by a login on a resource. */
    used(login: string, resource: RateResource): number {
      return used.get(`${login.toLowerCase()}:${resource}`) ?? 0;
    },
    resetEpoch,
  };
}

export function setRateHeaders(res: Response, resource: RateResource, remaining: number, used: number, resetEpoch: number): void {
  res.set({
    "x-ratelimit-limit": String(LIMIT),
    "x-ratelimit-remaining": String(remaining),
    "x-ratelimit-reset": String(resetEpoch),
    "x-ratelimit-used": String(used),
    "x-ratelimit-resource": resource,
  });
}
