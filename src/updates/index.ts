import type { Deps, Services } from "../services.js";
import type { LeasedJob } from "../store/jobs.js";
import { createNotionPush } from "./notionPush.js";
import type { JobOutcome } from "./outcome.js";
import { startPoller, type Poller } from "./poller.js";
import { runPush } from "./pushJob.js";
import { runRefresh } from "./refreshJob.js";
import { runRevokeAccount } from "./revokeJob.js";
import { createThrottle } from "./throttle.js";
import { startWorker, type Worker, type WorkerOptions } from "./worker.js";

/**
 * Live previews: the worker that turns queued jobs into Notion pushes, the optional poller, and the
 * queue's housekeeping. The webhook route (`webhookRoute.ts`) is mounted by the app; both share
 * `services.updates`, and the queue itself lives in the store, so any instance can run any job.
 */

/**
 * Deliveries are remembered this long to recognise redeliveries (GitHub offers them for 3 days);
 * dead letters are kept as long for inspection.
 */
export const RETENTION_MS = 7 * 86_400_000;
const HOUSEKEEPING_MS = 10 * 60_000;

export interface Updates {
  worker: Worker;
  /** Null unless `REFRESH_INTERVAL` is set. */
  poller: Poller | null;
  stop(): Promise<void>;
}

export function startUpdates(deps: Deps & { services: Services }, options: Partial<WorkerOptions> = {}): Updates {
  const { config, store, clock, services } = deps;
  const logger = deps.logger.child({ component: "updates" });
  const { metrics, wakeup } = services.updates;
  const throttle = createThrottle();
  const pushDeps = {
    store,
    unfurls: services.unfurls,
    sealer: services.sealer,
    notion: createNotionPush({ apiUrl: config.notion.apiUrl, fetch: deps.fetch, now: () => clock.now() }),
    throttle,
    clock,
    logger,
    metrics,
  };
  const run = (job: LeasedJob): Promise<JobOutcome> => {
    switch (job.kind) {
      case "refresh":
        return runRefresh(job, { jobs: store.jobs, now: clock.now() });
      case "push":
        return runPush(job, pushDeps);
      case "revoke_account":
        return runRevokeAccount(job, { store, now: clock.now() });
    }
  };
  const worker = startWorker({ jobs: store.jobs, run, throttle, clock, logger, metrics, wakeup }, options);
  const interval = config.updates.refreshInterval;
  const poller = interval ? startPoller({ jobs: store.jobs, clock, logger, wakeup, intervalMs: interval * 1000 }) : null;
  const housekeeping = setInterval(() => {
    store.jobs.purge(clock.now() - RETENTION_MS).catch((err: unknown) => logger.error({ err }, "job purge failed"));
  }, HOUSEKEEPING_MS);
  housekeeping.unref();

  return {
    worker,
    poller,
    async stop() {
      poller?.stop();
      clearInterval(housekeeping);
      await worker.stop();
    },
  };
}
