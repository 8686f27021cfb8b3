import { parseArgs } from "node:util";
import { loadConfig, type Config } from "../config.js";
import { createOutboundFetch, type Fetch } from "../http/outbound.js";
import { randomToken } from "../secrets/tokens.js";
import { startEmulator } from "./index.js";

/** `link-preview emulate`: flags and config → a running emulator, and the server's environment, printed loudly. */

export const EMULATE_USAGE = `Usage: link-preview emulate [options]

Plays Notion against a running server: Notion's API (point the server's NOTION_API_URL at it)
and a "Link Preview Lab" page where you paste links as in Notion. Listens on 127.0.0.1 only.

Options:
  --port <n>                    port of the emulator (default 4000)
  --server <url>                the server to drive (default PUBLIC_URL, i.e. http://localhost:3000)
  --notion-client-id <id>       the emulated Notion integration's credentials, which the server
  --notion-client-secret <s>      must use as NOTION_CLIENT_ID/SECRET (default: from the config when
                                  NOTION_API_URL already points at localhost, else generated)
  --oauth-client-id <id>        the credentials the server issued to Notion
  --oauth-client-secret <s>       (default: OAUTH_CLIENT_ID/SECRET of the config, as the server reads it)`;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export interface EmulateSettings {
  port: number;
  serverUrl: string;
  server: { clientId: string; clientSecret: string };
  notion: { clientId: string; clientSecret: string; source: "flags" | "config" | "generated" };
}

/** Pure apart from `generate`: flags win, then the server's own config, then fresh credentials. */
export function emulateSettings(argv: string[], config: Config, generate = generatedNotionClient): EmulateSettings {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        server: { type: "string" },
        "notion-client-id": { type: "string" },
        "notion-client-secret": { type: "string" },
        "oauth-client-id": { type: "string" },
        "oauth-client-secret": { type: "string" },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const port = values.port ?? "4000";
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) throw new UsageError(`--port must be a port number; got ${port}`);
  const serverUrl = (values.server ?? config.publicUrl).replace(/\/+$/, "");
  if (!/^https?:\/\//.test(serverUrl) || !URL.canParse(serverUrl)) throw new UsageError(`--server must be an http(s) URL; got ${serverUrl}`);

  const pair = (idFlag: string, secretFlag: string, id?: string, secret?: string) => {
    if (Boolean(id) !== Boolean(secret)) throw new UsageError(`--${idFlag} and --${secretFlag} go together`);
    return id && secret ? { clientId: id, clientSecret: secret } : null;
  };
  const notionFlags = pair("notion-client-id", "notion-client-secret", values["notion-client-id"], values["notion-client-secret"]);
  const serverFlags = pair("oauth-client-id", "oauth-client-secret", values["oauth-client-id"], values["oauth-client-secret"]);
  // Reusing the configured ones keeps emulator restarts from invalidating the server's environment,
  // but only when that config already targets a local emulator (never a real integration's secret).
  const fromConfig =
    isLoopback(config.notion.apiUrl) && config.notion.clientId && config.notion.clientSecret
      ? { clientId: config.notion.clientId, clientSecret: config.notion.clientSecret }
      : null;
  return {
    port: Number(port),
    serverUrl,
    server: serverFlags ?? { clientId: config.oauth.clientId, clientSecret: config.oauth.clientSecret },
    notion: notionFlags
      ? { ...notionFlags, source: "flags" }
      : fromConfig
        ? { ...fromConfig, source: "config" }
        : { ...generate(), source: "generated" },
  };
}

export function generatedNotionClient(): { clientId: string; clientSecret: string } {
  return { clientId: `emulated-notion-${randomToken(6)}`, clientSecret: randomToken(32) };
}

/**
 * The environment the server needs to talk to the emulator, in order. Notion's real callback URIs
 * stay allowed: the same server keeps working with Notion itself.
 */
export function serverEnvironment(emulatorUrl: string, callbackUrl: string, notion: { clientId: string; clientSecret: string }, config: Config): [string, string][] {
  const redirectUris = [...config.oauth.redirectUris];
  if (!redirectUris.includes(callbackUrl)) redirectUris.push(callbackUrl);
  return [
    ["NOTION_API_URL", emulatorUrl],
    ["NOTION_CLIENT_ID", notion.clientId],
    ["NOTION_CLIENT_SECRET", notion.clientSecret],
    ["OAUTH_REDIRECT_URIS", redirectUris.join(",")],
  ];
}

/** Which of those the config the server would load today does not hold yet. */
export function missingFromConfig(env: readonly [string, string][], config: Config): string[] {
  const current: Record<string, string | undefined> = {
    NOTION_API_URL: config.notion.apiUrl,
    NOTION_CLIENT_ID: config.notion.clientId,
    NOTION_CLIENT_SECRET: config.notion.clientSecret,
  };
  return env
    .filter(([name, value]) =>
      name === "OAUTH_REDIRECT_URIS" ? !value.split(",").every((u) => config.oauth.redirectUris.includes(u)) : current[name] !== value,
    )
    .map(([name]) => name);
}

export function formatBanner(p: {
  emulatorUrl: string;
  serverUrl: string;
  env: readonly [string, string][];
  missing: readonly string[];
  notionSource: EmulateSettings["notion"]["source"];
  serverStatus: string;
}): string {
  const bar = "=".repeat(78);
  const lines = [
    "",
    bar,
    `== Notion emulator listening on ${p.emulatorUrl} (127.0.0.1 only)`,
    `== Server to drive: ${p.serverUrl} (${p.serverStatus})`,
    "==",
    "== RUN THE SERVER WITH EXACTLY THIS ENVIRONMENT (e.g. in .env), then restart it:",
    bar,
    "",
    ...p.env.map(([k, v]) => `${k}=${v}`),
    "",
    bar,
  ];
  if (p.notionSource === "generated") {
    lines.push("== The Notion client id/secret above were generated for this run; keep them across restarts by", "== putting them in .env (the emulator then reuses them) or passing --notion-client-id/--notion-client-secret.");
  }
  lines.push(
    p.missing.length === 0
      ? "== This shell's environment and .env already hold these values: (re)start the server if it runs."
      : `== Not yet in this shell's environment or .env: ${p.missing.join(", ")}.`,
    `== One line:  ${p.env.map(([k, v]) => `${k}=${shellQuote(v)}`).join(" ")} npm start`,
    `== Then open ${p.emulatorUrl} and paste a link. Ctrl-C stops the emulator.`,
    bar,
    "",
  );
  return lines.join("\n");
}

const shellQuote = (v: string): string => (/^[\w@%+=:,./-]*$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`);

const isLoopback = (url: string): boolean => ["localhost", "127.0.0.1", "[::1]"].includes(new URL(url).hostname);

/** Where the command writes: the CLI passes the console, so this module never reaches for it. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/** The command: starts the emulator and keeps it running until SIGINT/SIGTERM; -1 while it runs. */
export async function runEmulate(argv: string[], io: Output): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.out(EMULATE_USAGE);
    return 0;
  }
  const { config, warnings } = loadConfig();
  for (const w of warnings) io.err(`note: ${w}`);
  let settings;
  try {
    settings = emulateSettings(argv, config);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`${err.message}\n\n${EMULATE_USAGE}`);
    return 2;
  }
  const outbound = createOutboundFetch();
  let emulator;
  try {
    emulator = await startEmulator({
      port: settings.port,
      server: { url: settings.serverUrl, ...settings.server },
      notion: settings.notion,
      fetch: outbound.fetch,
      loginOrigins: [new URL(config.github.webUrl).origin],
      log: (line) => io.out(`[emulator] ${line}`),
    });
  } catch (err) {
    await outbound.close();
    if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") {
      io.err(`Port ${settings.port} is in use: pick another one with --port.`);
      return 1;
    }
    throw err;
  }
  const env = serverEnvironment(emulator.url, emulator.callbackUrl, settings.notion, config);
  io.out(
    formatBanner({
      emulatorUrl: emulator.url,
      serverUrl: settings.serverUrl,
      env,
      missing: missingFromConfig(env, config),
      notionSource: settings.notion.source,
      serverStatus: await probe(`${settings.serverUrl}/healthz`, outbound.fetch),
    }),
  );
  const stop = () => {
    void Promise.allSettled([emulator.close(), outbound.close()]).then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return -1;
}

async function probe(url: string, fetch: Fetch): Promise<string> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return res.ok ? "reachable" : `answers ${res.status} on /healthz`;
  } catch {
    return "not reachable yet: start it with the environment below";
  }
}
