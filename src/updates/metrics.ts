import { Counter, Gauge, type Registry } from "prom-client";
import type { JobStore } from "../store/jobs.js";

/** The live-update metrics, registered once per process next to the HTTP ones. */
export interface UpdateMetrics {
  /** outcome: queued, duplicate, ignored, ping, bad_signature, bad_request, unconfigured. */
  deliveries: Counter<"event" | "outcome">;
  /** outcome: done, retry, later, dead. */
  jobs: Counter<"kind" | "outcome">;
  /** outcome: ok, unchanged, error_operation, unauthorized, gone, rate_limited, transient, rejected. */
  pushes: Counter<"outcome">;
}

export function createUpdateMetrics(registry: Registry, jobs: JobStore): UpdateMetrics {
  new Gauge({
    name: "update_jobs",
    help: "Live-update jobs in the queue by state (pending, leased, dead)",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      // A scrape must not fail with the store: an unreachable store shows in /readyz instead.
      const counts = await jobs.counts().catch(() => null);
      for (const [state, n] of Object.entries(counts ?? {})) this.set({ state }, n);
    },
  });
  return {
    deliveries: new Counter({
      name: "github_webhook_deliveries_total",
      help: "GitHub webhook deliveries by event and outcome",
      labelNames: ["event", "outcome"],
      registers: [registry],
    }),
    jobs: new Counter({
      name: "update_job_runs_total",
      help: "Live-update job runs by kind and outcome",
      labelNames: ["kind", "outcome"],
      registers: [registry],
    }),
    pushes: new Counter({
      name: "notion_pushes_total",
      help: "PATCH /v1/external/object attempts (and skipped unchanged pushes) by outcome",
      labelNames: ["outcome"],
      registers: [registry],
    }),
  };
}
