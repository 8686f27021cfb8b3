/** The part of autocannon 8 the benches use (the package ships no types). */
declare module "autocannon" {
  import type { EventEmitter } from "node:events";

  namespace autocannon {
    interface Options {
      url: string;
      method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
      headers?: Record<string, string>;
      body?: string;
      connections?: number;
      /** Seconds. */
      duration?: number;
      /** A run before the measured one, with its own options; its figures land in `result.warmup`. */
      warmup?: { connections?: number; duration?: number };
    }

    /** Histogram summary: `mean`, `stddev`, `min`, `max` and percentiles such as `p50`, `p99`. */
    interface Stats {
      mean: number;
      stddev: number;
      min: number;
      max: number;
      total: number;
      p50: number;
      p99: number;
      [percentile: string]: number;
    }

    interface Result {
      duration: number;
      errors: number;
      timeouts: number;
      mismatches: number;
      non2xx: number;
      resets: number;
      "2xx": number;
      statusCodeStats: Record<string, { count: number }>;
      /** Requests per second sampled each second. */
      requests: Stats & { sent: number };
      /** Milliseconds, in a histogram of 1 ms resolution. */
      latency: Stats;
      throughput: Stats;
    }

    /** Emits `response(client, statusCode, bytes, responseTimeMs)` for each answer of the measured run. */
    type Instance = EventEmitter & PromiseLike<Result>;
  }

  function autocannon(opts: autocannon.Options): autocannon.Instance;
  export = autocannon;
}
