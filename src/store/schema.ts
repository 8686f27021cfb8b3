/**
 * The schema of both stores as one ordered list of migrations, written once. Append only: a
 * released entry never changes, because each store records how many it has applied (SQLite:
 * `PRAGMA user_version`, PostgreSQL: `schema_migrations`). Times are epoch milliseconds.
 */
export interface Dialect {
  /** Column type of an epoch-milliseconds time. */
  epochMs: string;
  /** Column definition of an auto-incremented integer primary key. */
  autoId: string;
  /**
   * Collation clause that makes text compare byte by byte, so prefix scans of resource keys (every
   * tracked key of a repository) are range scans. SQLite's default already does.
   */
  byteOrder: string;
}

export function schemaMigrations(d: Dialect): readonly string[] {
  return [
  `
  CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    external_id TEXT NOT NULL,
    login TEXT NOT NULL,
    avatar_url TEXT,
    created_at ${d.epochMs} NOT NULL,
    updated_at ${d.epochMs} NOT NULL,
    UNIQUE (provider, external_id)
  );
  -- A revoked grant keeps its row (revoked_at set, sealed secrets emptied, children deleted) so
  -- its id can never be issued again and the revocation time stays on record.
  CREATE TABLE grants (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    client_id TEXT NOT NULL,
    notion_workspace_id TEXT,
    notion_workspace_name TEXT,
    notion_bot_id TEXT,
    upstream_token_sealed TEXT NOT NULL,
    notion_token_sealed TEXT NOT NULL,
    created_at ${d.epochMs} NOT NULL,
    revoked_at ${d.epochMs}
  );
  CREATE INDEX grants_account_id ON grants (account_id);
  CREATE TABLE auth_sessions (
    id_hash TEXT PRIMARY KEY,
    payload TEXT NOT NULL,
    expires_at ${d.epochMs} NOT NULL
  );
  CREATE INDEX auth_sessions_expires_at ON auth_sessions (expires_at);
  CREATE TABLE auth_codes (
    hash TEXT PRIMARY KEY,
    grant_id TEXT NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
    client_id TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    expires_at ${d.epochMs} NOT NULL,
    used_at ${d.epochMs}
  );
  CREATE INDEX auth_codes_grant_id ON auth_codes (grant_id);
  CREATE INDEX auth_codes_expires_at ON auth_codes (expires_at);
  CREATE TABLE tokens (
    hash TEXT PRIMARY KEY,
    grant_id TEXT NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
    expires_at ${d.epochMs} NOT NULL,
    used_at ${d.epochMs},
    created_at ${d.epochMs} NOT NULL
  );
  CREATE INDEX tokens_grant_id ON tokens (grant_id);
  CREATE INDEX tokens_expires_at ON tokens (expires_at);
  CREATE TABLE tracked_uris (
    grant_id TEXT NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
    uri TEXT NOT NULL,
    resource_key TEXT${d.byteOrder} NOT NULL,
    created_at ${d.epochMs} NOT NULL,
    updated_at ${d.epochMs} NOT NULL,
    PRIMARY KEY (grant_id, uri)
  );
  `,
  // 2: live updates (src/updates): webhook deliveries, the job queue, pushed hashes.
  `
  ALTER TABLE tracked_uris ADD COLUMN pushed_hash TEXT;
  CREATE INDEX tracked_uris_resource_key ON tracked_uris (resource_key);
  -- Only ids: a delivery's payload is turned into jobs on receipt and never stored.
  CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    event TEXT NOT NULL,
    received_at ${d.epochMs} NOT NULL
  );
  CREATE INDEX webhook_deliveries_received_at ON webhook_deliveries (received_at);
  CREATE TABLE jobs (
    id ${d.autoId},
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    grant_id TEXT NOT NULL DEFAULT '',
    only_if_changed INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'leased', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    run_after ${d.epochMs} NOT NULL,
    lease_token TEXT,
    lease_until ${d.epochMs},
    last_error TEXT,
    created_at ${d.epochMs} NOT NULL,
    updated_at ${d.epochMs} NOT NULL
  );
  -- At most one waiting job per (kind, grant, key): enqueueing again merges (coalescing).
  CREATE UNIQUE INDEX jobs_waiting ON jobs (kind, grant_id, key) WHERE state = 'pending';
  CREATE INDEX jobs_pending_due ON jobs (run_after) WHERE state = 'pending';
  CREATE INDEX jobs_leased_until ON jobs (lease_until) WHERE state = 'leased';
  `,
];
}
