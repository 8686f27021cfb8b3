import { LRUCache } from "lru-cache";
import type { Clock } from "../../clock.js";

/**
 * What GitHub answered each caller, in memory: the validators (`ETag`, `Last-Modified`) with the
 * parsed answer for REST, so a revisit asks "changed?" and a `304` (free of rate limit) serves the
 * answer we had; and GraphQL answers for a short time (GraphQL has no validators).
 *
 * One LRU keyed by (caller, resource), bounded by an estimate of its size in bytes rather than by
 * a count, since a file's text and a profile differ a hundredfold. Entries are per caller because
 * GitHub's answers depend on who asks: one account's answer is never served to another.
 */

export interface CachedResponse {
  etag?: string;
  lastModified?: string;
  /** The answer as the caller's schema parsed it (only the fields the previews use). */
  value: unknown;
}

export interface ResponseCacheOptions {
  clock: Clock;
  /** Budget in bytes of JSON; default 64 MiB. */
  maxBytes?: number;
}

export interface ResponseCache {
  get(callerId: string, key: string): CachedResponse | undefined;
  /** `ttlMs` for answers without validators (GraphQL); REST entries live until evicted. */
  set(callerId: string, key: string, entry: CachedResponse, ttlMs?: number): void;
}

const OVERHEAD_BYTES = 200;

export function createResponseCache(opts: ResponseCacheOptions): ResponseCache {
  const cache = new LRUCache<string, CachedResponse>({
    maxSize: opts.maxBytes ?? 64 * 1024 * 1024,
    sizeCalculation: (entry, key) => key.length + OVERHEAD_BYTES + (JSON.stringify(entry.value)?.length ?? 0),
    perf: opts.clock,
    // exact expiry against the injected clock (the default caches "now" for a millisecond)
    ttlResolution: 0,
  });
  const k = (callerId: string, key: string) => `${callerId}\u0000${key}`;
  return {
    get: (callerId, key) => cache.get(k(callerId, key)),
    set: (callerId, key, entry, ttlMs) => void cache.set(k(callerId, key), entry, ttlMs === undefined ? undefined : { ttl: ttlMs }),
  };
}
