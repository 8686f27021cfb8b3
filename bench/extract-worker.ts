/**
 * One contender in a process of its own (so its peak RSS is its own), driven by `bench/extract.ts`:
 *   string <contender>        accuracy per field and pages/s over the corpus HTML strings
 *   url <contender> <port>    latency and bytes over local HTTP at concurrency 1 and 16
 * Prints one JSON line on stdout.
 */
import { correct } from "./extract-score.js";
import { contender, type Contender } from "./extract-libs.js";
import { FIELDS, loadCorpus, type CorpusPage } from "../test/fixtures/web/corpus.js";

const [mode, name = "", portArg = "0"] = process.argv.slice(2);
const port = Number(portArg);

/** Timing runs whole rounds over the pages until this much time has passed (at least one round). */
const TIME_BOX_MS = 3_000;
const URL_ROUNDS = 3;
const BIG = 500_000;

const pages = loadCorpus();

export interface StringReport {
  mode: "string";
  name: string;
  pages: number;
  errors: string[];
  /** Per field: correct count, or null when the contender has no such field. */
  fields: Record<string, number | null>;
  pagesPerSecAll: number;
  pagesPerSecSmall: number;
  peakRssMb: number;
}

export interface UrlPhase {
  concurrency: number;
  group: "small" | "big";
  fetches: number;
  failures: number;
  p50: number;
  p99: number;
  pageBytes: number;
  /** Bytes the client read from its sockets (ours only). */
  clientBytes: number | null;
  /** Bytes the server's sockets wrote (kernel buffers included). */
  serverBytes: number;
}

export interface UrlReport {
  mode: "url";
  name: string;
  phases: UrlPhase[];
  /** Ours, concurrency 1 (so attribution is exact): what each big page cost. */
  bigPages: { name: string; size: number; reader: number; socket: number }[];
  errors: string[];
}

/** Libraries reject with Errors, strings or plain objects (ogs): say what it was, briefly. */
function describe(err: unknown): string {
  if (err instanceof Error) return err.message.slice(0, 100);
  const result = (err as { result?: { error?: unknown } } | null)?.result?.error;
  return String(result ?? JSON.stringify(err)).slice(0, 100);
}

async function timed(c: Contender, set: CorpusPage[]): Promise<number> {
  let done = 0;
  const start = performance.now();
  do {
    for (const page of set) {
      await c.fromHtml(page).catch(() => undefined);
      done++;
    }
  } while (performance.now() - start < TIME_BOX_MS);
  return (done / (performance.now() - start)) * 1000;
}

async function stringMode(c: Contender): Promise<StringReport> {
  const fields: Record<string, number | null> = Object.fromEntries(FIELDS.map((f) => [f, 0]));
  const errors: string[] = [];
  for (const page of pages) {
    let out: Record<string, unknown>;
    try {
      out = await c.fromHtml(page);
    } catch (err) {
      errors.push(`${page.name}: ${describe(err)}`);
      continue;
    }
    for (const f of FIELDS) {
      if (!(f in out)) fields[f] = null;
      else if (fields[f] !== null && correct(f, out[f], page)) fields[f] = (fields[f] as number) + 1;
    }
  }
  const pagesPerSecAll = await timed(c, pages);
  const pagesPerSecSmall = await timed(c, pages.filter((p) => p.bytes.length < BIG));
  return {
    mode: "string",
    name: c.name,
    pages: pages.length,
    errors,
    fields,
    pagesPerSecAll,
    pagesPerSecSmall,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

async function serverBytes(): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/__stats`);
  return ((await res.json()) as { bytesWritten: number }).bytesWritten;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function urlMode(c: Contender): Promise<UrlReport> {
  const fromUrl = c.fromUrl;
  if (!fromUrl) throw new Error(`${c.name} has no URL mode`);
  // ours goes through its resolver (any name → loopback); the others are given the address
  const host = c.name === "extract" ? `bench.test:${port}` : `127.0.0.1:${port}`;
  const errors: string[] = [];
  const phases: UrlPhase[] = [];
  const bigPages: UrlReport["bigPages"] = [];
  if (c.socketBytes && c.readerBytes) {
    for (const page of pages.filter((p) => p.bytes.length >= BIG)) {
      const [socket0, reader0] = [c.socketBytes(), c.readerBytes()];
      await fromUrl(`http://${host}/p/${page.name}`);
      bigPages.push({ name: page.name, size: page.bytes.length, reader: c.readerBytes() - reader0, socket: c.socketBytes() - socket0 });
    }
  }
  // warm up connections and JIT
  for (const page of pages.slice(0, 10)) await fromUrl(`http://${host}/p/${page.name}`).catch(() => undefined);
  for (const concurrency of [1, 16]) {
    for (const group of ["small", "big"] as const) {
      const set = pages.filter((p) => (group === "big") === p.bytes.length >= BIG);
      const queue = Array.from({ length: URL_ROUNDS }, () => set).flat();
      const latencies: number[] = [];
      let failures = 0;
      const client0 = c.socketBytes?.() ?? null;
      const server0 = await serverBytes();
      const worker = async () => {
        for (let page = queue.shift(); page; page = queue.shift()) {
          const start = performance.now();
          try {
            await fromUrl(`http://${host}/p/${page.name}`);
            latencies.push(performance.now() - start);
          } catch (err) {
            failures++;
            if (errors.length < 5) errors.push(`${page.name}: ${describe(err)}`);
          }
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      latencies.sort((a, b) => a - b);
      phases.push({
        concurrency,
        group,
        fetches: set.length * URL_ROUNDS,
        failures,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        pageBytes: set.reduce((sum, p) => sum + p.bytes.length, 0) * URL_ROUNDS,
        clientBytes: client0 === null ? null : (c.socketBytes?.() ?? 0) - client0,
        serverBytes: (await serverBytes()) - server0,
      });
    }
  }
  return { mode: "url", name: c.name, phases, bigPages, errors };
}

const c = await contender(name, port);
const report = mode === "url" ? await urlMode(c) : await stringMode(c);
await c.close?.();
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(0);
