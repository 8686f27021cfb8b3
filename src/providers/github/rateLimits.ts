import { LRUCache } from "lru-cache";
import type { Clock } from "../../clock.js";
import { UnfurlError } from "../../http/errors.js";
import { MESSAGES, type FailureHeaders, rateLimitedMessage } from "./errors.js";

/**
 * What GitHub told us about each caller's rate limits, so that once a limit is used up the next
 * previews answer at once with an error instead of spending a request (and, for secondary limits,
 * instead of making GitHub angrier). Primary limits are per resource (`core` for REST, `graphql`);
 * a secondary limit (`retry-after`) holds every call of that caller.
 */

export type RateResource = "core" | "graphql";

/** Without `retry-after`, GitHub asks to wait at least a minute after a secondary limit. */
const SECONDARY_DEFAULT_MS = 60_000;
/** A reset further away than this is a clock problem on one side; do not block for longer. */
const MAX_BLOCK_MS = 3_600_000;

interface CallerLimits {
  /** Epoch ms until which the resource's primary limit is used up. */
  exhaustedUntil: Partial<Record<RateResource, number>>;
  /** Epoch ms until which a secondary limit holds every call. */
  holdUntil?: number;
}

export interface RateLimiter {
  /** Throws `UnfurlError(429)` when the caller may not call `resource` now. */
  check(callerId: string, resource: RateResource): void;
  /** Learns from an answer's headers (any status). Returns the error when the answer is a limit. */
  observe(callerId: string, resource: RateResource, headers: FailureHeaders, limited: boolean): UnfurlError | null;
}

export function createRateLimiter(clock: Clock): RateLimiter {
  const callers = new LRUCache<string, CallerLimits>({ max: 50_000 });
  const entry = (id: string) => {
    let limits = callers.get(id);
    if (!limits) {
      limits = { exhaustedUntil: {} };
      callers.set(id, limits);
    }
    return limits;
  };

  return {
    check(callerId, resource) {
      const limits = callers.get(callerId);
      if (!limits) return;
      const now = clock.now();
      if (limits.holdUntil !== undefined && limits.holdUntil > now) throw new UnfurlError(429, MESSAGES.secondaryLimited);
      const until = limits.exhaustedUntil[resource];
      if (until !== undefined && until > now) throw new UnfurlError(429, rateLimitedMessage(until));
    },

    observe(callerId, resource, headers, limited) {
      const now = clock.now();
      const retryAfter = Number(headers.get("retry-after"));
      const remaining = headers.get("x-ratelimit-remaining");
      const reset = Number(headers.get("x-ratelimit-reset")) * 1000;
      const headerResource = headers.get("x-ratelimit-resource");
      const res: RateResource = headerResource === "graphql" ? "graphql" : headerResource === "core" ? "core" : resource;

      if (remaining === "0" && Number.isFinite(reset) && reset > now) {
        entry(callerId).exhaustedUntil[res] = Math.min(reset, now + MAX_BLOCK_MS);
      } else if (remaining !== null && remaining !== "0") {
        const limits = callers.get(callerId);
        if (limits) delete limits.exhaustedUntil[res];
      }
      if (!limited) return null;

      if (remaining === "0") return new UnfurlError(429, rateLimitedMessage(entry(callerId).exhaustedUntil[res]));
      // a limit that is not the primary one is a secondary limit
      const waitMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : SECONDARY_DEFAULT_MS;
      entry(callerId).holdUntil = now + Math.min(waitMs, MAX_BLOCK_MS);
      return new UnfurlError(429, MESSAGES.secondaryLimited);
    },
  };
}
