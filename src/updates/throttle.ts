/**
 * Keeps each Notion connection (grant) under Notion's average of three requests per second: a
 * token bucket per grant, plus a pause when Notion answered 429 with a Retry-After. In memory and
 * per process, on purpose: it only has to smooth our own bursts, and a wrong guess costs one 429,
 * which is retried. Pure state machine: time is a parameter.
 */
export interface Throttle {
  /** Takes a token: 0 when the request may go now, else how long to wait (nothing was taken). */
  take(grantId: string, now: number): number;
  /** Notion asked this connection (at `now`) to wait until `until`. */
  pause(grantId: string, now: number, until: number): void;
  /** Grants that cannot send at `now` (at most `limit`): the worker leaves their jobs waiting. */
  blocked(now: number, limit?: number): string[];
}

export interface ThrottleOptions {
  /** Sustained rate per grant. */
  perSecond: number;
  /** Requests a grant may send at once after being idle. */
  burst: number;
}

export const NOTION_RATE: ThrottleOptions = { perSecond: 3, burst: 3 };

interface Bucket {
  tokens: number;
  at: number;
  pausedUntil: number;
}

export function createThrottle(opts: ThrottleOptions = NOTION_RATE): Throttle {
  const buckets = new Map<string, Bucket>();
  const refill = (b: Bucket, now: number) => {
    if (now > b.at) {
      b.tokens = Math.min(opts.burst, b.tokens + ((now - b.at) * opts.perSecond) / 1000);
      b.at = now;
    }
    return b;
  };
  const bucket = (grantId: string, now: number) => {
    let b = buckets.get(grantId);
    if (!b) {
      b = { tokens: opts.burst, at: now, pausedUntil: 0 };
      buckets.set(grantId, b);
    }
    return refill(b, now);
  };
  const waitOf = (b: Bucket, now: number) =>
    Math.max(b.pausedUntil - now, b.tokens >= 1 ? 0 : Math.ceil(((1 - b.tokens) * 1000) / opts.perSecond));

  return {
    take(grantId, now) {
      const b = bucket(grantId, now);
      const wait = waitOf(b, now);
      if (wait > 0) return wait;
      b.tokens -= 1;
      return 0;
    },
    pause(grantId, now, until) {
      const b = bucket(grantId, now);
      b.pausedUntil = Math.max(b.pausedUntil, until);
    },
    blocked(now, limit = 500) {
      const out: string[] = [];
      for (const [grantId, b] of buckets) {
        refill(b, now);
        if (waitOf(b, now) > 0) {
          if (out.length < limit) out.push(grantId);
        } else if (b.tokens >= opts.burst) {
          // Full and unpaused: the same as no bucket at all, so the map stays small.
          buckets.delete(grantId);
        }
      }
      return out;
    },
  };
}
