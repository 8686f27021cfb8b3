import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import type { JobStore } from "../store/jobs.js";
import type { Wakeup } from "./wakeup.js";

export interface Poller {
  /** One pass: enqueues a refresh of every tracked resource; returns how many. */
  tick(): Promise<number>;
  stop(): void;
}

const PAGE = 500;

/**
 * For GitHub setups without webhooks (`REFRESH_INTERVAL`): every interval, queue a refresh of
 * every tracked resource, marked only-if-changed, so a push happens only when the re-read preview
 * differs from the one last pushed. Several instances may poll at once: their refreshes of one
 * resource merge in the queue.
 */
export function startPoller(d: { jobs: JobStore; clock: Clock; logger: Logger; wakeup: Wakeup; intervalMs: number }): Poller {
  let busy = false;
  async function tick(): Promise<number> {
    let queued = 0;
    for (let after: string | null = null; ; ) {
      const keys = await d.jobs.listTrackedResourceKeys(after, PAGE);
      if (keys.length === 0) break;
      const now = d.clock.now();
      await d.jobs.enqueue(keys.map((key) => ({ kind: "refresh", key, runAfter: now, onlyIfChanged: true })), now);
      queued += keys.length;
      d.wakeup.notify();
      after = keys.at(-1) ?? null;
    }
    return queued;
  }
  const timer = setInterval(() => {
    if (busy) return; // a pass longer than the interval: skip, do not pile up
    busy = true;
    tick()
      .then((n) => d.logger.debug({ queued: n }, "poller queued refreshes"))
      .catch((err: unknown) => d.logger.error({ err }, "poller failed"))
      .finally(() => (busy = false));
  }, d.intervalMs);
  timer.unref();
  return { tick, stop: () => clearInterval(timer) };
}
