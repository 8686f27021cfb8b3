/**
 * `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date → milliseconds from `now`.
 * Null when absent or unreadable (the caller falls back to its backoff). Pure.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  // HTTP-dates name the zone (`… GMT`); anything else Date.parse accepts ("-5") is not one.
  const date = /GMT$/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
