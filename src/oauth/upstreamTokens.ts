import { setTimeout as sleep } from "node:timers/promises";
import type { Clock } from "../clock.js";
import { UpstreamAuthError } from "../http/errors.js";
import type { UpstreamToken } from "../providers/types.js";
import type { Sealer } from "../secrets/seal.js";
import type { Grant, Store } from "../store/types.js";
import { openUpstreamToken, sealUpstreamToken } from "./grantSecrets.js";

/**
 * The one way to get a grant's upstream token, for unfurls and for background refreshes alike.
 *
 * Tokens that expire (GitHub App user tokens: 8 h, with a single-use refresh token) are renewed
 * here, once: concurrent callers in this process share one renewal (single-flight per grant), and
 * across processes the renewal is claimed first by a compare-and-swap on the sealed value in the
 * store (a short lease), so two processes never both spend the same refresh token. A process that
 * finds the lease taken waits for the new token instead. A refresh token GitHub refuses means the
 * grant is dead: `UpstreamAuthError`, and the unfurl service revokes it.
 */
export interface UpstreamTokens {
  get(grant: Grant): Promise<UpstreamToken>;
}

/** The upstream's refresh grant; throws `UpstreamAuthError` for a dead refresh token. */
export type RefreshUpstream = (refreshToken: string, signal?: AbortSignal) => Promise<UpstreamToken>;

export interface UpstreamTokensDeps {
  sealer: Sealer;
  store: Pick<Store, "getGrant" | "swapUpstreamToken">;
  clock: Clock;
  /** Null when the upstream issues no expiring tokens (OAuth apps). */
  refresh?: RefreshUpstream | null;
  /** Renew this long before expiry, so a token does not die during a call; default 5 min. */
  renewBeforeMs?: number;
}

/** How long a process may hold the renewal before another one takes it over. */
const LEASE_MS = 15_000;
/** How often a process that found the lease taken looks for the new token. */
const POLL_MS = 100;
/** The refresh call's own deadline; the lease outlives it. */
const REFRESH_TIMEOUT_MS = 10_000;

/** The sealed value's JSON: the token set, and while a process renews it, that process's lease. */
interface TokenState extends UpstreamToken {
  renewingUntil?: number;
}

export function createUpstreamTokens(deps: UpstreamTokensDeps): UpstreamTokens {
  const renewBefore = deps.renewBeforeMs ?? 5 * 60_000;
  const renewing = new Map<string, Promise<UpstreamToken>>();

  const open = (grant: Grant) => openUpstreamToken(deps.sealer, grant) as Promise<TokenState>;
  const seal = (grantId: string, state: TokenState) => sealUpstreamToken(deps.sealer, grantId, state);
  const isFresh = (t: TokenState) => t.expiresAt === undefined || t.expiresAt - renewBefore > deps.clock.now();
  const isDead = (t: TokenState) => t.expiresAt !== undefined && t.expiresAt <= deps.clock.now();
  const plain = ({ renewingUntil: _lease, ...token }: TokenState): UpstreamToken => token;

  async function current(grantId: string): Promise<{ grant: Grant; state: TokenState }> {
    const grant = await deps.store.getGrant(grantId);
    if (!grant) throw new UpstreamAuthError("the grant was revoked");
    return { grant, state: await open(grant) };
  }

  async function renew(grantId: string): Promise<UpstreamToken> {
    for (let waited = 0; ; waited += POLL_MS) {
      const { grant, state } = await current(grantId);
      if (isFresh(state)) return plain(state);
      if (!state.refreshToken || !deps.refresh) {
        if (isDead(state)) throw new UpstreamAuthError("the upstream token expired and cannot be refreshed");
        return plain(state);
      }
      const leased = state.renewingUntil !== undefined && state.renewingUntil > deps.clock.now();
      if (leased) {
        // another process is renewing: use the old token while it lives, else wait for the new one
        if (!isDead(state)) return plain(state);
        if (waited >= LEASE_MS) throw new UpstreamAuthError("the upstream token renewal did not finish");
        await sleep(POLL_MS);
        continue;
      }
      const lease = await seal(grantId, { ...plain(state), renewingUntil: deps.clock.now() + LEASE_MS });
      if (!(await deps.store.swapUpstreamToken(grantId, grant.upstreamTokenSealed, lease))) continue;
      return renewUnderLease(grantId, plain(state), lease, state.refreshToken, deps.refresh);
    }
  }

  async function renewUnderLease(
    grantId: string,
    old: UpstreamToken,
    lease: string,
    refreshToken: string,
    refresh: RefreshUpstream,
  ): Promise<UpstreamToken> {
    let next: UpstreamToken;
    try {
      next = await refresh(refreshToken, AbortSignal.timeout(REFRESH_TIMEOUT_MS));
    } catch (err) {
      // give the lease back so a later call can try again (after an outage) or fail the same way
      await deps.store.swapUpstreamToken(grantId, lease, await seal(grantId, old));
      throw err;
    }
    // GitHub rotates the refresh token; keep the old one if an upstream does not
    const token = { ...next, refreshToken: next.refreshToken ?? refreshToken };
    if (!(await deps.store.swapUpstreamToken(grantId, lease, await seal(grantId, token)))) {
      // revoked meanwhile; or our lease ran out (a clock far off) and another process took it: the
      // token GitHub just gave us still works for this call
      if (!(await deps.store.getGrant(grantId))) throw new UpstreamAuthError("the grant was revoked");
    }
    return token;
  }

  return {
    async get(grant) {
      const state = await open(grant);
      if (isFresh(state)) return plain(state);
      let pending = renewing.get(grant.id);
      if (!pending) {
        pending = renew(grant.id).finally(() => renewing.delete(grant.id));
        renewing.set(grant.id, pending);
      }
      return pending;
    },
  };
}
