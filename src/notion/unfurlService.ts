import { LRUCache } from "lru-cache";
import type { Clock } from "../clock.js";
import { UnfurlError, UpstreamAuthError } from "../http/errors.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import type { UpstreamTokens } from "../oauth/upstreamTokens.js";
import type { ProviderRegistry, ResolvedLink } from "../providers/registry.js";
import type { AccessTokenRecord, Store } from "../store/types.js";
import type { Attribute } from "./attributes.js";
import { attributesEnvelope, errorEnvelope, type UnfurlEnvelope } from "./envelope.js";
import { assertValidAttributes } from "./validate.js";

export type UnfurlResult = { kind: "envelope"; envelope: UnfurlEnvelope } | { kind: "unauthorized" };

export interface UnfurlService {
  unfurl(auth: AccessTokenRecord, uri: string): Promise<UnfurlResult>;
  /** Forget what we cached and tracked for (grant, uri): Notion no longer shows it. */
  forget(auth: { grantId: string; accountId: string }, uri: string): Promise<void>;
  /**
   * Reads `uri` afresh with the grant's own upstream token, for a live update: bypasses the
   * per-account cache and then refreshes it, so a revisit shows what was pushed. Null when no
   * provider claims the link; throws the provider's `UnfurlError` / `UpstreamAuthError`.
   */
  reload(auth: Pick<AccessTokenRecord, "grant" | "account">, uri: string): Promise<Attribute[] | null>;
}

export interface UnfurlServiceDeps {
  registry: ProviderRegistry;
  store: Store;
  upstreamTokens: UpstreamTokens;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** Per-account cache lifetime (seconds): Notion re-unfurls on every page revisit. */
  cacheTtl: number;
  /** Total deadline of one unfurl. */
  deadlineMs: number;
  /** Run the protocol validator on every fresh set (development and tests). */
  validate: boolean;
}

/**
 * The unfurl use case, independent of Express: pick the provider, serve revisits from a short
 * per-account cache (identical concurrent requests share one upstream call), otherwise fetch
 * with the user's own upstream token under a deadline, and map failures to the protocol.
 */
export function createUnfurlService(d: UnfurlServiceDeps): UnfurlService {
  const cache = new LRUCache<string, Attribute[]>({ max: 10_000, ttl: d.cacheTtl * 1000, perf: d.clock });
  const inFlight = new Map<string, Promise<Attribute[]>>();
  const key = (id: string, uri: string) => `${id}\u0000${uri}`;
  // (grant, uri) pairs recently recorded as tracked, so cache hits cost no write.
  const tracked = new LRUCache<string, true>({ max: 50_000, ttl: 3600_000, perf: d.clock });
  const track = async (grantId: string, uri: string, resourceKey: string) => {
    const k = key(grantId, uri);
    if (tracked.has(k)) return;
    await d.store.trackUri(grantId, uri, resourceKey, d.clock.now());
    tracked.set(k, true);
  };

  async function fetchAttributes(
    auth: Pick<AccessTokenRecord, "grant" | "account">,
    { provider, match }: ResolvedLink,
    fresh = false,
  ): Promise<Attribute[]> {
    const set = await provider.unfurl(match, {
      grant: auth.grant,
      account: auth.account,
      fresh,
      upstreamToken: () => d.upstreamTokens.get(auth.grant),
      signal: AbortSignal.timeout(d.deadlineMs),
    });
    return d.validate ? assertValidAttributes(set) : set;
  }

  return {
    async unfurl(auth, uri) {
      const k = key(auth.account.id, uri);
      const resolved = d.registry.resolve(uri);
      if (!resolved) {
        d.metrics.unfurls.inc({ provider: "none", outcome: "unsupported" });
        return { kind: "envelope", envelope: errorEnvelope(uri, 404, "This link cannot be previewed by this integration.") };
      }
      const providerName = resolved.provider.name;
      const count = (outcome: string) => d.metrics.unfurls.inc({ provider: providerName, outcome });
      const cached = cache.get(k);
      if (cached) {
        await track(auth.grant.id, uri, resolved.match.resourceKey);
        count("cached");
        return { kind: "envelope", envelope: attributesEnvelope(uri, cached) };
      }
      let pending = inFlight.get(k);
      if (!pending) {
        pending = fetchAttributes(auth, resolved).finally(() => inFlight.delete(k));
        inFlight.set(k, pending);
      }
      try {
        const attributes = await pending;
        cache.set(k, attributes);
        await track(auth.grant.id, uri, resolved.match.resourceKey);
        count("ok");
        return { kind: "envelope", envelope: attributesEnvelope(uri, attributes) };
      } catch (err) {
        if (err instanceof UnfurlError) {
          count(`error_${err.status}`);
          return { kind: "envelope", envelope: errorEnvelope(uri, err.status, err.message) };
        }
        if (err instanceof UpstreamAuthError) {
          // The user's upstream token is dead and cannot be refreshed: the grant is useless, and a
          // 401 makes Notion ask the user to reconnect.
          await d.store.revokeGrant(auth.grant.id, d.clock.now());
          cache.delete(k);
          d.logger.warn({ grantId: auth.grant.id }, "upstream token revoked: grant revoked");
          count("unauthorized");
          return { kind: "unauthorized" };
        }
        d.logger.error({ err, provider: providerName }, "unfurl failed");
        count("error_500");
        return { kind: "envelope", envelope: errorEnvelope(uri, 500, "The preview could not be built. Please try again later.") };
      }
    },
    async forget({ grantId, accountId }, uri) {
      cache.delete(key(accountId, uri));
      tracked.delete(key(grantId, uri));
      await d.store.untrackUri(grantId, uri);
    },
    async reload(auth, uri) {
      const resolved = d.registry.resolve(uri);
      if (!resolved) return null;
      const k = key(auth.account.id, uri);
      try {
        const attributes = await fetchAttributes(auth, resolved, true);
        cache.set(k, attributes);
        return attributes;
      } catch (err) {
        cache.delete(k);
        throw err;
      }
    },
  };
}
