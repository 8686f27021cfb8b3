import type { JobStore, LeasedJob } from "../store/jobs.js";
import { done, type JobOutcome } from "./outcome.js";
import { wildcardPrefix } from "./wildcard.js";

/**
 * One `refresh` job: fan a resource key out to a `push` job per (grant, uri) tracking it. The
 * pushes are enqueued in the same transaction that completes this job, so a crash re-runs the
 * fan-out or none of it; each push then fails, retries and is throttled on its own.
 */
export async function runRefresh(job: LeasedJob, d: { jobs: JobStore; now: number }): Promise<JobOutcome> {
  const prefix = wildcardPrefix(job.key);
  const tracked = prefix === null ? await d.jobs.listTrackedByResource(job.key) : await d.jobs.listTrackedByResource(prefix, { prefix: true });
  return done(
    tracked.map((t) => ({ kind: "push", grantId: t.grantId, key: t.uri, runAfter: d.now, onlyIfChanged: job.onlyIfChanged })),
  );
}
