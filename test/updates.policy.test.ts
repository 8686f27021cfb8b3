/** The queue's pure policies: backoff with jitter, Retry-After, the per-grant throttle. */
import { describe, expect, it } from "vitest";
import { backoffDelay } from "../src/updates/backoff.js";
import { parseRetryAfter } from "../src/updates/retryAfter.js";
import { createThrottle } from "../src/updates/throttle.js";
import { anyKeyStartingWith, wildcardPrefix } from "../src/updates/wildcard.js";

describe("backoffDelay", () => {
  const policy = { baseMs: 1000, maxMs: 60_000 };
  it("doubles per attempt up to the cap, jittered within the upper half of each step", () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, policy, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, policy, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffDelay(30, policy, () => 1)).toBe(60_000);
    expect(backoffDelay(30, policy, () => 0)).toBe(30_000);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2024-05-01T12:00:00Z");
  it("reads delay-seconds and HTTP-dates", () => {
    expect(parseRetryAfter("30", now)).toBe(30_000);
    expect(parseRetryAfter(" 1.5 ", now)).toBe(1_500);
    expect(parseRetryAfter("Wed, 01 May 2024 12:00:10 GMT", now)).toBe(10_000);
    expect(parseRetryAfter("Wed, 01 May 2024 11:00:00 GMT", now)).toBe(0);
  });
  it("answers null when absent or unreadable", () => {
    for (const value of [undefined, null, "", "soon", "-5"]) expect(parseRetryAfter(value, now)).toBeNull();
  });
});

describe("throttle", () => {
  it("lets a burst through, then paces each grant on its own at the sustained rate", () => {
    const t = createThrottle({ perSecond: 3, burst: 3 });
    expect([0, 0, 0].map(() => t.take("a", 0))).toEqual([0, 0, 0]);
    expect(t.take("a", 0)).toBe(334);
    expect(t.take("b", 0)).toBe(0);
    expect(t.blocked(0)).toEqual(["a"]);
    expect(t.take("a", 334)).toBe(0);
    expect(t.take("a", 334)).toBeGreaterThan(0);
  });

  it("holds a paused grant until its Retry-After, then forgets idle full buckets", () => {
    const t = createThrottle({ perSecond: 3, burst: 3 });
    t.pause("a", 0, 30_000);
    expect(t.take("a", 29_999)).toBe(1);
    expect(t.blocked(10_000)).toEqual(["a"]);
    expect(t.take("a", 30_000)).toBe(0);
    expect(t.blocked(60_000)).toEqual([]);
  });
});

describe("wildcard keys", () => {
  it("round-trip a prefix, and leave plain keys alone", () => {
    expect(wildcardPrefix(anyKeyStartingWith("github:h:acme/"))).toBe("github:h:acme/");
    expect(wildcardPrefix("github:h:acme/widgets#pull/1")).toBeNull();
  });
});
