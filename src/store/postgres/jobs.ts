/**
 * The job store on PostgreSQL. Several instances claim at once: `FOR UPDATE SKIP LOCKED` lets each
 * claim take the next job nobody else is taking, without waiting on the others' row locks.
 */
import { randomUUID } from "node:crypto";
import type { Pool, PoolClient } from "pg";
import type { ClaimOptions, DeadJob, JobStore, LeasedJob, NewJob, TrackedPreview } from "../jobs.js";
import { clip, jobColumns, prefixUpperBound, toDeadJob, toLeasedJob, toTrackedPreview } from "../jobsRows.js";
import type { Row } from "../rows.js";

type Db = Pool | PoolClient;
export type Transaction = <T>(pool: Pool, work: (client: PoolClient) => Promise<T>) => Promise<T>;

/** A waiting job's identity is (kind, grant_id, key); the upsert targets that partial index. */
const UPSERT_WAITING = `ON CONFLICT (kind, grant_id, key) WHERE state = 'pending' DO UPDATE SET`;

const TRACKED_COLUMNS = "grant_id, uri, resource_key, pushed_hash";

/**
 * All jobs in one statement. A new request for a waiting job makes it due at the earlier time:
 * a debounce is never pushed further out by later events, so a steady stream cannot starve it.
 * Duplicates within one batch are merged first (an upsert may not touch a row twice).
 */
async function enqueue(db: Db, jobs: readonly NewJob[], now: number): Promise<void> {
  if (jobs.length === 0) return;
  const merged = new Map<string, ReturnType<typeof jobColumns>>();
  for (const job of jobs.map(jobColumns)) {
    const id = JSON.stringify([job.kind, job.grantId, job.key]);
    const seen = merged.get(id);
    merged.set(
      id,
      seen
        ? { ...job, runAfter: Math.min(seen.runAfter, job.runAfter), onlyIfChanged: Math.min(seen.onlyIfChanged, job.onlyIfChanged) }
        : job,
    );
  }
  const rows = [...merged.values()];
  await db.query(
    `INSERT INTO jobs (kind, key, grant_id, only_if_changed, run_after, created_at, updated_at)
     SELECT kind, key, grant_id, only_if_changed, run_after, $6, $6
     FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::bigint[]) AS j (kind, key, grant_id, only_if_changed, run_after)
     ${UPSERT_WAITING} run_after = LEAST(jobs.run_after, EXCLUDED.run_after),
       only_if_changed = LEAST(jobs.only_if_changed, EXCLUDED.only_if_changed), updated_at = EXCLUDED.updated_at`,
    [
      rows.map((j) => j.kind),
      rows.map((j) => j.key),
      rows.map((j) => j.grantId),
      rows.map((j) => j.onlyIfChanged),
      rows.map((j) => j.runAfter),
      now,
    ],
  );
}

/** Deletes a job this lease still holds; the row, or undefined when the lease was lost. */
async function take(db: Db, job: LeasedJob): Promise<Row | undefined> {
  const { rows } = await db.query<Row>(
    "DELETE FROM jobs WHERE id = $1 AND lease_token = $2 AND state = 'leased' RETURNING *",
    [job.id, job.leaseToken],
  );
  return rows[0];
}

export function createPostgresJobs(pool: Pool, transaction: Transaction): JobStore {
  const rows = async (sql: string, values: unknown[]) => (await pool.query<Row>(sql, values)).rows;

  return {
    async recordDelivery(delivery, jobs, now) {
      return transaction(pool, async (client) => {
        const inserted = await client.query(
          "INSERT INTO webhook_deliveries (id, event, received_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
          [delivery.id, delivery.event, now],
        );
        if (inserted.rowCount === 0) return false;
        await enqueue(client, jobs, now);
        return true;
      });
    },
    async enqueue(jobs, now) {
      await enqueue(pool, jobs, now);
    },
    async claim({ now, leaseMs, skipGrants = [] }: ClaimOptions): Promise<LeasedJob | null> {
      // Expired leases first: that work is the oldest, and its worker is gone.
      const [row] = await rows(
        `WITH next AS (
           SELECT id FROM jobs
           WHERE ((state = 'pending' AND run_after <= $1) OR (state = 'leased' AND lease_until <= $1))
             AND grant_id <> ALL ($4::text[])
           ORDER BY state = 'pending', run_after, id
           LIMIT 1 FOR UPDATE SKIP LOCKED)
         UPDATE jobs SET state = 'leased', lease_token = $3, lease_until = $2, attempts = jobs.attempts + 1,
           updated_at = $1
         FROM next WHERE jobs.id = next.id
         RETURNING jobs.*`,
        [now, now + leaseMs, randomUUID(), skipGrants],
      );
      return row ? toLeasedJob(row) : null;
    },
    async complete(job, followUps, now) {
      return transaction(pool, async (client) => {
        if (!(await take(client, job))) return false;
        await enqueue(client, followUps, now);
        return true;
      });
    },
    async release(job, p, now) {
      return transaction(pool, async (client) => {
        const row = await take(client, job);
        if (!row) return false;
        // The released job goes back under its waiting identity; merging with a newer request
        // keeps the later due time (a Retry-After is honoured) and the higher attempt count.
        await client.query(
          `INSERT INTO jobs (kind, key, grant_id, only_if_changed, attempts, run_after, last_error, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ${UPSERT_WAITING} run_after = GREATEST(jobs.run_after, EXCLUDED.run_after),
             attempts = GREATEST(jobs.attempts, EXCLUDED.attempts), last_error = EXCLUDED.last_error,
             only_if_changed = LEAST(jobs.only_if_changed, EXCLUDED.only_if_changed), updated_at = EXCLUDED.updated_at`,
          [
            job.kind,
            job.key,
            job.grantId,
            job.onlyIfChanged ? 1 : 0,
            Math.max(0, job.attempts - (p.refund ? 1 : 0)),
            p.runAfter,
            clip(p.error),
            row.created_at,
            now,
          ],
        );
        return true;
      });
    },
    async bury(job, error, now) {
      const result = await pool.query(
        `UPDATE jobs SET state = 'dead', last_error = $1, lease_token = NULL, lease_until = NULL, updated_at = $2
         WHERE id = $3 AND lease_token = $4 AND state = 'leased'`,
        [clip(error), now, job.id, job.leaseToken],
      );
      return result.rowCount === 1;
    },
    async nextDue() {
      const [row] = await rows(
        `SELECT LEAST((SELECT MIN(run_after) FROM jobs WHERE state = 'pending'),
                      (SELECT MIN(lease_until) FROM jobs WHERE state = 'leased')) AS due`,
        [],
      );
      return typeof row?.due === "number" ? row.due : null;
    },
    async counts() {
      const counts = { pending: 0, leased: 0, dead: 0 };
      for (const row of await rows("SELECT state, count(*) AS n FROM jobs GROUP BY state", [])) {
        const state = String(row.state);
        if (state in counts) counts[state as keyof typeof counts] = Number(row.n);
      }
      return counts;
    },
    async listDead(limit): Promise<DeadJob[]> {
      return (await rows("SELECT * FROM jobs WHERE state = 'dead' ORDER BY updated_at DESC, id DESC LIMIT $1", [limit])).map(
        toDeadJob,
      );
    },
    async purge(before) {
      const [row] = await rows(
        `WITH d AS (DELETE FROM webhook_deliveries WHERE received_at < $1 RETURNING 1),
              j AS (DELETE FROM jobs WHERE state = 'dead' AND updated_at < $1 RETURNING 1)
         SELECT (SELECT count(*) FROM d) + (SELECT count(*) FROM j) AS n`,
        [before],
      );
      return Number(row?.n ?? 0);
    },

    async listTrackedByResource(key, opts = {}): Promise<TrackedPreview[]> {
      const found = opts.prefix
        ? await rows(
            `SELECT ${TRACKED_COLUMNS} FROM tracked_uris WHERE resource_key >= $1 AND resource_key < $2
             ORDER BY resource_key, grant_id, uri`,
            [key, prefixUpperBound(key)],
          )
        : await rows(`SELECT ${TRACKED_COLUMNS} FROM tracked_uris WHERE resource_key = $1 ORDER BY grant_id, uri`, [key]);
      return found.map(toTrackedPreview);
    },
    async getTracked(grantId, uri) {
      const [row] = await rows(`SELECT ${TRACKED_COLUMNS} FROM tracked_uris WHERE grant_id = $1 AND uri = $2`, [grantId, uri]);
      return row ? toTrackedPreview(row) : null;
    },
    async listTrackedResourceKeys(after, limit) {
      const found = await rows(
        "SELECT DISTINCT resource_key FROM tracked_uris WHERE resource_key > $1 ORDER BY resource_key LIMIT $2",
        [after ?? "", limit],
      );
      return found.map((r) => String(r.resource_key));
    },
    async recordPushed(grantId, uri, hash) {
      await pool.query("UPDATE tracked_uris SET pushed_hash = $1 WHERE grant_id = $2 AND uri = $3", [hash, grantId, uri]);
    },
    async untrackGrant(grantId) {
      await pool.query("DELETE FROM tracked_uris WHERE grant_id = $1", [grantId]);
    },
    async listGrantIdsOfAccount(provider, externalId) {
      const found = await rows(
        `SELECT g.id FROM grants g JOIN accounts a ON a.id = g.account_id
         WHERE a.provider = $1 AND a.external_id = $2 AND g.revoked_at IS NULL ORDER BY g.created_at, g.id`,
        [provider, externalId],
      );
      return found.map((r) => String(r.id));
    },
  };
}
