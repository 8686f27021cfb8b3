/**
 * The job store on SQLite. better-sqlite3 is synchronous and each statement is atomic, so a claim
 * is one `UPDATE … WHERE id = (SELECT …) RETURNING`: no two claims, even from two processes
 * sharing the file, can lease the same job. Multi-statement changes run in IMMEDIATE transactions.
 */
import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import type { ClaimOptions, DeadJob, JobStore, LeasedJob, NewJob, TrackedPreview } from "../jobs.js";
import { clip, jobColumns, prefixUpperBound, toDeadJob, toLeasedJob, toTrackedPreview } from "../jobsRows.js";
import type { Row } from "../rows.js";

/** A waiting job's identity is (kind, grant_id, key); the upsert targets that partial index. */
const UPSERT_WAITING = `ON CONFLICT (kind, grant_id, key) WHERE state = 'pending' DO UPDATE SET`;

const TRACKED_COLUMNS = "grant_id, uri, resource_key, pushed_hash";

function prepare(db: Database.Database) {
  const notSkipped = "grant_id NOT IN (SELECT value FROM json_each(@skip))";
  return {
    insertDelivery: db.prepare<[string, string, number]>(
      "INSERT INTO webhook_deliveries (id, event, received_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
    ),
    // A new request for a waiting job makes it due at the earlier time: a debounce is never pushed
    // further out by later events, so a steady stream of them cannot starve the refresh.
    enqueue: db.prepare<{ kind: string; key: string; grantId: string; onlyIfChanged: number; runAfter: number; now: number }>(
      `INSERT INTO jobs (kind, key, grant_id, only_if_changed, run_after, created_at, updated_at)
       VALUES (@kind, @key, @grantId, @onlyIfChanged, @runAfter, @now, @now)
       ${UPSERT_WAITING} run_after = MIN(jobs.run_after, excluded.run_after),
         only_if_changed = MIN(jobs.only_if_changed, excluded.only_if_changed), updated_at = excluded.updated_at`,
    ),
    // Expired leases first: that work is the oldest, and its worker is gone.
    claim: db.prepare<{ now: number; until: number; token: string; skip: string }, Row>(
      `UPDATE jobs SET state = 'leased', lease_token = @token, lease_until = @until, attempts = attempts + 1,
         updated_at = @now
       WHERE id = COALESCE(
         (SELECT id FROM jobs WHERE state = 'leased' AND lease_until <= @now AND ${notSkipped}
          ORDER BY lease_until, id LIMIT 1),
         (SELECT id FROM jobs WHERE state = 'pending' AND run_after <= @now AND ${notSkipped}
          ORDER BY run_after, id LIMIT 1))
       RETURNING *`,
    ),
    take: db.prepare<[number, string], Row>(
      "DELETE FROM jobs WHERE id = ? AND lease_token = ? AND state = 'leased' RETURNING *",
    ),
    // The released job goes back under its waiting identity; merging with a newer request keeps
    // the later due time (a Retry-After is honoured) and the higher attempt count.
    requeue: db.prepare<{
      kind: string;
      key: string;
      grantId: string;
      onlyIfChanged: number;
      attempts: number;
      runAfter: number;
      error: string;
      createdAt: number;
      now: number;
    }>(
      `INSERT INTO jobs (kind, key, grant_id, only_if_changed, attempts, run_after, last_error, created_at, updated_at)
       VALUES (@kind, @key, @grantId, @onlyIfChanged, @attempts, @runAfter, @error, @createdAt, @now)
       ${UPSERT_WAITING} run_after = MAX(jobs.run_after, excluded.run_after),
         attempts = MAX(jobs.attempts, excluded.attempts), last_error = excluded.last_error,
         only_if_changed = MIN(jobs.only_if_changed, excluded.only_if_changed), updated_at = excluded.updated_at`,
    ),
    bury: db.prepare<[string, number, number, string]>(
      `UPDATE jobs SET state = 'dead', last_error = ?, lease_token = NULL, lease_until = NULL, updated_at = ?
       WHERE id = ? AND lease_token = ? AND state = 'leased'`,
    ),
    nextDue: db.prepare<[], { due: number | null }>(
      `SELECT MIN(due) AS due FROM (
         SELECT MIN(run_after) AS due FROM jobs WHERE state = 'pending'
         UNION ALL SELECT MIN(lease_until) FROM jobs WHERE state = 'leased')`,
    ),
    counts: db.prepare<[], { state: string; n: number }>("SELECT state, count(*) AS n FROM jobs GROUP BY state"),
    listDead: db.prepare<[number], Row>("SELECT * FROM jobs WHERE state = 'dead' ORDER BY updated_at DESC, id DESC LIMIT ?"),
    purge: [
      "DELETE FROM webhook_deliveries WHERE received_at < ?",
      "DELETE FROM jobs WHERE state = 'dead' AND updated_at < ?",
    ].map((sql) => db.prepare<[number]>(sql)),

    trackedByKey: db.prepare<[string], Row>(
      `SELECT ${TRACKED_COLUMNS} FROM tracked_uris WHERE resource_key = ? ORDER BY grant_id, uri`,
    ),
    trackedByRange: db.prepare<[string, string], Row>(
      `SELECT ${TRACKED_COLUMNS} FROM tracked_uris WHERE resource_key >= ? AND resource_key < ?
       ORDER BY resource_key, grant_id, uri`,
    ),
    getTracked: db.prepare<[string, string], Row>(`SELECT ${TRACKED_COLUMNS} FROM tracked_uris WHERE grant_id = ? AND uri = ?`),
    trackedKeys: db.prepare<[string, number], { resource_key: string }>(
      "SELECT DISTINCT resource_key FROM tracked_uris WHERE resource_key > ? ORDER BY resource_key LIMIT ?",
    ),
    recordPushed: db.prepare<[string, string, string]>("UPDATE tracked_uris SET pushed_hash = ? WHERE grant_id = ? AND uri = ?"),
    untrackGrant: db.prepare<[string]>("DELETE FROM tracked_uris WHERE grant_id = ?"),
    grantsOfAccount: db.prepare<[string, string], { id: string }>(
      `SELECT g.id FROM grants g JOIN accounts a ON a.id = g.account_id
       WHERE a.provider = ? AND a.external_id = ? AND g.revoked_at IS NULL ORDER BY g.created_at, g.id`,
    ),
  };
}

export function createSqliteJobs(db: Database.Database): JobStore {
  const q = prepare(db);
  const enqueue = (jobs: readonly NewJob[], now: number) => {
    for (const job of jobs) q.enqueue.run({ ...jobColumns(job), now });
  };
  const enqueueAll = db.transaction(enqueue);
  const recordDelivery = db.transaction((id: string, event: string, jobs: readonly NewJob[], now: number): boolean => {
    if (q.insertDelivery.run(id, event, now).changes === 0) return false;
    enqueue(jobs, now);
    return true;
  });
  const complete = db.transaction((job: LeasedJob, followUps: readonly NewJob[], now: number): boolean => {
    if (!q.take.get(job.id, job.leaseToken)) return false;
    enqueue(followUps, now);
    return true;
  });
  const release = db.transaction(
    (job: LeasedJob, p: { runAfter: number; error: string; refund: boolean }, now: number): boolean => {
      const row = q.take.get(job.id, job.leaseToken);
      if (!row) return false;
      q.requeue.run({
        kind: job.kind,
        key: job.key,
        grantId: job.grantId,
        onlyIfChanged: job.onlyIfChanged ? 1 : 0,
        attempts: Math.max(0, job.attempts - (p.refund ? 1 : 0)),
        runAfter: p.runAfter,
        error: clip(p.error),
        createdAt: Number(row.created_at),
        now,
      });
      return true;
    },
  );
  const purge = db.transaction((before: number) => q.purge.reduce((n, statement) => n + statement.run(before).changes, 0));

  return {
    async recordDelivery(delivery, jobs, now) {
      return recordDelivery.immediate(delivery.id, delivery.event, jobs, now);
    },
    async enqueue(jobs, now) {
      enqueueAll.immediate(jobs, now);
    },
    async claim({ now, leaseMs, skipGrants = [] }: ClaimOptions): Promise<LeasedJob | null> {
      const row = q.claim.get({ now, until: now + leaseMs, token: randomUUID(), skip: JSON.stringify(skipGrants) });
      return row ? toLeasedJob(row) : null;
    },
    async complete(job, followUps, now) {
      return complete.immediate(job, followUps, now);
    },
    async release(job, p, now) {
      return release.immediate(job, p, now);
    },
    async bury(job, error, now) {
      return q.bury.run(clip(error), now, job.id, job.leaseToken).changes === 1;
    },
    async nextDue() {
      return q.nextDue.get()?.due ?? null;
    },
    async counts() {
      const counts = { pending: 0, leased: 0, dead: 0 };
      for (const { state, n } of q.counts.all()) if (state in counts) counts[state as keyof typeof counts] = n;
      return counts;
    },
    async listDead(limit): Promise<DeadJob[]> {
      return q.listDead.all(limit).map(toDeadJob);
    },
    async purge(before) {
      return purge.immediate(before);
    },

    async listTrackedByResource(key, opts = {}): Promise<TrackedPreview[]> {
      const rows = opts.prefix ? q.trackedByRange.all(key, prefixUpperBound(key)) : q.trackedByKey.all(key);
      return rows.map(toTrackedPreview);
    },
    async getTracked(grantId, uri) {
      const row = q.getTracked.get(grantId, uri);
      return row ? toTrackedPreview(row) : null;
    },
    async listTrackedResourceKeys(after, limit) {
      return q.trackedKeys.all(after ?? "", limit).map((r) => r.resource_key);
    },
    async recordPushed(grantId, uri, hash) {
      q.recordPushed.run(hash, grantId, uri);
    },
    async untrackGrant(grantId) {
      q.untrackGrant.run(grantId);
    },
    async listGrantIdsOfAccount(provider, externalId) {
      return q.grantsOfAccount.all(provider, externalId).map((r) => r.id);
    },
  };
}
