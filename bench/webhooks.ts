/**
 * `npm run bench:webhooks`: live updates under a webhook storm. 1 000 signed `pull_request` events
 * for 50 pull requests, each previewed by 3 grants, sent at a steady rate to the real server process
 * (`src/server.ts`: webhook route, SQLite queue, worker, default REFRESH_DEBOUNCE) while each event's
 * pull request really changes in the fake GitHub. Notion is a recorder that answers every PATCH 200.
 * Figures only, never asserted. Two layouts of the 3 grants per pull request:
 *
 * - distinct: 150 users, 3 per pull request (no grant is rate-limited by the per-grant throttle);
 * - shared: 3 users previewing all 50 (each grant's pushes are paced at 3/s, Notion's average).
 *
 * Printed per layout: PATCHes (coalescing: events → refreshes → pushes), webhook acknowledgement
 * latency (client-side round trip), and receipt → PATCH: from an event's send until every grant
 * tracking its pull request has received a PATCH that arrived after it.
 * `npm run bench:webhooks -- --rate=200` changes the event rate (events/s).
 */
import type { ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { startHarness, type Harness } from "../test/helpers/harness.js";
import { connect, unfurl } from "../test/helpers/notionDance.js";
import { deliver, pullRequestPayload, startServerProcess, WEBHOOK_SECRET } from "../test/updates.helpers.js";
import { seededRandom } from "../test/helpers/seededRandom.js";

const EVENTS = 1000;
const PULLS = 50;
const GRANTS_PER_PULL = 3;
const RATE = Number(/--rate=(\d+)/.exec(process.argv.join(" "))?.[1] ?? 100);
const DRAIN_TIMEOUT_MS = 60_000;

interface Layout {
  name: string;
  users: number;
  /** Indices of the users previewing pull request `n` (1-based). */
  trackers(n: number): number[];
}

const LAYOUTS: Layout[] = [
  { name: "distinct", users: PULLS * GRANTS_PER_PULL, trackers: (n) => [0, 1, 2].map((i) => (n - 1) * GRANTS_PER_PULL + i) },
  { name: "shared", users: GRANTS_PER_PULL, trackers: () => [0, 1, 2] },
];

interface Patch {
  at: number;
  token: string;
  uri: string;
}

/** Notion as a recorder: every PATCH is answered 200 and noted with its arrival time. */
async function startRecorder(): Promise<{ url: string; patches: Patch[]; close(): Promise<void> }> {
  const patches: Patch[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const at = performance.now();
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { uri: string };
      patches.push({ at, token: (req.headers.authorization ?? "").replace(/^Bearer /, ""), uri: body.uri });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    patches,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (v: number) => (Number.isNaN(v) ? "n/a" : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);
const sleep = (t: number) => new Promise((resolve) => setTimeout(resolve, t));

async function metric(url: string, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(pattern.exec(text)?.[1] ?? 0);
}

async function run(layout: Layout) {
  const setupStart = performance.now();
  const h: Harness = await startHarness({ GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET });
  const recorder = await startRecorder();
  let child: ChildProcess | undefined;
  try {
    h.github.addRepository({ owner: "acme", name: "widgets", private: false });
    const urls = Array.from({ length: PULLS }, (_, i) => {
      h.github.addPullRequest("acme", "widgets", { number: i + 1, title: `Pull request ${i + 1}` });
      return `${h.github.webUrl}/acme/widgets/pull/${i + 1}`;
    });
    const bearers: string[] = [];
    for (let u = 0; u < layout.users; u++) {
      h.github.addUser({ id: 10_000 + u, login: `user${u}` });
      bearers.push((await connect(h, `user${u}`)).access_token);
    }
    // Notion token of each user, to know whose PATCH arrived.
    const tokenOf = new Map(h.notion.tokens.map((t) => [Number(t.externalAccount.key) - 10_000, t.accessToken]));
    for (let n = 1; n <= PULLS; n++) {
      for (const u of layout.trackers(n)) {
        const res = await unfurl(h, bearers[u] ?? "", { uri: urls[n - 1] });
        if (res.status !== 200) throw new Error(`unfurl answered ${res.status}`);
      }
    }
    const server = await startServerProcess(h, { NOTION_API_URL: recorder.url });
    child = server.process;
    const setupMs = performance.now() - setupStart;

    // The storm: one event every 1/RATE s, each about a random pull request that just changed.
    const random = seededRandom(42);
    const events: { n: number; sentAt: number; ackMs: number; status: number }[] = [];
    const sends: Promise<void>[] = [];
    const stormStart = performance.now();
    for (let i = 0; i < EVENTS; i++) {
      const due = stormStart + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      const n = 1 + Math.floor(random() * PULLS);
      h.github.updatePullRequest("acme", "widgets", n, { title: `Pull request ${n}, edit ${i}` });
      const event = { n, sentAt: performance.now(), ackMs: NaN, status: 0 };
      events.push(event);
      sends.push(
        deliver(server.url, { event: "pull_request", payload: pullRequestPayload("acme", "widgets", n, "edited") }).then((r) => {
          event.ackMs = performance.now() - event.sentAt;
          event.status = r.status;
        }),
      );
    }
    await Promise.all(sends);
    const stormMs = performance.now() - stormStart;

    // Drained: nothing waiting or running, twice in a row.
    const drainStart = performance.now();
    for (let quiet = 0; quiet < 2 && performance.now() - drainStart < DRAIN_TIMEOUT_MS; ) {
      await sleep(250);
      const c = await h.store.jobs.counts();
      quiet = c.pending + c.leased === 0 ? quiet + 1 : 0;
    }
    const refreshes = await metric(server.url, /update_job_runs_total\{kind="refresh",outcome="done"\} (\d+)/);

    // receipt → PATCH: until every tracker of the event's pull request got a PATCH after it.
    const latencies: number[] = [];
    let lost = 0;
    for (const e of events) {
      const arrivals = layout.trackers(e.n).map(
        (u) => recorder.patches.find((p) => p.uri === urls[e.n - 1] && p.token === tokenOf.get(u) && p.at >= e.sentAt)?.at,
      );
      if (arrivals.some((a) => a === undefined)) lost++;
      else latencies.push(Math.max(...(arrivals as number[])) - e.sentAt);
    }
    latencies.sort((a, b) => a - b);
    const acks = events.map((e) => e.ackMs).sort((a, b) => a - b);
    return {
      layout: layout.name,
      grants: layout.users,
      setup: ms(setupMs),
      storm: ms(stormMs),
      accepted: events.filter((e) => e.status === 202).length,
      refreshes,
      patches: recorder.patches.length,
      "patches/event": (recorder.patches.length / EVENTS).toFixed(2),
      lost,
      "ack p50": ms(percentile(acks, 50)),
      "ack p99": ms(percentile(acks, 99)),
      "→PATCH p50": ms(percentile(latencies, 50)),
      "→PATCH p99": ms(percentile(latencies, 99)),
      "→PATCH max": ms(latencies.at(-1) ?? NaN),
    };
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    await recorder.close();
    await h.close();
  }
}

console.log(
  `${EVENTS} signed pull_request events at ${RATE}/s for ${PULLS} pull requests, ${GRANTS_PER_PULL} tracking grants each; ` +
    "debounce 2 s (REFRESH_DEBOUNCE default), 8 jobs at once, Notion answering 200.\n",
);
const rows = [];
for (const layout of LAYOUTS) rows.push(await run(layout));
console.table(rows);
