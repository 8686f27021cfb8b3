/**
 * The servers `bench/unfurl.ts` loads, in a process of their own so that the load generator does
 * not share their event loop (`tsx bench/unfurlTarget.ts`).
 *
 * - real: `createApp` through the test harness (SQLite file in a temp dir, logger silent), the fake
 *   GitHub holding one private pull request, and a user connected through the real OAuth dance;
 *   one warm-up unfurl fills the per-account cache.
 * - bare: Express 5 with `express.json()` and one `POST /notion/unfurl` handler that answers the
 *   exact envelope the real server answered to the warm-up unfurl.
 *
 * Protocol, one JSON line per message on stdout:
 * - once ready: `{"type":"ready","real":url,"bare":url,"bearer":token,"uri":prUrl,"dataDir":dir}`;
 * - on a stdin line `report`: `{"type":"rss","peak":bytes,"now":bytes}`, where `peak` is the
 *   largest `process.memoryUsage.rss()` sampled each 100 ms since the previous report;
 * - stdin closed, SIGTERM or SIGINT: everything closes, the temp dir goes, the process exits.
 */
import express from "express";
import path from "node:path";
import { createInterface } from "node:readline";
import { listen, type Listening } from "../test/fakes/http.js";
import { startHarness, type Harness } from "../test/helpers/harness.js";
import { connect, unfurl } from "../test/helpers/notionDance.js";
import { envelopeProblem } from "./envelope.js";

const RSS_SAMPLE_MS = 100;

let harness: Harness | undefined;
let bare: Listening | undefined;
let closing = false;

let peak = process.memoryUsage.rss();
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, RSS_SAMPLE_MS);

const send = (message: Record<string, unknown>) => void process.stdout.write(`${JSON.stringify(message)}\n`);

function shutdown(code: number): void {
  if (closing) return;
  closing = true;
  clearInterval(sampler);
  void Promise.allSettled([bare?.close(), harness?.close()]).then(() => process.exit(code));
}

async function start(): Promise<void> {
  const h = await startHarness({ UNFURL_CACHE_TTL: "1h" });
  harness = h;
  h.github.addUser({ id: 1001, login: "octocat", name: "The Octocat" });
  h.github.addRepository({ owner: "acme", name: "widgets", private: true, collaborators: ["octocat"] });
  const pr = h.github.addPullRequest("acme", "widgets", { title: "Add flying widgets", author: "octocat" });
  const uri = `${h.github.webUrl}/acme/widgets/pull/${pr.number}`;
  const { access_token: bearer } = await connect(h, "octocat");

  // The warm-up unfurl goes to the fake GitHub and fills the cache; the bench measures the hits.
  const warmUp = await unfurl(h, bearer, { uri });
  const problem = warmUp.status === 200 ? envelopeProblem(warmUp.body, uri) : `status ${warmUp.status}`;
  if (problem) throw new Error(`the warm-up unfurl failed: ${problem}\n${JSON.stringify(warmUp.body)}`);
  const envelope = warmUp.body;

  const app = express();
  app.disable("x-powered-by");
  app.use(express.json());
  app.post("/notion/unfurl", (_req, res) => void res.set("Cache-Control", "no-store").json(envelope));
  bare = await listen(app);

  send({ type: "ready", real: h.url, bare: bare.url, bearer, uri, dataDir: path.dirname(h.dbPath) });
}

const commands = createInterface({ input: process.stdin });
commands.on("line", (line) => {
  if (line.trim() !== "report") return;
  const now = process.memoryUsage.rss();
  send({ type: "rss", peak: Math.max(peak, now), now });
  peak = now;
});
commands.on("close", () => shutdown(0));
process.on("SIGTERM", () => shutdown(0));
process.on("SIGINT", () => shutdown(0));

start().catch((err: unknown) => {
  console.error("unfurlTarget:", err);
  shutdown(1);
});
