/**
 * In-process nudge from the webhook route to the worker of the same process: "a job was queued",
 * so the worker looks now instead of at its next poll. Other processes find the job by polling.
 */
export interface Wakeup {
  notify(): void;
  /** Resolves after `ms`, or at the next `notify`, whichever comes first. */
  sleep(ms: number): Promise<void>;
}

export function createWakeup(): Wakeup {
  const sleepers = new Set<() => void>();
  return {
    notify() {
      for (const wake of [...sleepers]) wake();
    },
    sleep(ms) {
      return new Promise((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          sleepers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, ms);
        sleepers.add(wake);
      });
    },
  };
}
