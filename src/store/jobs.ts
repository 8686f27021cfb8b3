/**
 * The live-update side of the store: GitHub webhook deliveries, the durable job queue that turns
 * them into Notion pushes, and the reads those jobs make of tracked uris. Like `Store`, every
 * implementation (SQLite, PostgreSQL) passes one contract suite (`test/contract/jobs.ts`), and
 * times are epoch milliseconds passed in by the caller.
 *
 * A job is identified, while it waits, by (kind, grantId, key): a second enqueue of the same job
 * merges into the waiting one instead of adding a row. That is how a burst of webhooks about one
 * pull request becomes one refresh.
 */

export type JobKind =
  /** Fan out: enqueue a `push` for every (grant, uri) tracking `key` (a resource key or a prefix ending in `*`). */
  | "refresh"
  /** Re-read `uri` with the grant's own upstream token and PATCH it to Notion with its Notion token. */
  | "push"
  /** Revoke every grant of the upstream account whose external id is `key`. */
  | "revoke_account";

export interface NewJob {
  kind: JobKind;
  key: string;
  /** Only for `push` jobs (the per-grant throttle needs it as a column). */
  grantId?: string;
  /** Not before (epoch ms): a debounce window or a backoff. */
  runAfter: number;
  /** Push only when the attribute set differs from the last one pushed (the poller's refreshes). */
  onlyIfChanged?: boolean;
}

export interface LeasedJob {
  id: number;
  /** Proves this claim still holds the job: a job reclaimed after its lease expired has a new token. */
  leaseToken: string;
  kind: JobKind;
  key: string;
  /** `""` for jobs that are not about one grant. */
  grantId: string;
  onlyIfChanged: boolean;
  /** Claims so far, this one included. */
  attempts: number;
  leaseUntil: number;
  lastError: string | null;
}

export interface DeadJob {
  id: number;
  kind: JobKind;
  key: string;
  grantId: string;
  attempts: number;
  lastError: string | null;
  updatedAt: number;
}

/** A tracked (grant, uri) pair with what was last pushed for it. */
export interface TrackedPreview {
  grantId: string;
  uri: string;
  resourceKey: string;
  /** Hash of the last envelope pushed to Notion; null before the first push. */
  pushedHash: string | null;
}

export interface ClaimOptions {
  now: number;
  leaseMs: number;
  /** Grants whose push jobs must wait (their Notion connection is throttled in this process). */
  skipGrants?: readonly string[];
}

export interface JobStore {
  /**
   * Records a webhook delivery by its `X-GitHub-Delivery` id and enqueues its jobs, atomically.
   * Answers false (and enqueues nothing) when the id was already recorded: a redelivery.
   */
  recordDelivery(delivery: { id: string; event: string }, jobs: readonly NewJob[], now: number): Promise<boolean>;
  /** Adds jobs; one that is already waiting keeps one row, due at the earlier of the two times. */
  enqueue(jobs: readonly NewJob[], now: number): Promise<void>;
  /**
   * Leases the next due job (waiting and due, or leased with an expired lease: its worker died),
   * counting one attempt. Null when nothing is due. Concurrent claims never get the same job.
   */
  claim(opts: ClaimOptions): Promise<LeasedJob | null>;
  /** Done: deletes the job and enqueues its follow-ups in the same transaction. False when the lease was lost. */
  complete(job: LeasedJob, followUps: readonly NewJob[], now: number): Promise<boolean>;
  /**
   * Back to waiting until `runAfter` (a backoff, a Retry-After). `refund` gives the attempt back
   * (a rate limit is not a failure). If the same job is already waiting again, the two merge, due
   * at the later time. False when the lease was lost.
   */
  release(job: LeasedJob, p: { runAfter: number; error: string; refund: boolean }, now: number): Promise<boolean>;
  /** Dead letter: kept for inspection, never run again. False when the lease was lost. */
  bury(job: LeasedJob, error: string, now: number): Promise<boolean>;
  /** The earliest time a waiting job or an expired lease becomes due; null when the queue is empty. */
  nextDue(): Promise<number | null>;
  /** Job counts by state, for metrics. */
  counts(): Promise<{ pending: number; leased: number; dead: number }>;
  listDead(limit: number): Promise<DeadJob[]>;
  /** Deletes deliveries received and dead jobs buried before `before`; returns how many rows went. */
  purge(before: number): Promise<number>;

  /** Tracked pairs of a resource key, or of every key starting with `prefix` (`{prefix: true}`). */
  listTrackedByResource(key: string, opts?: { prefix?: boolean }): Promise<TrackedPreview[]>;
  getTracked(grantId: string, uri: string): Promise<TrackedPreview | null>;
  /** Distinct tracked resource keys after `after` in key order (the poller pages through them). */
  listTrackedResourceKeys(after: string | null, limit: number): Promise<string[]>;
  /** Remembers what was pushed for a still-tracked pair. */
  recordPushed(grantId: string, uri: string, hash: string): Promise<void>;
  /** Stops tracking every uri of a grant (its Notion token is dead). */
  untrackGrant(grantId: string): Promise<void>;
  /** Live grant ids of an upstream account, by its external id. */
  listGrantIdsOfAccount(provider: string, externalId: string): Promise<string[]>;
}
