/**
 * The persistence contract. Every implementation (SQLite now, PostgreSQL later) passes the same
 * contract suite in `test/contract/store.ts`. Times are epoch milliseconds passed in by the caller
 * (the clock is a dependency), never read inside the store. Secrets arrive already sealed (JWE
 * strings) and tokens/codes arrive already hashed: the store never sees a usable credential.
 */
import type { JobStore } from "./jobs.js";

export interface Account {
  id: string;
  provider: string;
  /** The upstream's stable id (GitHub numeric user id as a string). */
  externalId: string;
  login: string;
  avatarUrl: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface Grant {
  id: string;
  accountId: string;
  /** Our OAuth client id the grant was issued to. */
  clientId: string;
  notionWorkspaceId: string | null;
  notionWorkspaceName: string | null;
  notionBotId: string | null;
  /** Sealed JSON of the upstream token set (access, refresh, expiry). */
  upstreamTokenSealed: string;
  /** Sealed Notion access token (for `PATCH /v1/external/object`). */
  notionTokenSealed: string;
  createdAt: number;
}

export type NewGrant = Omit<Grant, "createdAt">;

export interface AuthCode {
  hash: string;
  grantId: string;
  clientId: string;
  redirectUri: string;
  expiresAt: number;
  usedAt: number | null;
}

export type TokenKind = "access" | "refresh";

export interface NewToken {
  hash: string;
  grantId: string;
  kind: TokenKind;
  expiresAt: number;
}

/** An access token that is valid now, with what an unfurl needs. */
export interface AccessTokenRecord {
  grant: Grant;
  account: Account;
  expiresAt: number;
}

export type RefreshOutcome =
  /** The refresh token was valid: it is now used, and `next` was inserted in the same transaction. */
  | { status: "rotated"; grantId: string; clientId: string }
  /** A refresh token that was already rotated came back: its grant was revoked. */
  | { status: "reused"; grantId: string }
  /** Unknown, expired or revoked. */
  | { status: "invalid" };

export interface TrackedUri {
  grantId: string;
  uri: string;
  resourceKey: string;
  createdAt: number;
  updatedAt: number;
}

export interface Store {
  /** Cheap round trip for `/readyz`. Throws when unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;

  // Pending authorizations (browser sessions across the upstream round trip).
  putAuthSession(idHash: string, payloadSealed: string, expiresAt: number): Promise<void>;
  getAuthSession(idHash: string, now: number): Promise<string | null>;
  /** Reads and deletes in one statement: a consent can be answered once. */
  takeAuthSession(idHash: string, now: number): Promise<string | null>;
  /**
   * Deletes expired sessions, codes and tokens; returns how many rows went. An expired access
   * token is kept while its grant still has a live refresh token, so `findGrantByToken` knows it.
   */
  purgeExpired(now: number): Promise<number>;

  // Accounts and grants.
  upsertAccount(
    a: { provider: string; externalId: string; login: string; avatarUrl: string | null },
    now: number,
  ): Promise<Account>;
  createGrant(g: NewGrant, now: number): Promise<Grant>;
  /** The grant if it exists and is not revoked. */
  getGrant(grantId: string): Promise<Grant | null>;
  getAccount(accountId: string): Promise<Account | null>;
  updateUpstreamToken(grantId: string, upstreamTokenSealed: string): Promise<void>;
  /**
   * Compare-and-swap of the sealed upstream token: replaces it only while it still equals
   * `expectedSealed` (and the grant is live). True when this call rotated it; false when another
   * process got there first, so two processes never both use one refresh token.
   */
  swapUpstreamToken(grantId: string, expectedSealed: string, nextSealed: string): Promise<boolean>;
  /**
   * Revokes a grant: it stops working at once, and every token, code, sealed secret and tracked
   * uri of it is deleted. Idempotent.
   */
  revokeGrant(grantId: string, now: number): Promise<void>;

  // Authorization codes (hash only).
  createAuthCode(c: Omit<AuthCode, "usedAt">): Promise<void>;
  /**
   * Marks the code used in one atomic statement and returns it, when it is unused and unexpired.
   * Otherwise returns null, and `findAuthCode` tells whether it was a replay.
   */
  consumeAuthCode(hash: string, now: number): Promise<AuthCode | null>;
  findAuthCode(hash: string): Promise<AuthCode | null>;

  // Bearer and refresh tokens (hash only).
  insertTokens(tokens: NewToken[], now: number): Promise<void>;
  findAccessToken(hash: string, now: number): Promise<AccessTokenRecord | null>;
  /**
   * The live grant a token (access or refresh) belongs to, expired or not: the deletion callbacks
   * must work with whatever token Notion still holds.
   */
  findGrantByToken(hash: string): Promise<{ grantId: string; accountId: string } | null>;
  /** Atomically: mark `oldHash` used and insert `next` (they must belong to the same grant). */
  rotateRefreshToken(oldHash: string, next: (grantId: string) => NewToken[], now: number): Promise<RefreshOutcome>;

  // Tracked uris (what each grant has previewed; the live-update issue builds on it).
  trackUri(grantId: string, uri: string, resourceKey: string, now: number): Promise<void>;
  untrackUri(grantId: string, uri: string): Promise<void>;
  listTrackedUris(grantId: string): Promise<TrackedUri[]>;

  /** Live updates: webhook deliveries, the durable job queue, and what its jobs read (`jobs.ts`). */
  readonly jobs: JobStore;
}
