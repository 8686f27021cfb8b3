/**
 * `npm run bench:extract`: our extractor against metascraper, open-graph-scraper, unfurl.js and
 * link-preview-js on the extraction corpus (test/fixtures/web), in one run. Figures only, never
 * asserted.
 *
 * 1. String mode: each contender in a child process of its own (`bench/extract-worker.ts`) scores
 *    every field on every page against the goldens, then times whole rounds over the corpus
 *    (all pages, and the pages under 500 KB), and reports its peak RSS.
 * 2. URL mode: this process serves the corpus on loopback; each contender with a fetcher of its
 *    own reads every page at concurrency 1 and 16. Latency is per page; bytes are what the
 *    client read from its sockets (ours, via its dialer) and what the server's sockets wrote
 *    (which includes what sat unread in kernel buffers when a client hung up).
 */
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { FIELDS, loadCorpus } from "../test/fixtures/web/corpus.js";
import type { StringReport, UrlPhase, UrlReport } from "./extract-worker.js";

const STRING_CONTENDERS = ["baseline", "extract", "metascraper", "open-graph-scraper", "unfurl.js", "link-preview-js"];
const URL_CONTENDERS = ["extract", "unfurl.js", "open-graph-scraper", "link-preview-js"];
const worker = fileURLToPath(new URL("./extract-worker.ts", import.meta.url));
const root = fileURLToPath(new URL("..", import.meta.url));

const pages = loadCorpus();

function serveCorpus(): Promise<{ server: Server; port: number }> {
  const byName = new Map(pages.map((p) => [`/p/${p.name}`, p]));
  const sockets = new Set<Socket>();
  let closedBytes = 0;
  const server = createServer((req, res) => {
    if (req.url === "/__stats") {
      const open = [...sockets].reduce((sum, s) => sum + s.bytesWritten, 0);
      return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ bytesWritten: closedBytes + open }));
    }
    // link-preview-js asks for /proxy/<absolute url> (see its adapter)
    const path = req.url?.startsWith("/proxy/") ? new URL(req.url.slice("/proxy/".length)).pathname : req.url;
    const page = byName.get(path ?? "");
    if (!page) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": page.contentType, "content-length": page.bytes.length }).end(page.bytes);
  });
  server.keepAliveTimeout = 30_000;
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => {
      sockets.delete(socket);
      closedBytes += socket.bytesWritten;
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as AddressInfo).port })));
}

function run<T>(args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", worker, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code) => {
      const line = out.trim().split("\n").at(-1) ?? "";
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        reject(new Error(`worker ${args.join(" ")} exited ${code}: ${err.slice(-2000)}`));
      }
    });
  });
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : " ".repeat(n - s.length) + s);
const fmt = (n: number | null, digits = 0) =>
  n === null || !Number.isFinite(n) ? "—" : n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

function table(head: string[], rows: string[][], widths: number[]): string {
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? pad(c, widths[i] ?? 10) : lpad(c, widths[i] ?? 10))).join(" | ")} |`;
  return [line(head), `|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`, ...rows.map(line)].join("\n");
}

const big = pages.filter((p) => p.bytes.length >= 500_000);
console.log(
  `Corpus: ${pages.length} pages (${pages.length - big.length} under 500 KB, ${big.length} of 0.5–2 MB), ` +
    `${fmt(pages.reduce((s, p) => s + p.bytes.length, 0) / 1024 / 1024, 1)} MB in all. Node ${process.version}.\n`,
);

// ---- 1. string mode ----
const strings: StringReport[] = [];
for (const name of STRING_CONTENDERS) {
  process.stderr.write(`string mode: ${name}…\n`);
  strings.push(await run<StringReport>(["string", name]));
}
const ours = strings.find((r) => r.name === "extract") as StringReport;
const unfurlJs = strings.find((r) => r.name === "unfurl.js") as StringReport;
const baseline = strings.find((r) => r.name === "baseline") as StringReport;
const libs = strings.filter((r) => r.name !== "baseline");

console.log("String mode: pages/s from HTML strings, and peak RSS of the process (corpus loaded + library)\n");
console.log(
  table(
    ["contender", "pages/s (all)", "pages/s (<500 KB)", "× unfurl.js (all)", "× unfurl.js (<500 KB)", "peak RSS MB", "errors"],
    strings.map((r) => [
      r.name === "baseline" ? "baseline (no library)" : r.name,
      r.name === "baseline" ? "—" : fmt(r.pagesPerSecAll),
      r.name === "baseline" ? "—" : fmt(r.pagesPerSecSmall),
      r.name === "baseline" ? "—" : fmt(r.pagesPerSecAll / unfurlJs.pagesPerSecAll, 1),
      r.name === "baseline" ? "—" : fmt(r.pagesPerSecSmall / unfurlJs.pagesPerSecSmall, 1),
      fmt(r.peakRssMb),
      String(r.errors.length),
    ]),
    [21, 13, 17, 17, 21, 11, 6],
  ),
);
for (const r of strings) for (const e of r.errors) console.log(`  ${r.name} error: ${e}`);

console.log(`\nField accuracy: pages whose value matches the golden, of ${pages.length} ("—": the library has no such field)\n`);
const accuracy = (r: StringReport, f: string) => r.fields[f];
console.log(
  table(
    ["field", ...libs.map((r) => r.name)],
    [
      ...FIELDS.map((f) => [
        f,
        ...libs.map((r) => {
          const n = accuracy(r, f);
          return n === null || n === undefined ? "—" : `${fmt((100 * n) / pages.length)}% (${n})`;
        }),
      ]),
      [
        "all fields",
        ...libs.map((r) => {
          const n = FIELDS.reduce((s, f) => s + (accuracy(r, f) ?? 0), 0);
          return `${fmt((100 * n) / (pages.length * FIELDS.length))}%`;
        }),
      ],
    ],
    [11, ...libs.map(() => 18)],
  ),
);

// ---- 2. URL mode ----
const { server, port } = await serveCorpus();
const urls: UrlReport[] = [];
for (const name of URL_CONTENDERS) {
  process.stderr.write(`URL mode: ${name}…\n`);
  urls.push(await run<UrlReport>(["url", name, String(port)]));
}
server.closeAllConnections();
server.close();

console.log(`\nURL mode over local HTTP (3 rounds over the corpus per row; latency per page in ms)\n`);
const pct = (part: number | null, whole: number) => (part === null ? "—" : `${fmt((100 * part) / whole, 1)}%`);
const phase = (r: UrlReport, c: number, g: "small" | "big") => r.phases.find((p) => p.concurrency === c && p.group === g) as UrlPhase;
console.log(
  table(
    ["contender", "conc", "p50 <500KB", "p99 <500KB", "p50 big", "p99 big", "client read, big", "server wrote, big", "server wrote, <500KB (with headers)", "failures"],
    urls.flatMap((r) =>
      [1, 16].map((c) => {
        const s = phase(r, c, "small");
        const b = phase(r, c, "big");
        return [
          r.name,
          String(c),
          fmt(s.p50, 2),
          fmt(s.p99, 2),
          fmt(b.p50, 2),
          fmt(b.p99, 2),
          pct(b.clientBytes, b.pageBytes),
          pct(b.serverBytes, b.pageBytes),
          pct(s.serverBytes, s.pageBytes),
          String(s.failures + b.failures),
        ];
      }),
    ),
    [18, 4, 10, 10, 9, 9, 16, 17, 34, 8],
  ),
);
for (const r of urls) for (const e of r.errors) console.log(`  ${r.name} error: ${e}`);
const ourUrl = urls.find((r) => r.name === "extract");
const ourBig = ourUrl?.phases.filter((p) => p.group === "big") ?? [];
console.log(`\nOurs, page by page on the 0.5–2 MB pages (concurrency 1): the reader's bytes, and the socket's (the reader's plus what the socket had already taken in)\n`);
console.log(
  table(
    ["page", "size KiB", "reader KiB", "reader %", "socket KiB", "socket %"],
    (ourUrl?.bigPages ?? []).map((p) => [p.name, fmt(p.size / 1024), fmt(p.reader / 1024, 1), pct(p.reader, p.size), fmt(p.socket / 1024, 1), pct(p.socket, p.size)]),
    [32, 8, 10, 8, 10, 8],
  ),
);

// ---- goals ----
const best = (f: string) => Math.max(...libs.filter((r) => r.name !== "extract").map((r) => accuracy(r, f) ?? 0));
const behind = FIELDS.filter((f) => (accuracy(ours, f) ?? 0) < best(f));
const bigRead = ourBig.reduce((s, p) => s + (p.clientBytes ?? 0), 0) / ourBig.reduce((s, p) => s + p.pageBytes, 0);
const perPage = ourUrl?.bigPages ?? [];
const under5 = perPage.filter((p) => p.socket <= 0.05 * p.size).map((p) => p.name);
console.log("\nGoals");
console.log(`  pages/s ≥ 10× unfurl.js: ${fmt(ours.pagesPerSecAll / unfurlJs.pagesPerSecAll, 1)}× on all pages, ${fmt(ours.pagesPerSecSmall / unfurlJs.pagesPerSecSmall, 1)}× under 500 KB`);
console.log(`  accuracy ≥ best library on every field: ${behind.length === 0 ? "yes" : `no, behind on ${behind.join(", ")}`}`);
console.log(`  bytes read on 0.5–2 MB pages ≤ 5%: ${fmt(100 * bigRead, 1)}% over all of them (client sockets, both concurrencies); ${under5.length} of ${perPage.length} pages at ≤ 5% (${under5.join(", ")})`);
console.log(`  peak RSS over baseline: extract +${fmt(ours.peakRssMb - baseline.peakRssMb)} MB`);
