import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import type { JobStore, LeasedJob } from "../store/jobs.js";
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff.js";
import type { UpdateMetrics } from "./metrics.js";
import type { JobOutcome } from "./outcome.js";
import type { Throttle } from "./throttle.js";
import type { Wakeup } from "./wakeup.js";

export interface WorkerOptions {
  /** Jobs run at once by this process. */
  concurrency: number;
  /**
   * How long a claim holds a job. Longer than any job can take (one upstream read and one PATCH,
   * each under its own deadline), so only a dead worker's jobs are taken over.
   */
  leaseMs: number;
  /** Longest sleep between looks at the queue (other processes' jobs, expired leases). */
  pollMs: number;
  /** Failed runs before a job becomes a dead letter. */
  maxAttempts: number;
  backoff: BackoffPolicy;
}

export const DEFAULT_WORKER: WorkerOptions = {
  concurrency: 8,
  leaseMs: 60_000,
  pollMs: 500,
  maxAttempts: 8,
  backoff: DEFAULT_BACKOFF,
};

export interface WorkerDeps {
  jobs: JobStore;
  run(job: LeasedJob): Promise<JobOutcome>;
  throttle: Pick<Throttle, "blocked">;
  clock: Clock;
  logger: Logger;
  metrics: UpdateMetrics;
  wakeup: Wakeup;
}

export interface Worker {
  /** Resolves once no job runs and none is due (for tests and benches). */
  idle(): Promise<void>;
  /** Stops claiming and waits for the running jobs. Anything not finished is still leased, and
   *  is taken over when its lease expires. */
  stop(): Promise<void>;
}

/** Shortest sleep: when jobs are due but their grants are throttled, look again soon, not at once. */
const MIN_SLEEP_MS = 25;

/**
 * The job loop: claim up to `concurrency` due jobs, run each, and record its outcome in the queue
 * (complete, retry with backoff, wait, dead letter). Between rounds it sleeps until the next job is
 * due, at most `pollMs`, or until the webhook route queues something.
 */
export function startWorker(d: WorkerDeps, options: Partial<WorkerOptions> = {}): Worker {
  const opts = { ...DEFAULT_WORKER, ...options };
  const running = new Set<Promise<void>>();
  const idleWaiters = new Set<() => void>();
  let stopping = false;

  async function settle(job: LeasedJob, outcome: JobOutcome): Promise<boolean> {
    const now = d.clock.now();
    switch (outcome.kind) {
      case "done":
        return d.jobs.complete(job, outcome.followUps ?? [], now);
      case "later":
        return d.jobs.release(job, { runAfter: outcome.runAfter, error: outcome.reason, refund: true }, now);
      case "retry":
        if (job.attempts >= opts.maxAttempts) return d.jobs.bury(job, `${opts.maxAttempts} attempts failed; last: ${outcome.error}`, now);
        return d.jobs.release(job, { runAfter: now + backoffDelay(job.attempts, opts.backoff), error: outcome.error, refund: false }, now);
      case "dead":
        return d.jobs.bury(job, outcome.error, now);
    }
  }

  async function execute(job: LeasedJob): Promise<void> {
    const log = d.logger.child({ jobId: job.id, kind: job.kind, attempt: job.attempts });
    let outcome: JobOutcome;
    if (job.attempts > opts.maxAttempts) {
      // Claimed again and again without an outcome: its runs crash the worker (a poison job).
      outcome = { kind: "dead", error: `lease expired ${job.attempts - 1} times; last: ${job.lastError ?? "none"}` };
    } else {
      try {
        outcome = await d.run(job);
      } catch (err) {
        log.error({ err }, "job failed");
        outcome = { kind: "retry", error: err instanceof Error ? err.message : String(err) };
      }
    }
    d.metrics.jobs.inc({ kind: job.kind, outcome: outcome.kind });
    if (outcome.kind === "dead") log.error({ error: outcome.error }, "job buried as a dead letter");
    try {
      if (!(await settle(job, outcome))) log.warn("lease lost before the job finished: another worker took it over");
    } catch (err) {
      // The store is unreachable: the lease expires and the job runs again.
      log.error({ err }, "could not record the job's outcome");
    }
  }

  async function round(): Promise<number> {
    // Only waiters from before this round began: one added mid-round may have queued work unseen.
    const waiting = [...idleWaiters];
    while (!stopping && running.size < opts.concurrency) {
      const now = d.clock.now();
      const job = await d.jobs.claim({ now, leaseMs: opts.leaseMs, skipGrants: d.throttle.blocked(now) });
      if (!job) break;
      const run: Promise<void> = execute(job).finally(() => {
        running.delete(run);
        d.wakeup.notify();
      });
      running.add(run);
    }
    if (running.size >= opts.concurrency) return opts.pollMs; // a finishing job wakes us
    const now = d.clock.now();
    const due = await d.jobs.nextDue();
    if (running.size === 0 && (due === null || due > now)) {
      for (const resolve of waiting) {
        idleWaiters.delete(resolve);
        resolve();
      }
    }
    return due === null ? opts.pollMs : Math.min(opts.pollMs, Math.max(MIN_SLEEP_MS, due - now));
  }

  const loop = (async () => {
    while (!stopping) {
      let sleep = opts.pollMs;
      try {
        sleep = await round();
      } catch (err) {
        d.logger.error({ err }, "job queue unreachable");
      }
      if (!stopping) await d.wakeup.sleep(sleep);
    }
  })();

  return {
    idle() {
      return new Promise((resolve) => {
        idleWaiters.add(resolve);
        d.wakeup.notify();
      });
    },
    async stop() {
      stopping = true;
      d.wakeup.notify();
      await loop;
      await Promise.allSettled([...running]);
    },
  };
}
