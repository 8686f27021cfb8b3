/**
 * When a failed job runs again: exponential backoff with "equal jitter" (half fixed, half random),
 * so retries of many jobs that failed together (an outage) spread out instead of returning as one
 * wave, while each still waits at least half its step. Pure; `random` is a parameter for tests.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, maxMs: 15 * 60_000 };

/** Delay before attempt `attempt + 1`, after `attempt` (≥ 1) failed. */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}
