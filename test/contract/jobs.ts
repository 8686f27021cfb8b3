/**
 * The JobStore contract (`store.jobs`): every Store implementation runs it from `storeContract`.
 * Each test gets a fresh, empty store. Times are plain numbers: the store never reads a clock.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LeasedJob, NewJob } from "../../src/store/jobs.js";
import type { Grant, Store } from "../../src/store/types.js";
import type { StoreFactory } from "./store.js";

const T0 = 1_700_000_000_000;
const LEASE = 60_000;
const PR = "github:github.com:acme/widgets#pull/1";

const refresh = (key: string, runAfter = T0, onlyIfChanged = false): NewJob => ({ kind: "refresh", key, runAfter, onlyIfChanged });
const push = (grantId: string, uri: string, runAfter = T0): NewJob => ({ kind: "push", grantId, key: uri, runAfter });

export function jobsContract(name: string, factory: StoreFactory): void {
  describe(`JobStore contract: ${name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await factory());
    });
    afterEach(async () => {
      await cleanup();
    });

    const jobs = () => store.jobs;
    const claim = (now = T0, skipGrants: string[] = []) => jobs().claim({ now, leaseMs: LEASE, skipGrants });
    async function claimAll(now = T0): Promise<LeasedJob[]> {
      const all: LeasedJob[] = [];
      for (let job = await claim(now); job; job = await claim(now)) all.push(job);
      return all;
    }

    async function newGrant(id: string, externalId: string): Promise<Grant> {
      const account = await store.upsertAccount({ provider: "github", externalId, login: `u${externalId}`, avatarUrl: null }, T0);
      return store.createGrant(
        {
          id,
          accountId: account.id,
          clientId: "notion",
          notionWorkspaceId: null,
          notionWorkspaceName: null,
          notionBotId: null,
          upstreamTokenSealed: "sealed",
          notionTokenSealed: "sealed",
        },
        T0,
      );
    }

    describe("deliveries", () => {
      it("records a delivery once with its jobs; a redelivery enqueues nothing", async () => {
        expect(await jobs().recordDelivery({ id: "d-1", event: "pull_request" }, [refresh(PR, T0 + 2000)], T0)).toBe(true);
        expect(await jobs().recordDelivery({ id: "d-1", event: "pull_request" }, [refresh("other", T0)], T0 + 5)).toBe(false);
        expect(await claim(T0 + 10_000)).toMatchObject({ kind: "refresh", key: PR, attempts: 1 });
        expect(await claim(T0 + 10_000)).toBeNull();
      });

      it("purges deliveries and dead jobs older than the cutoff, and nothing else", async () => {
        await jobs().recordDelivery({ id: "old", event: "ping" }, [], T0);
        await jobs().recordDelivery({ id: "new", event: "ping" }, [], T0 + 100);
        await jobs().enqueue([refresh("a"), refresh("b")], T0);
        const [a] = await claimAll();
        await jobs().bury(a as LeasedJob, "boom", T0);
        expect(await jobs().purge(T0 + 50)).toBe(2);
        expect(await jobs().recordDelivery({ id: "old", event: "ping" }, [], T0 + 200)).toBe(true);
        expect(await jobs().recordDelivery({ id: "new", event: "ping" }, [], T0 + 200)).toBe(false);
        expect(await jobs().counts()).toEqual({ pending: 0, leased: 1, dead: 0 });
      });
    });

    describe("enqueue and claim", () => {
      it("coalesces a waiting job: one row, due at the earlier time, only-if-changed only if all were", async () => {
        await jobs().enqueue([refresh(PR, T0 + 2000, true)], T0);
        await jobs().enqueue([refresh(PR, T0 + 3000, true), refresh(PR, T0 + 2500, false)], T0 + 1000);
        expect(await jobs().nextDue()).toBe(T0 + 2000);
        expect(await claim(T0 + 1999)).toBeNull();
        const job = await claim(T0 + 2000);
        expect(job).toMatchObject({ kind: "refresh", key: PR, grantId: "", onlyIfChanged: false, attempts: 1 });
        expect(await claim(T0 + 2000)).toBeNull();
        expect(await jobs().counts()).toEqual({ pending: 0, leased: 1, dead: 0 });
      });

      it("keeps jobs of different kinds, grants or keys apart", async () => {
        await jobs().enqueue([push("g1", "https://u/1"), push("g2", "https://u/1"), push("g1", "https://u/2"), refresh("https://u/1")], T0);
        const claimed = await claimAll();
        expect(claimed.map((j) => [j.kind, j.grantId, j.key]).sort()).toEqual([
          ["push", "g1", "https://u/1"],
          ["push", "g1", "https://u/2"],
          ["push", "g2", "https://u/1"],
          ["refresh", "", "https://u/1"],
        ]);
      });

      it("starts a new waiting job for a key whose job is running (the run may have read stale data)", async () => {
        await jobs().enqueue([refresh(PR)], T0);
        const running = await claim();
        await jobs().enqueue([refresh(PR, T0 + 10)], T0 + 1);
        const next = await claim(T0 + 10);
        expect(next).toMatchObject({ key: PR, attempts: 1 });
        expect(next?.id).not.toBe(running?.id);
      });

      it("claims due jobs oldest first and skips throttled grants", async () => {
        await jobs().enqueue([push("g1", "https://u/late", T0 + 5), push("g2", "https://u/early", T0 + 1), push("g1", "https://u/first", T0)], T0);
        const order = [];
        for (let job = await claim(T0 + 10, ["g2"]); job; job = await claim(T0 + 10, ["g2"])) order.push(job.key);
        expect(order).toEqual(["https://u/first", "https://u/late"]);
        expect((await claim(T0 + 10))?.key).toBe("https://u/early");
      });

      it("gives a job whose lease expired (its worker died) to the next claim, with a new lease", async () => {
        await jobs().enqueue([refresh(PR)], T0);
        const first = await claim(T0);
        expect(first).toMatchObject({ attempts: 1, leaseUntil: T0 + LEASE });
        expect(await jobs().nextDue()).toBe(T0 + LEASE);
        expect(await claim(T0 + LEASE - 1)).toBeNull();
        const second = await claim(T0 + LEASE);
        expect(second).toMatchObject({ id: first?.id, attempts: 2, leaseUntil: T0 + 2 * LEASE });
        expect(second?.leaseToken).not.toBe(first?.leaseToken);
        // The dead worker's late answers change nothing.
        expect(await jobs().complete(first as LeasedJob, [refresh("x")], T0 + LEASE)).toBe(false);
        expect(await jobs().release(first as LeasedJob, { runAfter: T0, error: "x", refund: false }, T0 + LEASE)).toBe(false);
        expect(await jobs().bury(first as LeasedJob, "x", T0 + LEASE)).toBe(false);
        expect(await jobs().counts()).toEqual({ pending: 0, leased: 1, dead: 0 });
        expect(await jobs().complete(second as LeasedJob, [], T0 + LEASE)).toBe(true);
        expect(await jobs().nextDue()).toBeNull();
      });

      it("never gives one job to two of many concurrent claims", async () => {
        await jobs().enqueue(
          Array.from({ length: 30 }, (_, i) => refresh(`key-${i}`)),
          T0,
        );
        await Promise.all(Array.from({ length: 8 }, () => store.ping()));
        const claimed: number[] = [];
        await Promise.all(
          Array.from({ length: 8 }, async () => {
            for (let job = await claim(); job; job = await claim()) claimed.push(job.id);
          }),
        );
        expect(claimed).toHaveLength(30);
        expect(new Set(claimed).size).toBe(30);
      });
    });

    describe("complete, release, bury", () => {
      it("completes a job and enqueues its follow-ups in one step", async () => {
        await jobs().enqueue([refresh(PR)], T0);
        const job = (await claim()) as LeasedJob;
        expect(await jobs().complete(job, [push("g1", "https://u/1", T0 + 5), push("g2", "https://u/1", T0 + 5)], T0 + 1)).toBe(true);
        expect(await jobs().complete(job, [], T0 + 2)).toBe(false);
        expect((await claimAll(T0 + 5)).map((j) => j.grantId).sort()).toEqual(["g1", "g2"]);
      });

      it("releases a job to wait again, refunding the attempt of a rate limit", async () => {
        await jobs().enqueue([push("g1", "https://u/1")], T0);
        const first = (await claim()) as LeasedJob;
        expect(await jobs().release(first, { runAfter: T0 + 1000, error: "HTTP 503", refund: false }, T0)).toBe(true);
        expect(await claim(T0 + 999)).toBeNull();
        const second = (await claim(T0 + 1000)) as LeasedJob;
        expect(second).toMatchObject({ attempts: 2, lastError: "HTTP 503", grantId: "g1", key: "https://u/1" });
        await jobs().release(second, { runAfter: T0 + 2000, error: "429", refund: true }, T0 + 1000);
        expect(await claim(T0 + 2000)).toMatchObject({ attempts: 2, lastError: "429" });
      });

      it("merges a released job with a newer request for it, due at the later time", async () => {
        await jobs().enqueue([push("g1", "https://u/1")], T0);
        const running = (await claim()) as LeasedJob;
        await jobs().enqueue([push("g1", "https://u/1", T0 + 10)], T0 + 1);
        await jobs().release(running, { runAfter: T0 + 30_000, error: "Retry-After: 30", refund: true }, T0 + 2);
        expect(await jobs().counts()).toEqual({ pending: 1, leased: 0, dead: 0 });
        expect(await claim(T0 + 29_999)).toBeNull();
        expect(await claim(T0 + 30_000)).toMatchObject({ key: "https://u/1", lastError: "Retry-After: 30" });
      });

      it("buries a job as a dead letter that is kept, listed and never claimed, and does not block new work", async () => {
        await jobs().enqueue([refresh(PR)], T0);
        const job = (await claim()) as LeasedJob;
        expect(await jobs().bury(job, "x".repeat(2000), T0 + 5)).toBe(true);
        expect(await claim(T0 + 10 * LEASE)).toBeNull();
        const [dead] = await jobs().listDead(10);
        expect(dead).toMatchObject({ id: job.id, kind: "refresh", key: PR, attempts: 1, updatedAt: T0 + 5 });
        expect(dead?.lastError?.length).toBeLessThanOrEqual(500);
        await jobs().enqueue([refresh(PR)], T0 + 6);
        expect(await claim(T0 + 6)).toMatchObject({ key: PR, attempts: 1 });
        expect(await jobs().counts()).toEqual({ pending: 0, leased: 1, dead: 1 });
      });
    });

    describe("what jobs read of tracked uris", () => {
      it("lists tracked pairs by resource key, or by a prefix in byte order", async () => {
        await newGrant("g1", "1");
        await newGrant("g2", "2");
        const keys = {
          pr1: "github:github.com:acme/widgets#pull/1",
          pr2: "github:github.com:acme/widgets#pull/2",
          issue: "github:github.com:acme/widgets#issue/3",
          other: "github:github.com:acme/widgets2#pull/1",
          under: "github:github.com:ac_me/widgets#pull/1",
        };
        await store.trackUri("g1", "https://github.com/acme/widgets/pull/1", keys.pr1, T0);
        await store.trackUri("g2", "https://github.com/Acme/Widgets/pull/1/files", keys.pr1, T0);
        await store.trackUri("g1", "https://github.com/acme/widgets/pull/2", keys.pr2, T0);
        await store.trackUri("g1", "https://github.com/acme/widgets/issues/3", keys.issue, T0);
        await store.trackUri("g1", "https://github.com/acme/widgets2/pull/1", keys.other, T0);
        await store.trackUri("g1", "https://github.com/ac_me/widgets/pull/1", keys.under, T0);

        expect(await jobs().listTrackedByResource(keys.pr1)).toEqual([
          { grantId: "g1", uri: "https://github.com/acme/widgets/pull/1", resourceKey: keys.pr1, pushedHash: null },
          { grantId: "g2", uri: "https://github.com/Acme/Widgets/pull/1/files", resourceKey: keys.pr1, pushedHash: null },
        ]);
        const pulls = await jobs().listTrackedByResource("github:github.com:acme/widgets#pull/", { prefix: true });
        expect(pulls.map((t) => t.resourceKey)).toEqual([keys.pr1, keys.pr1, keys.pr2]);
        const repo = await jobs().listTrackedByResource("github:github.com:acme/widgets#", { prefix: true });
        expect(new Set(repo.map((t) => t.resourceKey))).toEqual(new Set([keys.pr1, keys.pr2, keys.issue]));
        const owner = await jobs().listTrackedByResource("github:github.com:acme/", { prefix: true });
        expect(owner).toHaveLength(5);
        expect(await jobs().listTrackedByResource("github:github.com:ac%", { prefix: true })).toEqual([]);
        expect(await jobs().listTrackedByResource("unknown")).toEqual([]);
      });

      it("pages through distinct tracked resource keys", async () => {
        await newGrant("g1", "1");
        await newGrant("g2", "2");
        for (const n of [3, 1, 2]) {
          await store.trackUri("g1", `https://u/${n}`, `key-${n}`, T0);
          await store.trackUri("g2", `https://u/${n}`, `key-${n}`, T0);
        }
        expect(await jobs().listTrackedResourceKeys(null, 2)).toEqual(["key-1", "key-2"]);
        expect(await jobs().listTrackedResourceKeys("key-2", 2)).toEqual(["key-3"]);
        expect(await jobs().listTrackedResourceKeys("key-3", 2)).toEqual([]);
      });

      it("remembers the pushed hash across re-tracking, and forgets it with the pair", async () => {
        await newGrant("g1", "1");
        await store.trackUri("g1", "https://u/1", PR, T0);
        await jobs().recordPushed("g1", "https://u/1", "hash-1");
        await jobs().recordPushed("g1", "https://never/tracked", "hash-x");
        await store.trackUri("g1", "https://u/1", PR, T0 + 1);
        expect(await jobs().getTracked("g1", "https://u/1")).toEqual({ grantId: "g1", uri: "https://u/1", resourceKey: PR, pushedHash: "hash-1" });
        expect(await jobs().getTracked("g1", "https://never/tracked")).toBeNull();
        await store.untrackUri("g1", "https://u/1");
        await store.trackUri("g1", "https://u/1", PR, T0 + 2);
        expect((await jobs().getTracked("g1", "https://u/1"))?.pushedHash).toBeNull();
      });

      it("untracks every uri of one grant", async () => {
        await newGrant("g1", "1");
        await newGrant("g2", "2");
        await store.trackUri("g1", "https://u/1", PR, T0);
        await store.trackUri("g1", "https://u/2", PR, T0);
        await store.trackUri("g2", "https://u/1", PR, T0);
        await jobs().untrackGrant("g1");
        expect((await jobs().listTrackedByResource(PR)).map((t) => t.grantId)).toEqual(["g2"]);
      });

      it("lists the live grants of an upstream account", async () => {
        await newGrant("g1", "42");
        await newGrant("g2", "42");
        await newGrant("g3", "7");
        await store.revokeGrant("g2", T0);
        expect(await jobs().listGrantIdsOfAccount("github", "42")).toEqual(["g1"]);
        expect(await jobs().listGrantIdsOfAccount("gitlab", "42")).toEqual([]);
        expect(await jobs().listGrantIdsOfAccount("github", "999")).toEqual([]);
      });
    });
  });
}
