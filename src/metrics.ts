import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** One registry per app instance, so tests can build many apps in one process. */
export interface Metrics {
  registry: Registry;
  requestDuration: Histogram<"method" | "route" | "status">;
  unfurls: Counter<"provider" | "outcome">;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    requestDuration: new Histogram({
      name: "http_request_duration_seconds",
      help: "HTTP request duration by route",
      labelNames: ["method", "route", "status"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    unfurls: new Counter({
      name: "unfurl_outcomes_total",
      help: "Unfurl answers by provider and outcome (ok, cached, error_<status>, unauthorized, unsupported)",
      labelNames: ["provider", "outcome"],
      registers: [registry],
    }),
  };
}
