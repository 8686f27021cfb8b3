import express, { type Express, type NextFunction, type Request, type Response } from "express";
import { bearerToken } from "./http/bearer.js";
import { errorHandler, notFound } from "./http/errorHandler.js";
import { noStore } from "./http/noStore.js";
import { requestLog } from "./http/requestLog.js";
import type { Logger } from "./logger.js";
import type { Metrics } from "./metrics.js";
import { createNotionOAuth } from "./notion/oauthClient.js";
import { deleteUnfurl, deletedToken, postUnfurl } from "./notion/unfurlRoutes.js";
import { authorize } from "./oauth/authorize.js";
import { consent } from "./oauth/consent.js";
import { CONSENT_PATH, UPSTREAM_CALLBACK_PATH } from "./oauth/paths.js";
import type { OAuthContext } from "./oauth/context.js";
import { createAuthSessions } from "./oauth/session.js";
import { token } from "./oauth/token.js";
import { upstreamCallback } from "./oauth/upstreamCallback.js";
import { constantTimeEqual } from "./secrets/tokens.js";
import { createServices, type Deps, type Services } from "./services.js";
import type { Store } from "./store/types.js";
import { gitHubSite } from "./providers/github/urls.js";
import { githubWebhook } from "./updates/webhookRoute.js";

export interface AppDeps extends Deps {
  /** Built from the other deps when absent; pass them to share with background workers. */
  services?: Services;
}

const BODY_LIMIT = "64kb";

/** The Express app and its one route table. No globals: everything comes from `deps`. */
export function createApp(deps: AppDeps): Express {
  const { config, store, clock, logger } = deps;
  const { metrics, sealer, unfurls, upstreamLogin, updates } = deps.services ?? createServices(deps);
  const oauth: OAuthContext = {
    config,
    store,
    sealer,
    clock,
    logger,
    sessions: createAuthSessions(store, sealer, clock),
    upstream: upstreamLogin,
    notion:
      config.notion.clientId && config.notion.clientSecret
        ? createNotionOAuth({
            apiUrl: config.notion.apiUrl,
            clientId: config.notion.clientId,
            clientSecret: config.notion.clientSecret,
            fetch: deps.fetch,
          })
        : null,
    upstreamCallbackUrl: `${config.publicUrl}${UPSTREAM_CALLBACK_PATH}`,
    secureCookies: config.publicUrl.startsWith("https:"),
  };

  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  app.set("trust proxy", config.trustProxy);
  app.use(requestLog(logger));
  app.use(observeDuration(metrics));
  // Before the JSON parser: the signature covers the raw bytes (the route has its own parser and limit).
  app.post(
    "/webhooks/github",
    ...githubWebhook({
      secret: config.github.webhookSecret,
      host: gitHubSite(config.github.webUrl).host,
      jobs: store.jobs,
      clock,
      logger,
      debounceMs: config.updates.debounce * 1000,
      ...updates,
    }),
  );
  app.use(express.json({ limit: BODY_LIMIT }));
  // Form bodies only where the protocol sends them (token endpoint, consent form).
  const form = express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 50 });

  // The route table.
  app.get("/healthz", (_req, res) => void res.json({ status: "ok" }));
  app.get("/readyz", readiness(store, logger));
  app.get("/metrics", async (req, res) => {
    // Optional: process and traffic figures are nobody's business on a public port.
    const presented = bearerToken(req);
    if (config.metricsToken && !(presented && constantTimeEqual(presented, config.metricsToken))) {
      res.status(401).set("WWW-Authenticate", 'Bearer realm="metrics"').json({ error: "invalid_token", message: "METRICS_TOKEN required." });
      return;
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get("/notion/authorize", authorize(oauth));
  app.get(UPSTREAM_CALLBACK_PATH, upstreamCallback(oauth));
  app.post(CONSENT_PATH, form, consent(oauth));
  app.post("/notion/token", noStore, form, token(oauth));
  app.post("/notion/unfurl", postUnfurl(store, clock, unfurls));
  app.delete("/notion/unfurl", deleteUnfurl(store, unfurls));
  app.delete("/notion/deleted", deletedToken(store, clock));

  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}

function readiness(store: Store, logger: Logger) {
  return async (_req: Request, res: Response) => {
    try {
      await store.ping();
      res.json({ status: "ready" });
    } catch (err) {
      logger.error({ err }, "readiness check failed");
      res.status(503).json({ status: "unavailable", message: "store unreachable" });
    }
  };
}

/** Request duration by route pattern (not raw path, to keep label cardinality bounded). */
function observeDuration(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction) => {
    const end = metrics.requestDuration.startTimer();
    res.on("finish", () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? "unmatched";
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}
