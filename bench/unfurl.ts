/**
 * `npm run bench`: throughput and latency of `POST /notion/unfurl` on the cached path of the real
 * server (bearer hash lookup in SQLite, per-account cache, envelope) against a bare Express 5
 * handler answering the same bytes, at 10 and 100 connections. Figures only, never asserted.
 *
 * The servers run in a child process (`bench/unfurlTarget.ts`); autocannon loads them from here,
 * so load generation and serving do not share an event loop. Arguments are passed to the child's
 * node, e.g. `npm run bench -- --cpu-prof --cpu-prof-dir=/tmp/unfurl-prof` to profile the servers.
 */
import autocannon from "autocannon";
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { envelopeProblem } from "./envelope.js";

const CONNECTIONS = [10, 100] as const;
const WARMUP_S = 2;
const DURATION_S = 10;
const GOAL_RPS_RATIO = 0.6; // real ≥ 0.6 × bare req/s
const GOAL_P99_RATIO_AT_10 = 2; // real p99 ≤ 2 × bare p99, at 10 connections
const READY_TIMEOUT_MS = 60_000;
const REPLY_TIMEOUT_MS = 5_000;
const EXIT_GRACE_MS = 5_000;

const root = fileURLToPath(new URL("..", import.meta.url));
const targetScript = fileURLToPath(new URL("./unfurlTarget.ts", import.meta.url));

type Target = "bare" | "real";

interface Ready {
  type: "ready";
  real: string;
  bare: string;
  bearer: string;
  uri: string;
  dataDir: string;
}

interface RssReport {
  type: "rss";
  peak: number;
  now: number;
}

interface Row {
  target: Target;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** Socket errors and timeouts. */
  errors: number;
  statusCodes: Record<string, { count: number }>;
  rssPeak: number;
}

/** The child process and its stdout as a queue of JSON messages. */
class TargetProcess {
  readonly #child: ChildProcess;
  readonly #messages: Record<string, unknown>[] = [];
  #waiter: (() => void) | null = null;
  #exited: Promise<void>;
  #alive = true;
  dataDir: string | null = null;

  constructor(nodeFlags: string[]) {
    this.#child = spawn(process.execPath, [...nodeFlags, "--import", "tsx", targetScript], {
      cwd: root,
      stdio: ["pipe", "pipe", "inherit"],
      env: { ...process.env, TEST_LOG_LEVEL: "silent" },
    });
    this.#exited = new Promise((resolve) =>
      this.#child.once("exit", () => {
        this.#alive = false;
        this.#wake();
        resolve();
      }),
    );
    createInterface({ input: this.#child.stdout! }).on("line", (line) => {
      if (!line.startsWith("{")) return void console.log(`[target] ${line}`);
      this.#messages.push(JSON.parse(line) as Record<string, unknown>);
      this.#wake();
    });
  }

  #wake(): void {
    const w = this.#waiter;
    this.#waiter = null;
    w?.();
  }

  /** The next message of `type`, skipping others. */
  async next<T>(type: string, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.#messages.findIndex((m) => m.type === type);
      if (i >= 0) return this.#messages.splice(i, 1)[0] as T;
      if (!this.#alive) throw new Error(`the target exited (code ${this.#child.exitCode}) before sending "${type}"`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no "${type}" from the target within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Peak RSS of the child since the previous report. */
  async rss(): Promise<RssReport> {
    this.#child.stdin?.write("report\n");
    return this.next<RssReport>("rss", REPLY_TIMEOUT_MS);
  }

  /** Closing stdin asks the child to close its servers and remove its temp dir; then signals. */
  async stop(): Promise<void> {
    if (this.#alive) {
      this.#child.stdin?.end();
      const grace = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());
      await Promise.race([this.#exited, grace(EXIT_GRACE_MS)]);
      if (this.#alive) this.#child.kill("SIGTERM");
      await Promise.race([this.#exited, grace(EXIT_GRACE_MS)]);
      if (this.#alive) this.#child.kill("SIGKILL");
      await this.#exited;
    }
    // In case the child could not clean up after itself.
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

const request = (ready: Ready) => ({
  method: "POST" as const,
  headers: { "content-type": "application/json", authorization: `Bearer ${ready.bearer}` },
  body: JSON.stringify({ uri: ready.uri }),
});

/** Both servers answer 200, the real one a valid attributes envelope, the bare one the same bytes. */
async function verify(ready: Ready): Promise<string> {
  const answer = async (base: string) => {
    const res = await fetch(`${base}/notion/unfurl`, request(ready));
    return { status: res.status, text: await res.text() };
  };
  const real = await answer(ready.real);
  if (real.status !== 200) throw new Error(`the real server answered ${real.status}: ${real.text}`);
  const problem = envelopeProblem(JSON.parse(real.text), ready.uri);
  if (problem) throw new Error(`the real server's answer is not an attributes envelope: ${problem}\n${real.text}`);
  const bare = await answer(ready.bare);
  if (bare.status !== 200 || bare.text !== real.text) {
    throw new Error(`the bare handler answered ${bare.status} with other bytes than the real server:\n${bare.text}`);
  }
  return real.text;
}

/** The value at quantile `q` of sorted samples. */
const quantile = (sorted: Float64Array, q: number) =>
  sorted.length === 0 ? Number.NaN : (sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN);

async function measure(target: Target, connections: number, ready: Ready, child: TargetProcess): Promise<Row> {
  // Latencies per 2xx response of the measured run (not the warm-up), from autocannon's hrtime
  // durations: its own histogram rounds to whole milliseconds, too coarse at 10 connections.
  const latencies: number[] = [];
  const run = autocannon({
    url: `${ready[target]}/notion/unfurl`,
    ...request(ready),
    connections,
    duration: DURATION_S,
    warmup: { connections, duration: WARMUP_S },
  });
  run.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const result = await run;
  if (latencies.length !== result["2xx"]) {
    console.log(`!!! ${target}@${connections}: ${latencies.length} latencies recorded for ${result["2xx"]} 2xx answers`);
  }
  const sorted = Float64Array.from(latencies).sort();
  const { peak } = await child.rss();
  return {
    target,
    connections,
    rps: result.requests.mean,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    statusCodes: result.statusCodeStats,
    rssPeak: peak,
  };
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const pad = (cells: string[], widths: number[]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");

function printTable(rows: Row[], startupRss: number, loadBefore: string): void {
  const widths = [8, 6, 10, 8, 8, 8, 7, 14];
  console.log();
  console.log(pad(["target", "conns", "req/s", "p50 ms", "p99 ms", "non-2xx", "errors", "child RSS peak"], widths));
  for (const r of rows) {
    const flag = r.non2xx > 0 || r.errors > 0 ? "  <-- ERRORS" : "";
    const cells = [r.target, String(r.connections), r.rps.toFixed(0), r.p50.toFixed(2), r.p99.toFixed(2), String(r.non2xx), String(r.errors), mb(r.rssPeak)];
    console.log(pad(cells, widths) + flag);
  }

  console.log();
  console.log(`real / bare    req/s (goal >= ${GOAL_RPS_RATIO})    p99 (goal <= ${GOAL_P99_RATIO_AT_10} at 10 conns)`);
  for (const c of CONNECTIONS) {
    const bare = rows.find((r) => r.target === "bare" && r.connections === c);
    const real = rows.find((r) => r.target === "real" && r.connections === c);
    if (!bare || !real) continue;
    const rps = real.rps / bare.rps;
    const p99 = real.p99 / bare.p99;
    const rpsMark = rps >= GOAL_RPS_RATIO ? "meets" : "MISSES";
    const p99Mark = c === 10 ? (p99 <= GOAL_P99_RATIO_AT_10 ? "meets" : "MISSES") : "no goal";
    console.log(`${`${c} conns`.padEnd(13)}  ${`${rps.toFixed(2)}x ${rpsMark}`.padEnd(22)}  ${p99.toFixed(2)}x ${p99Mark}`);
  }

  console.log();
  const peak = Math.max(startupRss, ...rows.map((r) => r.rssPeak));
  console.log(`child peak RSS: ${mb(peak)} (after start-up: ${mb(startupRss)}; both servers and the fakes share the child)`);
  console.log(`host: ${availableParallelism()} CPUs shared by load generator and servers; load average before: ${loadBefore}`);
  console.log(`each run: ${WARMUP_S} s warm-up, then ${DURATION_S} s measured; p50/p99 from per-response hrtime durations of 2xx answers`);

  const failed = rows.filter((r) => r.non2xx > 0 || r.errors > 0);
  if (failed.length > 0) {
    console.log();
    console.log("!".repeat(78));
    for (const r of failed) {
      console.log(`!!! ${r.target} at ${r.connections} connections: ${r.non2xx} non-2xx, ${r.errors} errors/timeouts; status codes ${JSON.stringify(r.statusCodes)}`);
    }
    console.log("!!! THESE FIGURES ARE NOT COMPARABLE: some requests failed.");
    console.log("!".repeat(78));
  }
}

async function main(child: TargetProcess): Promise<void> {
  const ready = await child.next<Ready>("ready", READY_TIMEOUT_MS);
  child.dataDir = ready.dataDir;
  const body = await verify(ready);
  console.log(`verified: both answer 200 with the same ${Buffer.byteLength(body)}-byte attributes envelope for ${ready.uri}`);
  const startup = await child.rss();
  const loadBefore = loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

  const rows: Row[] = [];
  for (const connections of CONNECTIONS) {
    for (const target of ["bare", "real"] as const) {
      process.stdout.write(`measuring ${target} at ${connections} connections…\n`);
      rows.push(await measure(target, connections, ready, child));
    }
  }
  printTable(rows, startup.peak, loadBefore);
}

const child = new TargetProcess(process.argv.slice(2));
const stopOnSignal = (signal: NodeJS.Signals) => {
  console.error(`\n${signal}: stopping the target`);
  void child.stop().finally(() => process.exit(130));
};
process.once("SIGINT", stopOnSignal);
process.once("SIGTERM", stopOnSignal);

try {
  await main(child);
} catch (err) {
  console.error("bench failed:", err);
  process.exitCode = 1;
} finally {
  await child.stop();
}
