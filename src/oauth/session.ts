import type { Sealer } from "../secrets/seal.js";
import { randomToken, sha256 } from "../secrets/tokens.js";
import type { UpstreamToken, UpstreamUser } from "../providers/types.js";
import type { Store } from "../store/types.js";
import type { Clock } from "../clock.js";

/**
 * A pending authorization, kept server-side (sealed) between Notion's authorize request, the
 * upstream login and the consent answer. The browser holds only a random id in an HttpOnly
 * cookie; the store holds its hash. Ten minutes: as long as Notion's own code lives.
 */
export interface PendingAuthorization {
  clientId: string;
  redirectUri: string;
  state: string;
  notionCode: string;
  scope?: string;
  /** PKCE verifier and state of our request to the upstream. */
  codeVerifier: string;
  upstreamState: string;
  /** Set once the user is back from the upstream login. */
  upstream?: { token: UpstreamToken; user: UpstreamUser };
  /** Anti-CSRF token of the consent form, bound to this session. */
  csrfToken?: string;
}

export const SESSION_COOKIE = "lp_authz";
export const SESSION_TTL_MS = 10 * 60 * 1000;
const PURPOSE = "auth-session";

export interface AuthSessions {
  /** Stores the pending authorization under a new id and returns that id (the cookie value). */
  create(p: PendingAuthorization): Promise<string>;
  get(id: string): Promise<PendingAuthorization | null>;
  /** Reads and deletes it: a session moves forward once. */
  take(id: string): Promise<PendingAuthorization | null>;
}

export function createAuthSessions(store: Store, sealer: Sealer, clock: Clock): AuthSessions {
  const open = async (sealed: string | null) =>
    sealed === null ? null : (JSON.parse(await sealer.open(sealed, PURPOSE)) as PendingAuthorization);
  return {
    async create(p) {
      const id = randomToken();
      await store.putAuthSession(sha256(id), await sealer.seal(JSON.stringify(p), PURPOSE), clock.now() + SESSION_TTL_MS);
      return id;
    },
    get: async (id) => open(await store.getAuthSession(sha256(id), clock.now())),
    take: async (id) => open(await store.takeAuthSession(sha256(id), clock.now())),
  };
}
