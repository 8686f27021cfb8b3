import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createApp } from "../../src/app.js";
import type { Clock } from "../../src/clock.js";
import { parseConfig, type Config, type Env } from "../../src/config.js";
import { createOutboundFetch, type Fetch } from "../../src/http/outbound.js";
import { createLogger, type Logger } from "../../src/logger.js";
import { createServices, type Services } from "../../src/services.js";
import { openSqliteStore } from "../../src/store/sqlite/store.js";
import type { Store } from "../../src/store/types.js";
import { startFakeGitHub, type FakeGitHub } from "../fakes/github.js";
import { startFakeNotion, type FakeNotion } from "../fakes/notion.js";

export const CLIENT_ID = "notion-connector";
export const CLIENT_SECRET = "our-client-secret-for-notion-0123456789abcdef";
export const REDIRECT_URI = "https://www.notion.so/externalintegrationauthcallback";
const NOTION_CLIENT = { clientId: "notion-public-integration", clientSecret: "notion-public-secret" };

/** A clock tests can move forward by hand. */
export function manualClock(start = Date.now()): Clock & { advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

export interface Harness {
  url: string;
  config: Config;
  store: Store;
  clock: ReturnType<typeof manualClock>;
  github: FakeGitHub;
  notion: FakeNotion;
  dbPath: string;
  /** What the app was built with, for background workers that share its services. */
  services: Services;
  fetch: Fetch;
  logger: Logger;
  close(): Promise<void>;
}

/**
 * The server on a real port, wired to a fake GitHub and a fake Notion over real HTTP, with a
 * SQLite file of its own and a hand-moved clock.
 */
export async function startHarness(env: Env | ((serverUrl: string) => Promise<Env>) = {}): Promise<Harness> {
  const github = await startFakeGitHub();
  const notion = await startFakeNotion(NOTION_CLIENT);
  const dir = mkdtempSync(path.join(tmpdir(), "lp-harness-"));
  const dbPath = path.join(dir, "unfurl.db");
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = parseConfig({
    NODE_ENV: "test",
    PUBLIC_URL: url,
    SECRET_KEYS: Buffer.alloc(32, 42).toString("base64url"),
    OAUTH_CLIENT_ID: CLIENT_ID,
    OAUTH_CLIENT_SECRET: CLIENT_SECRET,
    NOTION_CLIENT_ID: NOTION_CLIENT.clientId,
    NOTION_CLIENT_SECRET: NOTION_CLIENT.clientSecret,
    NOTION_API_URL: notion.url,
    GITHUB_CLIENT_ID: github.clientId,
    GITHUB_CLIENT_SECRET: github.clientSecret,
    GITHUB_URL: github.webUrl,
    GITHUB_API_URL: github.apiUrl,
    GITHUB_GRAPHQL_URL: github.graphqlUrl,
    DEVELOPER_NAME: "Acme Corp",
    DATABASE_URL: `sqlite:${dbPath}`,
    // A function sees the server's URL first (a party that must know it, like the Notion emulator).
    ...(typeof env === "function" ? await env(url) : env),
  });
  const store = openSqliteStore(dbPath);
  const clock = manualClock();
  const outbound = createOutboundFetch();
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? "silent");
  const deps = { config, store, clock, fetch: outbound.fetch, logger };
  const services = createServices(deps);
  server.on("request", createApp({ ...deps, services }));
  return {
    url,
    config,
    store,
    clock,
    github,
    notion,
    dbPath,
    services,
    fetch: outbound.fetch,
    logger,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await Promise.all([github.close(), notion.close(), outbound.close(), store.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
