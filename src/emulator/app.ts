import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from "express";
import type { Lab } from "./lab.js";
import { labRoutes } from "./labRoutes.js";
import { notionApiRoutes, type NotionApiDeps } from "./notionApi.js";
import { html } from "./render/html.js";

export interface EmulatorAppDeps extends NotionApiDeps {
  lab: Lab;
  csrfToken: string;
  serverUrl: string;
  formActionOrigins: readonly string[];
  /** `Host` values the emulator answers to; empty accepts any. */
  allowedHosts: readonly string[];
}

/** Notion's API under `/v1`, the Lab everywhere else. */
export function createEmulatorApp(deps: EmulatorAppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  if (deps.allowedHosts.length > 0) app.use(hostAllowList(deps.allowedHosts));
  app.use("/v1", notionApiRoutes(deps));
  app.use(
    labRoutes({
      lab: deps.lab,
      pushes: deps.pushes,
      csrfToken: deps.csrfToken,
      serverUrl: deps.serverUrl,
      workspaceName: deps.issuer.workspace.name,
      formActionOrigins: deps.formActionOrigins,
    }),
  );
  app.use((_req: Request, res: Response) => void res.status(404).type("text/plain").send("Not found"));
  // A dev tool on loopback: the operator sees the message (escaped), and the log has the stack.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    deps.log(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    res
      .status(500)
      .type("html")
      .send(html`<!doctype html><title>Emulator error</title><h1>Emulator error</h1><p>${err instanceof Error ? err.message : String(err)}</p><p><a href="/">Back to the Lab</a></p>`.value);
  });
  return app;
}

/**
 * Listening on loopback keeps other machines out, but a web page can still reach it through DNS
 * rebinding (its own name resolving to 127.0.0.1): refusing foreign `Host` headers closes that.
 */
function hostAllowList(allowed: readonly string[]): RequestHandler {
  const hosts = new Set(allowed.map((h) => h.toLowerCase()));
  return (req, res, next) => {
    if (hosts.has((req.headers.host ?? "").toLowerCase())) return next();
    res.status(421).type("text/plain").send("Misdirected request: the emulator answers to localhost only.");
  };
}
