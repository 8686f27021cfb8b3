/**
 * The PostgreSQL store (`pg` pool): for several instances behind a load balancer. Unlike SQLite,
 * calls really run concurrently, so every check-then-write is either one statement
 * (`UPDATE … WHERE used_at IS NULL RETURNING`) or a transaction holding a row lock.
 */
import { randomUUID } from "node:crypto";
import { Pool, types, type CustomTypesConfig, type PoolClient } from "pg";
import { createPostgresJobs } from "./jobs.js";
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

/**
 * pg returns BIGINT as a string (it may exceed 2^53); our BIGINTs are epoch milliseconds and
 * counts, far inside Number's exact range. Set per pool, not globally, to leave other pg users be.
 */
const bigintAsNumber: CustomTypesConfig = {
  getTypeParser: (id, format) => (id === types.builtins.INT8 ? Number : types.getTypeParser(id, format)),
};

/** Any 64-bit constant will do: it only has to be the same in every instance. */
const MIGRATION_LOCK = 0x4e4c5056;

type Db = Pool | PoolClient;

/** Connects and migrates; rejects (and closes the pool) when the database is unreachable. */
export async function openPostgresStore(url: string): Promise<Store> {
  const pool = new Pool({ connectionString: url, types: bigintAsNumber });
  // An idle client's error (server restart) already removes it from the pool, and the next query
  // reconnects; without a listener the event would crash the process.
  pool.on("error", () => {});
  try {
    await transaction(pool, migrate);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return new PostgresStore(pool);
}

async function migrate(client: PoolClient): Promise<void> {
  // Instances starting together queue here; the first applies, the others then find nothing to do.
  await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
  await client.query(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
       version INTEGER PRIMARY KEY,
       applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
     )`,
  );
  const { rows } = await client.query<{ version: number }>(
    "SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations",
  );
  const applied = rows[0]?.version ?? 0;
  if (applied > migrations.length) {
    throw new Error(`postgres: schema version ${applied} is newer than this build knows (${migrations.length})`);
  }
  for (const [i, sql] of migrations.slice(applied).entries()) {
    await client.query(sql);
    await client.query("INSERT INTO schema_migrations (version) VALUES ($1)", [applied + i + 1]);
  }
}

/** Runs `work` in one transaction on one pooled connection. */
async function transaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    // A failed ROLLBACK means a broken connection: destroy it instead of pooling it again.
    broken = await client.query("ROLLBACK").then(
      () => false,
      () => true,
    );
    throw error;
  } finally {
    client.release(broken);
  }
}

/** The grant row first, then its children: the lock order `rotateRefreshToken` also follows. */
async function revoke(db: PoolClient, grantId: string, now: number): Promise<void> {
  await db.query(
    `UPDATE grants SET revoked_at = COALESCE(revoked_at, $1), upstream_token_sealed = '', notion_token_sealed = ''
     WHERE id = $2`,
    [now, grantId],
  );
  for (const table of ["tokens", "auth_codes", "tracked_uris"]) {
    await db.query(`DELETE FROM ${table} WHERE grant_id = $1`, [grantId]);
  }
}

async function insertTokens(db: Db, tokens: NewToken[], now: number): Promise<void> {
  if (tokens.length === 0) return;
  await db.query(
    `INSERT INTO tokens (hash, grant_id, kind, expires_at, created_at)
     SELECT hash, grant_id, kind, expires_at, $5
     FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS t (hash, grant_id, kind, expires_at)`,
    [
      tokens.map((t) => t.hash),
      tokens.map((t) => t.grantId),
      tokens.map((t) => t.kind),
      tokens.map((t) => t.expiresAt),
      now,
    ],
  );
}

class PostgresStore implements Store {
  readonly jobs: JobStore;
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
    this.jobs = createPostgresJobs(pool, transaction);
  }

  async #one(sql: string, values: unknown[]): Promise<Row | undefined> {
    return (await this.#pool.query<Row>(sql, values)).rows[0];
  }

  async ping(): Promise<void> {
    await this.#pool.query("SELECT 1");
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  async putAuthSession(idHash: string, payloadSealed: string, expiresAt: number): Promise<void> {
    await this.#pool.query(
      `INSERT INTO auth_sessions (id_hash, payload, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (id_hash) DO UPDATE SET payload = EXCLUDED.payload, expires_at = EXCLUDED.expires_at`,
      [idHash, payloadSealed, expiresAt],
    );
  }

  async getAuthSession(idHash: string, now: number): Promise<string | null> {
    const { rows } = await this.#pool.query<{ payload: string }>(
      "SELECT payload FROM auth_sessions WHERE id_hash = $1 AND expires_at > $2",
      [idHash, now],
    );
    return rows[0]?.payload ?? null;
  }

  async takeAuthSession(idHash: string, now: number): Promise<string | null> {
    const { rows } = await this.#pool.query<{ payload: string }>(
      "DELETE FROM auth_sessions WHERE id_hash = $1 AND expires_at > $2 RETURNING payload",
      [idHash, now],
    );
    return rows[0]?.payload ?? null;
  }

  async purgeExpired(now: number): Promise<number> {
    const { rows } = await this.#pool.query<{ n: number }>(
      `WITH s AS (DELETE FROM auth_sessions WHERE expires_at <= $1 RETURNING 1),
            c AS (DELETE FROM auth_codes WHERE expires_at <= $1 RETURNING 1),
            t AS (DELETE FROM tokens WHERE expires_at <= $1 AND NOT (kind = 'access' AND grant_id IN
                    (SELECT grant_id FROM tokens WHERE kind = 'refresh' AND used_at IS NULL AND expires_at > $1))
                  RETURNING 1)
       SELECT (SELECT count(*) FROM s) + (SELECT count(*) FROM c) + (SELECT count(*) FROM t) AS n`,
      [now],
    );
    return rows[0]?.n ?? 0;
  }

  async upsertAccount(
    a: { provider: string; externalId: string; login: string; avatarUrl: string | null },
    now: number,
  ): Promise<Account> {
    const row = await this.#one(
      `INSERT INTO accounts (id, provider, external_id, login, avatar_url, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)
       ON CONFLICT (provider, external_id) DO UPDATE
         SET login = EXCLUDED.login, avatar_url = EXCLUDED.avatar_url, updated_at = EXCLUDED.updated_at
       RETURNING *`,
      [randomUUID(), a.provider, a.externalId, a.login, a.avatarUrl, now],
    );
    return toAccount(returned(row));
  }

  async createGrant(g: NewGrant, now: number): Promise<Grant> {
    const row = await this.#one(
      `INSERT INTO grants (id, account_id, client_id, notion_workspace_id, notion_workspace_name,
         notion_bot_id, upstream_token_sealed, notion_token_sealed, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [
        g.id,
        g.accountId,
        g.clientId,
        g.notionWorkspaceId,
        g.notionWorkspaceName,
        g.notionBotId,
        g.upstreamTokenSealed,
        g.notionTokenSealed,
        now,
      ],
    );
    return toGrant(returned(row));
  }

  async getGrant(grantId: string): Promise<Grant | null> {
    const row = await this.#one("SELECT * FROM grants WHERE id = $1 AND revoked_at IS NULL", [grantId]);
    return row ? toGrant(row) : null;
  }

  async getAccount(accountId: string): Promise<Account | null> {
    const row = await this.#one("SELECT * FROM accounts WHERE id = $1", [accountId]);
    return row ? toAccount(row) : null;
  }

  async updateUpstreamToken(grantId: string, upstreamTokenSealed: string): Promise<void> {
    await this.#pool.query("UPDATE grants SET upstream_token_sealed = $1 WHERE id = $2 AND revoked_at IS NULL", [
      upstreamTokenSealed,
      grantId,
    ]);
  }

  async swapUpstreamToken(grantId: string, expectedSealed: string, nextSealed: string): Promise<boolean> {
    const res = await this.#pool.query(
      "UPDATE grants SET upstream_token_sealed = $1 WHERE id = $2 AND upstream_token_sealed = $3 AND revoked_at IS NULL",
      [nextSealed, grantId, expectedSealed],
    );
    return res.rowCount === 1;
  }

  async revokeGrant(grantId: string, now: number): Promise<void> {
    await transaction(this.#pool, (client) => revoke(client, grantId, now));
  }

  async createAuthCode(c: Omit<AuthCode, "usedAt">): Promise<void> {
    await this.#pool.query(
      "INSERT INTO auth_codes (hash, grant_id, client_id, redirect_uri, expires_at) VALUES ($1, $2, $3, $4, $5)",
      [c.hash, c.grantId, c.clientId, c.redirectUri, c.expiresAt],
    );
  }

  async consumeAuthCode(hash: string, now: number): Promise<AuthCode | null> {
    const row = await this.#one(
      "UPDATE auth_codes SET used_at = $1 WHERE hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING *",
      [now, hash],
    );
    return row ? toAuthCode(row) : null;
  }

  async findAuthCode(hash: string): Promise<AuthCode | null> {
    const row = await this.#one("SELECT * FROM auth_codes WHERE hash = $1", [hash]);
    return row ? toAuthCode(row) : null;
  }

  async insertTokens(tokens: NewToken[], now: number): Promise<void> {
    await insertTokens(this.#pool, tokens, now);
  }

  async findAccessToken(hash: string, now: number): Promise<AccessTokenRecord | null> {
    // Named: the hot path of every unfurl is parsed and planned once per connection.
    const { rows } = await this.#pool.query<Row>({
      name: "find-access-token",
      text: `SELECT ${GRANT_AND_ACCOUNT_SELECT}, t.expires_at
             FROM tokens t JOIN grants g ON g.id = t.grant_id JOIN accounts a ON a.id = g.account_id
             WHERE t.hash = $1 AND t.kind = 'access' AND t.expires_at > $2 AND g.revoked_at IS NULL`,
      values: [hash, now],
    });
    return rows[0] ? toAccessTokenRecord(rows[0]) : null;
  }

  async findGrantByToken(hash: string): Promise<{ grantId: string; accountId: string } | null> {
    const row = await this.#one(
      `SELECT g.id AS grant_id, g.account_id FROM tokens t JOIN grants g ON g.id = t.grant_id
       WHERE t.hash = $1 AND g.revoked_at IS NULL`,
      [hash],
    );
    return row ? { grantId: String(row.grant_id), accountId: String(row.account_id) } : null;
  }

  async rotateRefreshToken(
    oldHash: string,
    next: (grantId: string) => NewToken[],
    now: number,
  ): Promise<RefreshOutcome> {
    return transaction(this.#pool, async (client): Promise<RefreshOutcome> => {
      // Locking the grant row (not the token) serialises rotations with each other and with
      // `revoke`, which takes the same lock first, so the two cannot deadlock.
      const { rows } = await client.query<Row>(
        `SELECT t.grant_id, t.expires_at, t.used_at, g.client_id, g.revoked_at
         FROM tokens t JOIN grants g ON g.id = t.grant_id
         WHERE t.hash = $1 AND t.kind = 'refresh' FOR UPDATE OF g`,
        [oldHash],
      );
      const row = rows[0] && toRefreshRow(rows[0]);
      if (!isLiveRefresh(row, now)) return { status: "invalid" };
      // The row above may predate a rotation that committed while we waited for the lock: the
      // conditional UPDATE reads the latest version and is the real decision.
      const used = await client.query("UPDATE tokens SET used_at = $1 WHERE hash = $2 AND used_at IS NULL", [
        now,
        oldHash,
      ]);
      // A second presentation of a rotated token means it leaked: revoke the whole grant.
      if (row.usedAt !== null || used.rowCount === 0) {
        await revoke(client, row.grantId, now);
        return { status: "reused", grantId: row.grantId };
      }
      await insertTokens(client, next(row.grantId), now);
      return { status: "rotated", grantId: row.grantId, clientId: row.clientId };
    });
  }

  async trackUri(grantId: string, uri: string, resourceKey: string, now: number): Promise<void> {
    // Selecting from grants makes tracking a no-op for a revoked grant (an unfurl racing a revoke).
    await this.#pool.query(
      `INSERT INTO tracked_uris (grant_id, uri, resource_key, created_at, updated_at)
       SELECT id, $2, $3, $4::bigint, $4::bigint FROM grants WHERE id = $1 AND revoked_at IS NULL
       ON CONFLICT (grant_id, uri) DO UPDATE
         SET resource_key = EXCLUDED.resource_key, updated_at = EXCLUDED.updated_at`,
      [grantId, uri, resourceKey, now],
    );
  }

  async untrackUri(grantId: string, uri: string): Promise<void> {
    await this.#pool.query("DELETE FROM tracked_uris WHERE grant_id = $1 AND uri = $2", [grantId, uri]);
  }

  async listTrackedUris(grantId: string): Promise<TrackedUri[]> {
    const { rows } = await this.#pool.query<Row>(
      "SELECT * FROM tracked_uris WHERE grant_id = $1 ORDER BY created_at, uri",
      [grantId],
    );
    return rows.map((row) => toTrackedUri(row));
  }
}
