import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { systemClock, type Clock } from "../clock.js";
import type { Fetch } from "../http/outbound.js";
import { randomToken } from "../secrets/tokens.js";
import { createEmulatorApp } from "./app.js";
import { createLab, type Lab } from "./lab.js";
import { createNotionIssuer, type NotionIssuer } from "./notionIssuer.js";
import { createPushLog, type PushLog } from "./pushes.js";
import { createServerClient, serverTarget } from "./serverClient.js";

/**
 * `link-preview emulate`: a local stand-in for Notion, both its API (what our server calls) and
 * its client (the Link Preview Lab, what a user does in Notion), driving a running server.
 */

export interface EmulatorOptions {
  /** 0 picks a free port. */
  port: number;
  /** Loopback by default: the emulator accepts any code exchange and must not be reachable from outside. */
  host?: string;
  /** The name in the emulator's URLs (`NOTION_API_URL`, the callback); default `localhost`. */
  hostname?: string;
  /** The server to drive: its base URL and the OAuth client credentials it issued to Notion. */
  server: { url: string; clientId: string; clientSecret: string };
  /** The credentials of the emulated public Notion integration (the server's `NOTION_CLIENT_ID` / `_SECRET`). */
  notion: { clientId: string; clientSecret: string };
  fetch: Fetch;
  /** Other origins the browser passes through on its way to the consent page (the upstream login). */
  loginOrigins?: readonly string[];
  clock?: Clock;
  log?: (line: string) => void;
}

export interface Emulator {
  /** `NOTION_API_URL` for the server, and the Lab's address. */
  url: string;
  /** The `redirect_uri` of every authorization; the server must allow it in `OAUTH_REDIRECT_URIS`. */
  callbackUrl: string;
  issuer: NotionIssuer;
  pushes: PushLog;
  lab: Lab;
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

export async function startEmulator(opts: EmulatorOptions): Promise<Emulator> {
  const host = opts.host ?? "127.0.0.1";
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? (() => {});
  const server = createServer();
  // A client has 10 s to send its headers; the Lab's /events responses may then stream for hours.
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${opts.hostname ?? "localhost"}:${port}`;
  const callbackUrl = `${url}/callback`;

  const issuer = createNotionIssuer({ clientId: opts.notion.clientId, clientSecret: opts.notion.clientSecret, clock });
  const pushes = createPushLog();
  const client = createServerClient(serverTarget(opts.server.url, opts.server.clientId, opts.server.clientSecret), opts.fetch);
  const lab = createLab({ server: client, issuer, pushes, clock, callbackUrl, log });
  const app = createEmulatorApp({
    issuer,
    pushes,
    clock,
    log,
    lab,
    csrfToken: randomToken(),
    serverUrl: opts.server.url,
    formActionOrigins: [...new Set([new URL(opts.server.url).origin, ...(opts.loginOrigins ?? [])])],
    allowedHosts: LOOPBACK.has(host) ? [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`] : [],
  });
  server.on("request", app);

  return {
    url,
    callbackUrl,
    issuer,
    pushes,
    lab,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // The Lab's live /events streams never end on their own.
        server.closeAllConnections();
      }),
  };
}
