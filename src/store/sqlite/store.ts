/**
 * The SQLite store (better-sqlite3): the default for a single instance. The driver is synchronous,
 * so each method runs to completion before another can start; the Promise signatures only follow
 * the `Store` contract. Multi-statement writes still use transactions, for atomicity on a crash
 * and against other processes sharing the file.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { createSqliteJobs } from "./jobs.js";
import { migrations } from "./migrations.js";
import {
  GRANT_AND_ACCOUNT_SELECT,
  isLiveRefresh,
  returned,
  toAccessTokenRecord,
  toAccount,
  toAuthCode,
  toGrant,
  toRefreshRow,
  toTrackedUri,
  type Row,
} from "../rows.js";
import type {
  AccessTokenRecord,
  Account,
  AuthCode,
  Grant,
  NewGrant,
  NewToken,
  RefreshOutcome,
  Store,
  TrackedUri,
} from "../types.js";
import type { JobStore } from "../jobs.js";

/** Opens (creating the file and its directory if needed) and migrates a database; `:memory:` works. */
export function openSqliteStore(path: string): Store {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  // busy_timeout first, so that switching to WAL waits for another process instead of failing.
  db.pragma("busy_timeout = 5000");
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  try {
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return new SqliteStore(db);
}

/**
 * Applies the migrations this file lacks. `immediate` takes the write lock before reading
 * `user_version`, so two processes opening a fresh file cannot both apply the same migration.
 */
function migrate(db: Database.Database): void {
  db.transaction(() => {
    const applied = db.pragma("user_version", { simple: true });
    if (typeof applied !== "number") throw new Error("sqlite: user_version is not a number");
    if (applied > migrations.length) {
      throw new Error(`sqlite: schema version ${applied} is newer than this build knows (${migrations.length})`);
    }
    for (const sql of migrations.slice(applied)) db.exec(sql);
    db.pragma(`user_version = ${migrations.length}`);
  }).immediate();
}

/** Every statement, prepared once per connection. */
function prepare(db: Database.Database) {
  return {
    ping: db.prepare("SELECT 1"),

    putSession: db.prepare<[string, string, number]>(
      `INSERT INTO auth_sessions (id_hash, payload, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (id_hash) DO UPDATE SET payload = excluded.payload, expires_at = excluded.expires_at`,
    ),
    getSession: db.prepare<[string, number], { payload: string }>(
      "SELECT payload FROM auth_sessions WHERE id_hash = ? AND expires_at > ?",
    ),
    takeSession: db.prepare<[string, number], { payload: string }>(
      "DELETE FROM auth_sessions WHERE id_hash = ? AND expires_at > ? RETURNING payload",
    ),
    purge: [
      "DELETE FROM auth_sessions WHERE expires_at <= @now",
      "DELETE FROM auth_codes WHERE expires_at <= @now",
      `DELETE FROM tokens WHERE expires_at <= @now AND NOT (kind = 'access' AND grant_id IN
         (SELECT grant_id FROM tokens WHERE kind = 'refresh' AND used_at IS NULL AND expires_at > @now))`,
    ].map((sql) => db.prepare<{ now: number }>(sql)),

    upsertAccount: db.prepare<[string, string, string, string, string | null, number, number], Row>(
      `INSERT INTO accounts (id, provider, external_id, login, avatar_url, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (provider, external_id) DO UPDATE
         SET login = excluded.login, avatar_url = excluded.avatar_url, updated_at = excluded.updated_at
       RETURNING *`,
    ),
    getAccount: db.prepare<[string], Row>("SELECT * FROM accounts WHERE id = ?"),
    createGrant: db.prepare<
      [string, string, string, string | null, string | null, string | null, string, string, number],
      Row
    >(
      `INSERT INTO grants (id, account_id, client_id, notion_workspace_id, notion_workspace_name,
         notion_bot_id, upstream_token_sealed, notion_token_sealed, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    ),
    getGrant: db.prepare<[string], Row>("SELECT * FROM grants WHERE id = ? AND revoked_at IS NULL"),
    updateUpstreamToken: db.prepare<[string, string]>(
      "UPDATE grants SET upstream_token_sealed = ? WHERE id = ? AND revoked_at IS NULL",
    ),
    swapUpstreamToken: db.prepare<[string, string, string]>(
      "UPDATE grants SET upstream_token_sealed = ? WHERE id = ? AND upstream_token_sealed = ? AND revoked_at IS NULL",
    ),
    revokeGrant: db.prepare<[number, string]>(
      `UPDATE grants SET revoked_at = COALESCE(revoked_at, ?), upstream_token_sealed = '', notion_token_sealed = ''
       WHERE id = ?`,
    ),
    deleteOfGrant: ["tokens", "auth_codes", "tracked_uris"].map((table) =>
      db.prepare<[string]>(`DELETE FROM ${table} WHERE grant_id = ?`),
    ),

    createCode: db.prepare<[string, string, string, string, number]>(
      "INSERT INTO auth_codes (hash, grant_id, client_id, redirect_uri, expires_at) VALUES (?, ?, ?, ?, ?)",
    ),
    consumeCode: db.prepare<[number, string, number], Row>(
      "UPDATE auth_codes SET used_at = ? WHERE hash = ? AND used_at IS NULL AND expires_at > ? RETURNING *",
    ),
    findCode: db.prepare<[string], Row>("SELECT * FROM auth_codes WHERE hash = ?"),

    insertToken: db.prepare<[string, string, string, number, number]>(
      "INSERT INTO tokens (hash, grant_id, kind, expires_at, created_at) VALUES (?, ?, ?, ?, ?)",
    ),
    findAccessToken: db.prepare<[string, number], Row>(
      `SELECT ${GRANT_AND_ACCOUNT_SELECT}, t.expires_at
       FROM tokens t JOIN grants g ON g.id = t.grant_id JOIN accounts a ON a.id = g.account_id
       WHERE t.hash = ? AND t.kind = 'access' AND t.expires_at > ? AND g.revoked_at IS NULL`,
    ),
    findGrantByToken: db.prepare<[string], Row>(
      `SELECT g.id AS grant_id, g.account_id FROM tokens t JOIN grants g ON g.id = t.grant_id
       WHERE t.hash = ? AND g.revoked_at IS NULL`,
    ),
    findRefresh: db.prepare<[string], Row>(
      `SELECT t.grant_id, t.expires_at, t.used_at, g.client_id, g.revoked_at
       FROM tokens t JOIN grants g ON g.id = t.grant_id WHERE t.hash = ? AND t.kind = 'refresh'`,
    ),
    useToken: db.prepare<[number, string]>("UPDATE tokens SET used_at = ? WHERE hash = ? AND used_at IS NULL"),

    // Selecting from grants makes tracking a no-op for a revoked grant (an unfurl racing a revoke).
    trackUri: db.prepare<[string, string, number, number, string]>(
      `INSERT INTO tracked_uris (grant_id, uri, resource_key, created_at, updated_at)
       SELECT id, ?, ?, ?, ? FROM grants WHERE id = ? AND revoked_at IS NULL
       ON CONFLICT (grant_id, uri) DO UPDATE
         SET resource_key = excluded.resource_key, updated_at = excluded.updated_at`,
    ),
    untrackUri: db.prepare<[string, string]>("DELETE FROM tracked_uris WHERE grant_id = ? AND uri = ?"),
    listTracked: db.prepare<[string], Row>("SELECT * FROM tracked_uris WHERE grant_id = ? ORDER BY created_at, uri"),
  };
}

class SqliteStore implements Store {
  readonly jobs: JobStore;
  readonly #db: Database.Database;
  readonly #q: ReturnType<typeof prepare>;
  readonly #revoke: (grantId: string, now: number) => void;
  readonly #insertTokens: (tokens: NewToken[], now: number) => void;
  readonly #rotate: (oldHash: string, next: (grantId: string) => NewToken[], now: number) => RefreshOutcome;
  readonly #purge: (now: number) => number;

  constructor(db: Database.Database) {
    const q = prepare(db);
    this.#db = db;
    this.#q = q;
    this.jobs = createSqliteJobs(db);
    this.#revoke = db.transaction((grantId: string, now: number) => {
      q.revokeGrant.run(now, grantId);
      for (const statement of q.deleteOfGrant) statement.run(grantId);
    });
    this.#insertTokens = db.transaction((tokens: NewToken[], now: number) => {
      for (const t of tokens) q.insertToken.run(t.hash, t.grantId, t.kind, t.expiresAt, now);
    });
    const rotate = db.transaction(
      (oldHash: string, next: (grantId: string) => NewToken[], now: number): RefreshOutcome => {
        const found = q.findRefresh.get(oldHash);
        const row = found && toRefreshRow(found);
        if (!isLiveRefresh(row, now)) return { status: "invalid" };
        // A second presentation of a rotated token means it leaked: revoke the whole grant.
        if (row.usedAt !== null || q.useToken.run(now, oldHash).changes === 0) {
          this.#revoke(row.grantId, now);
          return { status: "reused", grantId: row.grantId };
        }
        this.#insertTokens(next(row.grantId), now);
        return { status: "rotated", grantId: row.grantId, clientId: row.clientId };
      },
    );
    // IMMEDIATE: take the write lock before the read, so another process cannot rotate in between.
    this.#rotate = (oldHash, next, now) => rotate.immediate(oldHash, next, now);
    this.#purge = db.transaction((now: number) => q.purge.reduce((n, statement) => n + statement.run({ now }).changes, 0));
  }

  async ping(): Promise<void> {
    this.#q.ping.get();
  }

  async close(): Promise<void> {
    this.#db.close();
  }

  async putAuthSession(idHash: string, payloadSealed: string, expiresAt: number): Promise<void> {
    this.#q.putSession.run(idHash, payloadSealed, expiresAt);
  }

  async getAuthSession(idHash: string, now: number): Promise<string | null> {
    return this.#q.getSession.get(idHash, now)?.payload ?? null;
  }

  async takeAuthSession(idHash: string, now: number): Promise<string | null> {
    return this.#q.takeSession.get(idHash, now)?.payload ?? null;
  }

  async purgeExpired(now: number): Promise<number> {
    return this.#purge(now);
  }

  async upsertAccount(
    a: { provider: string; externalId: string; login: string; avatarUrl: string | null },
    now: number,
  ): Promise<Account> {
    const row = this.#q.upsertAccount.get(randomUUID(), a.provider, a.externalId, a.login, a.avatarUrl, now, now);
    return toAccount(returned(row));
  }

  async createGrant(g: NewGrant, now: number): Promise<Grant> {
    const row = this.#q.createGrant.get(
      g.id,
      g.accountId,
      g.clientId,
      g.notionWorkspaceId,
      g.notionWorkspaceName,
      g.notionBotId,
      g.upstreamTokenSealed,
      g.notionTokenSealed,
      now,
    );
    return toGrant(returned(row));
  }

  async getGrant(grantId: string): Promise<Grant | null> {
    const row = this.#q.getGrant.get(grantId);
    return row ? toGrant(row) : null;
  }

  async getAccount(accountId: string): Promise<Account | null> {
    const row = this.#q.getAccount.get(accountId);
    return row ? toAccount(row) : null;
  }

  async updateUpstreamToken(grantId: string, upstreamTokenSealed: string): Promise<void> {
    this.#q.updateUpstreamToken.run(upstreamTokenSealed, grantId);
  }

  async swapUpstreamToken(grantId: string, expectedSealed: string, nextSealed: string): Promise<boolean> {
    return this.#q.swapUpstreamToken.run(nextSealed, grantId, expectedSealed).changes === 1;
  }

  async revokeGrant(grantId: string, now: number): Promise<void> {
    this.#revoke(grantId, now);
  }

  async createAuthCode(c: Omit<AuthCode, "usedAt">): Promise<void> {
    this.#q.createCode.run(c.hash, c.grantId, c.clientId, c.redirectUri, c.expiresAt);
  }

  async consumeAuthCode(hash: string, now: number): Promise<AuthCode | null> {
    const row = this.#q.consumeCode.get(now, hash, now);
    return row ? toAuthCode(row) : null;
  }

  async findAuthCode(hash: string): Promise<AuthCode | null> {
    const row = this.#q.findCode.get(hash);
    return row ? toAuthCode(row) : null;
  }

  async insertTokens(tokens: NewToken[], now: number): Promise<void> {
    this.#insertTokens(tokens, now);
  }

  async findAccessToken(hash: string, now: number): Promise<AccessTokenRecord | null> {
    const row = this.#q.findAccessToken.get(hash, now);
    return row ? toAccessTokenRecord(row) : null;
  }

  async findGrantByToken(hash: string): Promise<{ grantId: string; accountId: string } | null> {
    const row = this.#q.findGrantByToken.get(hash);
    return row ? { grantId: String(row.grant_id), accountId: String(row.account_id) } : null;
  }

  async rotateRefreshToken(
    oldHash: string,
    next: (grantId: string) => NewToken[],
    now: number,
  ): Promise<RefreshOutcome> {
    return this.#rotate(oldHash, next, now);
  }

  async trackUri(grantId: string, uri: string, resourceKey: string, now: number): Promise<void> {
    this.#q.trackUri.run(uri, resourceKey, now, now, grantId);
  }

  async untrackUri(grantId: string, uri: string): Promise<void> {
    this.#q.untrackUri.run(grantId, uri);
  }

  async listTrackedUris(grantId: string): Promise<TrackedUri[]> {
    return this.#q.listTracked.all(grantId).map(toTrackedUri);
  }
}
