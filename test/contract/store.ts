/**
 * The Store contract: every implementation runs this suite (see `test/store.*.test.ts`). Each test
 * gets a fresh, empty store from the factory. Times are plain numbers: the store never reads a clock.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Grant, NewToken, Store } from "../../src/store/types.js";
import { jobsContract } from "./jobs.js";

export type StoreFactory = () => Promise<{ store: Store; cleanup: () => Promise<void> }>;

const T0 = 1_700_000_000_000;
const HOUR = 3_600_000;

export function storeContract(name: string, factory: StoreFactory): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await factory());
    });
    afterEach(async () => {
      await cleanup();
    });

    /** An account and a grant of it, as the consent step creates them. */
    async function newGrant(id = "grant-1", externalId = "42"): Promise<Grant> {
      const account = await store.upsertAccount(
        { provider: "github", externalId, login: `user${externalId}`, avatarUrl: null },
        T0,
      );
      return store.createGrant(
        {
          id,
          accountId: account.id,
          clientId: "notion",
          notionWorkspaceId: "ws-1",
          notionWorkspaceName: "Workspace",
          notionBotId: null,
          upstreamTokenSealed: "sealed-upstream",
          notionTokenSealed: "sealed-notion",
        },
        T0,
      );
    }

    /** Opens connections up front (for pooled stores), so that the racers really start together. */
    async function warmUp(n: number): Promise<void> {
      await Promise.all(Array.from({ length: n }, () => store.ping()));
    }

    function tokens(grantId: string, suffix: string, expiresAt = T0 + HOUR): NewToken[] {
      return [
        { hash: `access-${suffix}`, grantId, kind: "access", expiresAt },
        { hash: `refresh-${suffix}`, grantId, kind: "refresh", expiresAt: expiresAt + 24 * HOUR },
      ];
    }

    it("answers ping", async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    describe("accounts", () => {
      it("creates an account once per provider and external id, updating login and avatar", async () => {
        const first = await store.upsertAccount(
          { provider: "github", externalId: "42", login: "octo", avatarUrl: null },
          T0,
        );
        expect(first).toEqual({
          id: expect.any(String),
          provider: "github",
          externalId: "42",
          login: "octo",
          avatarUrl: null,
          createdAt: T0,
          updatedAt: T0,
        });

        const again = await store.upsertAccount(
          { provider: "github", externalId: "42", login: "octocat", avatarUrl: "https://a/1.png" },
          T0 + 5,
        );
        expect(again).toEqual({ ...first, login: "octocat", avatarUrl: "https://a/1.png", updatedAt: T0 + 5 });
        expect(await store.getAccount(first.id)).toEqual(again);
      });

      it("keeps providers apart", async () => {
        const a = await store.upsertAccount({ provider: "github", externalId: "42", login: "a", avatarUrl: null }, T0);
        const b = await store.upsertAccount({ provider: "gitlab", externalId: "42", login: "b", avatarUrl: null }, T0);
        expect(b.id).not.toBe(a.id);
      });

      it("returns null for an unknown account", async () => {
        expect(await store.getAccount("00000000-0000-0000-0000-000000000000")).toBeNull();
      });
    });

    describe("grants", () => {
      it("creates and reads a grant", async () => {
        const grant = await newGrant();
        expect(grant).toEqual({
          id: "grant-1",
          accountId: expect.any(String),
          clientId: "notion",
          notionWorkspaceId: "ws-1",
          notionWorkspaceName: "Workspace",
          notionBotId: null,
          upstreamTokenSealed: "sealed-upstream",
          notionTokenSealed: "sealed-notion",
          createdAt: T0,
        });
        expect(await store.getGrant("grant-1")).toEqual(grant);
        expect(await store.getGrant("nope")).toBeNull();
      });

      it("refuses a grant of an unknown account", async () => {
        await expect(
          store.createGrant(
            {
              id: "g",
              accountId: "missing",
              clientId: "notion",
              notionWorkspaceId: null,
              notionWorkspaceName: null,
              notionBotId: null,
              upstreamTokenSealed: "u",
              notionTokenSealed: "n",
            },
            T0,
          ),
        ).rejects.toThrow();
      });

      it("updates the sealed upstream token only", async () => {
        const grant = await newGrant();
        await store.updateUpstreamToken(grant.id, "sealed-upstream-2");
        expect(await store.getGrant(grant.id)).toEqual({ ...grant, upstreamTokenSealed: "sealed-upstream-2" });
      });

      it("swaps the sealed upstream token only while it still holds the expected value", async () => {
        const grant = await newGrant();
        const swaps = await Promise.all([
          store.swapUpstreamToken(grant.id, grant.upstreamTokenSealed, "rotated-a"),
          store.swapUpstreamToken(grant.id, grant.upstreamTokenSealed, "rotated-b"),
        ]);
        expect(swaps.filter(Boolean)).toHaveLength(1);
        const winner = swaps[0] ? "rotated-a" : "rotated-b";
        expect(await store.getGrant(grant.id)).toEqual({ ...grant, upstreamTokenSealed: winner });
        expect(await store.swapUpstreamToken(grant.id, grant.upstreamTokenSealed, "stale")).toBe(false);
        await store.revokeGrant(grant.id, T0 + 1);
        expect(await store.swapUpstreamToken(grant.id, "", "after-revoke")).toBe(false);
      });

      it("revokes a grant with all its tokens, codes and tracked uris, idempotently", async () => {
        const grant = await newGrant();
        const other = await newGrant("grant-2", "43");
        await store.insertTokens([...tokens(grant.id, "1"), ...tokens(other.id, "2")], T0);
        await store.createAuthCode({
          hash: "code",
          grantId: grant.id,
          clientId: "notion",
          redirectUri: "r",
          expiresAt: T0 + HOUR,
        });
        await store.trackUri(grant.id, "https://github.com/o/r/pull/1", "k1", T0);
        await store.trackUri(other.id, "https://github.com/o/r/pull/1", "k1", T0);

        await store.revokeGrant(grant.id, T0 + 1);

        expect(await store.getGrant(grant.id)).toBeNull();
        expect(await store.findAccessToken("access-1", T0 + 2)).toBeNull();
        expect(await store.rotateRefreshToken("refresh-1", () => [], T0 + 2)).toEqual({ status: "invalid" });
        expect(await store.findAuthCode("code")).toBeNull();
        expect(await store.consumeAuthCode("code", T0 + 2)).toBeNull();
        expect(await store.listTrackedUris(grant.id)).toEqual([]);
        // A revoked grant stays revoked: late writes do not bring it back.
        await store.updateUpstreamToken(grant.id, "late");
        await store.trackUri(grant.id, "https://github.com/o/r/pull/2", "k2", T0 + 3);
        expect(await store.getGrant(grant.id)).toBeNull();
        expect(await store.listTrackedUris(grant.id)).toEqual([]);

        await expect(store.revokeGrant(grant.id, T0 + 4)).resolves.toBeUndefined();
        await expect(store.revokeGrant("unknown", T0 + 4)).resolves.toBeUndefined();

        // Other grants are untouched.
        expect(await store.getGrant(other.id)).toEqual(other);
        expect(await store.findAccessToken("access-2", T0 + 2)).not.toBeNull();
        expect(await store.listTrackedUris(other.id)).toHaveLength(1);
      });
    });

    describe("authorization codes", () => {
      const code = (grantId: string, hash = "code-hash", expiresAt = T0 + 60_000) => ({
        hash,
        grantId,
        clientId: "notion",
        redirectUri: "https://www.notion.so/callback",
        expiresAt,
      });

      it("is consumed once, and the replay stays visible", async () => {
        const grant = await newGrant();
        await store.createAuthCode(code(grant.id));
        expect(await store.findAuthCode("code-hash")).toEqual({ ...code(grant.id), usedAt: null });

        expect(await store.consumeAuthCode("code-hash", T0 + 10)).toEqual({ ...code(grant.id), usedAt: T0 + 10 });
        expect(await store.consumeAuthCode("code-hash", T0 + 20)).toBeNull();
        expect(await store.findAuthCode("code-hash")).toEqual({ ...code(grant.id), usedAt: T0 + 10 });
      });

      it("cannot be consumed at or after its expiry, nor when unknown", async () => {
        const grant = await newGrant();
        await store.createAuthCode(code(grant.id));
        expect(await store.consumeAuthCode("code-hash", T0 + 60_000)).toBeNull();
        expect(await store.findAuthCode("code-hash")).toMatchObject({ usedAt: null });
        expect(await store.consumeAuthCode("unknown", T0)).toBeNull();
        expect(await store.findAuthCode("unknown")).toBeNull();
      });

      it("has exactly one winner among 10 concurrent consumers", async () => {
        const grant = await newGrant();
        await store.createAuthCode(code(grant.id));
        await warmUp(10);
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.consumeAuthCode("code-hash", T0 + i)),
        );
        expect(results.filter((r) => r !== null)).toHaveLength(1);
      });
    });

    describe("access tokens", () => {
      it("finds an unexpired access token with its grant and account", async () => {
        const grant = await newGrant();
        await store.insertTokens(tokens(grant.id, "1"), T0);
        const account = await store.getAccount(grant.accountId);

        expect(await store.findAccessToken("access-1", T0 + HOUR - 1)).toEqual({
          grant,
          account,
          expiresAt: T0 + HOUR,
        });
        expect(await store.findAccessToken("access-1", T0 + HOUR)).toBeNull();
      });

      it("does not take a refresh token or an unknown hash for an access token", async () => {
        const grant = await newGrant();
        await store.insertTokens(tokens(grant.id, "1"), T0);
        expect(await store.findAccessToken("refresh-1", T0)).toBeNull();
        expect(await store.findAccessToken("unknown", T0)).toBeNull();
      });

      it("accepts an empty batch", async () => {
        await expect(store.insertTokens([], T0)).resolves.toBeUndefined();
      });
    });

    describe("refresh token rotation", () => {
      it("rotates once; a reuse revokes the grant and everything issued since", async () => {
        const grant = await newGrant();
        await store.insertTokens(tokens(grant.id, "1"), T0);

        const seen: string[] = [];
        const rotated = await store.rotateRefreshToken(
          "refresh-1",
          (grantId) => {
            seen.push(grantId);
            return tokens(grantId, "2", T0 + 2 * HOUR);
          },
          T0 + 10,
        );
        expect(rotated).toEqual({ status: "rotated", grantId: grant.id, clientId: "notion" });
        expect(seen).toEqual([grant.id]);
        expect(await store.findAccessToken("access-2", T0 + 20)).not.toBeNull();
        // The old access token lives until its own expiry; only the refresh token is single-use.
        expect(await store.findAccessToken("access-1", T0 + 20)).not.toBeNull();

        const reused = await store.rotateRefreshToken("refresh-1", () => tokens(grant.id, "3"), T0 + 30);
        expect(reused).toEqual({ status: "reused", grantId: grant.id });
        expect(await store.getGrant(grant.id)).toBeNull();
        expect(await store.findAccessToken("access-2", T0 + 40)).toBeNull();
        expect(await store.findAccessToken("access-3", T0 + 40)).toBeNull();
        expect(await store.rotateRefreshToken("refresh-2", () => [], T0 + 40)).toEqual({ status: "invalid" });
      });

      it("is invalid for an expired, unknown or access token, without revoking anything", async () => {
        const grant = await newGrant();
        await store.insertTokens(tokens(grant.id, "1"), T0);
        const expiry = T0 + 25 * HOUR;
        expect(await store.rotateRefreshToken("refresh-1", () => [], expiry)).toEqual({ status: "invalid" });
        expect(await store.rotateRefreshToken("unknown", () => [], T0)).toEqual({ status: "invalid" });
        expect(await store.rotateRefreshToken("access-1", () => [], T0)).toEqual({ status: "invalid" });
        expect(await store.getGrant(grant.id)).not.toBeNull();
        expect(await store.findAccessToken("access-1", T0)).not.toBeNull();
      });

      it("inserts nothing when the rotation loses", async () => {
        const grant = await newGrant();
        await store.insertTokens(tokens(grant.id, "1"), T0);
        await store.rotateRefreshToken("refresh-1", () => tokens(grant.id, "2"), T0 + 1);
        let called = false;
        await store.rotateRefreshToken(
          "refresh-1",
          () => {
            called = true;
            return tokens(grant.id, "3");
          },
          T0 + 2,
        );
        expect(called).toBe(false);
      });

      it("has exactly one winner among concurrent rotations of one token", async () => {
        const grant = await newGrant();
        await store.insertTokens(tokens(grant.id, "1"), T0);
        await warmUp(5);
        const outcomes = await Promise.all(
          Array.from({ length: 5 }, (_, i) =>
            store.rotateRefreshToken("refresh-1", (grantId) => tokens(grantId, `next-${i}`), T0 + 1),
          ),
        );
        const statuses = outcomes.map((o) => o.status);
        expect(statuses.filter((s) => s === "rotated")).toHaveLength(1);
        // The losers presented a used token: that is a replay, and it revoked the grant.
        expect(statuses).toContain("reused");
        expect(await store.getGrant(grant.id)).toBeNull();
      });
    });

    describe("auth sessions", () => {
      it("puts, gets, overwrites and takes once", async () => {
        await store.putAuthSession("sid", "payload-1", T0 + HOUR);
        expect(await store.getAuthSession("sid", T0)).toBe("payload-1");
        expect(await store.getAuthSession("sid", T0)).toBe("payload-1");
        await store.putAuthSession("sid", "payload-2", T0 + HOUR);

        expect(await store.takeAuthSession("sid", T0)).toBe("payload-2");
        expect(await store.takeAuthSession("sid", T0)).toBeNull();
        expect(await store.getAuthSession("sid", T0)).toBeNull();
      });

      it("hides expired and unknown sessions", async () => {
        await store.putAuthSession("sid", "payload", T0 + HOUR);
        expect(await store.getAuthSession("sid", T0 + HOUR)).toBeNull();
        expect(await store.takeAuthSession("sid", T0 + HOUR)).toBeNull();
        expect(await store.getAuthSession("unknown", T0)).toBeNull();
      });

      it("lets one of several concurrent takes have the session", async () => {
        await store.putAuthSession("sid", "payload", T0 + HOUR);
        await warmUp(5);
        const taken = await Promise.all(Array.from({ length: 5 }, () => store.takeAuthSession("sid", T0)));
        expect(taken.filter((p) => p !== null)).toEqual(["payload"]);
      });
    });

    describe("purgeExpired", () => {
      it("deletes expired sessions, codes and tokens and nothing else", async () => {
        const grant = await newGrant();
        await store.putAuthSession("old", "p", T0);
        await store.putAuthSession("live", "p", T0 + HOUR);
        const code = { grantId: grant.id, clientId: "notion", redirectUri: "r" };
        await store.createAuthCode({ ...code, hash: "old-code", expiresAt: T0 });
        await store.createAuthCode({ ...code, hash: "used-code", expiresAt: T0 + HOUR });
        await store.consumeAuthCode("used-code", T0 - 1);
        await store.insertTokens(
          [
            { hash: "old-access", grantId: grant.id, kind: "access", expiresAt: T0 },
            { hash: "live-access", grantId: grant.id, kind: "access", expiresAt: T0 + HOUR },
          ],
          T0 - HOUR,
        );
        await store.trackUri(grant.id, "https://x/1", "k", T0 - HOUR);

        expect(await store.purgeExpired(T0)).toBe(3);
        expect(await store.purgeExpired(T0)).toBe(0);

        expect(await store.getAuthSession("live", T0)).toBe("p");
        expect(await store.findAuthCode("old-code")).toBeNull();
        // A used code is kept until its expiry, so that a replay is recognised.
        expect(await store.findAuthCode("used-code")).toMatchObject({ usedAt: T0 - 1 });
        expect(await store.findAccessToken("live-access", T0)).not.toBeNull();
        expect(await store.getGrant(grant.id)).toEqual(grant);
        expect(await store.listTrackedUris(grant.id)).toHaveLength(1);
      });
    });

    describe("findGrantByToken", () => {
      it("finds the live grant of any token, expired or not, and nothing after revocation", async () => {
        const grant = await newGrant();
        await store.insertTokens(
          [
            { hash: "expired-access", grantId: grant.id, kind: "access", expiresAt: T0 },
            { hash: "live-refresh", grantId: grant.id, kind: "refresh", expiresAt: T0 + HOUR },
          ],
          T0 - HOUR,
        );
        const owner = { grantId: grant.id, accountId: grant.accountId };
        expect(await store.findGrantByToken("expired-access")).toEqual(owner);
        expect(await store.findGrantByToken("live-refresh")).toEqual(owner);
        expect(await store.findGrantByToken("unknown")).toBeNull();
        // The expired access token outlives a purge while its grant can still be refreshed.
        await store.purgeExpired(T0 + 1);
        expect(await store.findGrantByToken("expired-access")).toEqual(owner);
        await store.revokeGrant(grant.id, T0 + 2);
        expect(await store.findGrantByToken("live-refresh")).toBeNull();
      });
    });

    describe("tracked uris", () => {
      it("upserts, lists per grant, and untracks", async () => {
        const grant = await newGrant();
        const other = await newGrant("grant-2", "43");
        await store.trackUri(grant.id, "https://github.com/o/r/pull/1", "pr-1", T0);
        await store.trackUri(grant.id, "https://github.com/o/r/issues/2", "issue-2", T0 + 1);
        await store.trackUri(other.id, "https://github.com/o/r/pull/9", "pr-9", T0);
        await store.trackUri(grant.id, "https://github.com/o/r/pull/1", "pr-1-renamed", T0 + 5);

        expect(await store.listTrackedUris(grant.id)).toEqual([
          {
            grantId: grant.id,
            uri: "https://github.com/o/r/pull/1",
            resourceKey: "pr-1-renamed",
            createdAt: T0,
            updatedAt: T0 + 5,
          },
          {
            grantId: grant.id,
            uri: "https://github.com/o/r/issues/2",
            resourceKey: "issue-2",
            createdAt: T0 + 1,
            updatedAt: T0 + 1,
          },
        ]);

        await store.untrackUri(grant.id, "https://github.com/o/r/pull/1");
        await store.untrackUri(grant.id, "https://never/tracked");
        expect((await store.listTrackedUris(grant.id)).map((t) => t.uri)).toEqual(["https://github.com/o/r/issues/2"]);
        expect(await store.listTrackedUris(other.id)).toHaveLength(1);
        expect(await store.listTrackedUris("unknown")).toEqual([]);
      });
    });
  });
  jobsContract(name, factory);
}
