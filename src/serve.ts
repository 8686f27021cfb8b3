import { createServer } from "node:http";
import { createApp } from "./app.js";
import { systemClock } from "./clock.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { createOutboundFetch } from "./http/outbound.js";
import { createLogger } from "./logger.js";
import { createServices } from "./services.js";
import { openStore } from "./store/open.js";
import { startUpdates } from "./updates/index.js";

/** What an operator has not configured yet, and what that means for users. */
function integrationNotices(config: Config): string[] {
  const notices: string[] = [];
  if (!config.notion.clientId) notices.push("NOTION_CLIENT_ID/NOTION_CLIENT_SECRET are not set: connecting from Notion fails until they are.");
  if (!config.github.clientId) notices.push("GITHUB_CLIENT_ID/GITHUB_CLIENT_SECRET are not set: connecting from Notion fails until they are.");
  if (!config.github.webhookSecret) {
    notices.push("GITHUB_WEBHOOK_SECRET is not set: /webhooks/github answers 503 and previews refresh only when Notion revisits them.");
  }
  return notices;
}

/** Process entry: config → real dependencies → listen; graceful shutdown on SIGTERM/SIGINT. */
export async function serve(): Promise<void> {
  let loaded;
  try {
    loaded = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const { config, warnings } = loaded;
  const logger = createLogger(config.logLevel);
  if (warnings.length > 0) {
    const bar = "!".repeat(78);
    console.warn(`\n${bar}\n!! DEVELOPMENT DEFAULTS: not for production use\n${warnings.map((w) => `!! ${w}`).join("\n")}\n${bar}\n`);
  }

  for (const notice of integrationNotices(config)) logger.warn(notice);

  const store = await openStore(config.databaseUrl);
  const outbound = createOutboundFetch();
  const deps = { config, store, clock: systemClock, fetch: outbound.fetch, logger };
  const services = createServices(deps);
  const app = createApp({ ...deps, services });
  const updates = startUpdates({ ...deps, services });
  const server = createServer(app);
  // Slow-loris guard: a client has 10 s to send its headers, 30 s for the whole request.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 65_000;

  const purge = setInterval(() => {
    store.purgeExpired(systemClock.now()).catch((err: unknown) => logger.error({ err }, "purge failed"));
  }, 10 * 60_000);
  purge.unref();

  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    logger.info({ port, host: config.host, publicUrl: config.publicUrl }, "listening");
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    clearInterval(purge);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close(() => {
      // Jobs still running finish first; any cut short by the force exit are re-run after their lease.
      void updates
        .stop()
        .catch((err: unknown) => logger.error({ err }, "stopping the update worker failed"))
        .then(() => Promise.allSettled([store.close(), outbound.close()]))
        .then(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}
