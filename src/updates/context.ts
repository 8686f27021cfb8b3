import type { Registry } from "prom-client";
import type { JobStore } from "../store/jobs.js";
import { createUpdateMetrics, type UpdateMetrics } from "./metrics.js";
import { createWakeup, type Wakeup } from "./wakeup.js";

/** What the webhook route and the workers of one process share (part of `Services`). */
export interface UpdatesContext {
  metrics: UpdateMetrics;
  wakeup: Wakeup;
}

export function createUpdatesContext(registry: Registry, jobs: JobStore): UpdatesContext {
  return { metrics: createUpdateMetrics(registry, jobs), wakeup: createWakeup() };
}
