/**
 * Durability: the real server process (`src/server.ts`) takes a webhook and starts pushing; Notion
 * (a proxy in front of the fake) holds the PATCHes; the process is killed with SIGKILL while its
 * jobs are leased. A worker started afterwards on the same database takes the jobs over once
 * their lease has expired (its clock is set past it), and each preview is pushed exactly once.
 */
import type { ChildProcess } from "node:child_process";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, expect, it } from "vitest";
import { createServices } from "../src/services.js";
import { startUpdates, type Updates } from "../src/updates/index.js";
import { manualClock, startHarness, type Harness } from "./helpers/harness.js";
import { deliver, previewedByTwo, pullRequestPayload, startServerProcess, WEBHOOK_SECRET } from "./updates.helpers.js";

const LEASE_MS = 60_000; // the worker's default lease

let h: Harness | undefined;
let child: ChildProcess | undefined;
let updates: Updates | undefined;
let proxy: HoldingNotion | undefined;

afterEach(async () => {
  child?.kill("SIGKILL");
  await updates?.stop();
  await proxy?.close();
  await h?.close();
});

interface HoldingNotion {
  url: string;
  /** Bearer tokens of the PATCHes received (and never answered). */
  held: string[];
  waitForHeld(count: number): Promise<void>;
  close(): Promise<void>;
}

/** A Notion that accepts PATCH connections and never answers them: the push is in flight. */
async function startHoldingNotion(): Promise<HoldingNotion> {
  const held: string[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== "PATCH") return void res.writeHead(404).end();
    held.push((req.headers.authorization ?? "").replace(/^Bearer /, ""));
    for (const wake of waiters) wake();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held,
    waitForHeld: (count) =>
      new Promise((resolve) => {
        const check = () => {
          if (held.length < count) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

it("loses nothing when the process is killed mid-push: after a restart each PATCH happens exactly once", { timeout: 60_000 }, async () => {
  h = await startHarness({ GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET });
  const world = await previewedByTwo(h);
  h.github.updatePullRequest("acme", "widgets", 1, { state: "MERGED" });
  proxy = await startHoldingNotion();
  const server = await startServerProcess(h, { NOTION_API_URL: proxy.url, REFRESH_DEBOUNCE: "1" });
  child = server.process;

  const ack = await deliver(server.url, { event: "pull_request", payload: pullRequestPayload("acme", "widgets", 1, "closed") });
  expect(ack.status).toBe(202);
  await proxy.waitForHeld(2);
  expect(await h.store.jobs.counts()).toEqual({ pending: 0, leased: 2, dead: 0 });

  const exited = new Promise((resolve) => child?.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
  expect(h.notion.patches).toHaveLength(0);

  // "Restart": a new worker on the same database, at a time past the dead worker's leases.
  const clock = manualClock(Date.now() + LEASE_MS + 1_000);
  const deps = { config: h.config, store: h.store, clock, fetch: h.fetch, logger: h.logger };
  updates = startUpdates({ ...deps, services: createServices(deps) }, { pollMs: 20 });
  await updates.worker.idle();
  clock.advance(LEASE_MS);
  await updates.worker.idle();

  expect(h.notion.patches.map((p) => [p.token, p.status]).sort()).toEqual(
    [
      [world.octocat.notionToken, 200],
      [world.hubot.notionToken, 200],
    ].sort(),
  );
  expect(h.notion.patches.every((p) => JSON.stringify(p.body).includes('"Merged"'))).toBe(true);
  expect(await h.store.jobs.counts()).toEqual({ pending: 0, leased: 0, dead: 0 });
});
