import { randomBytes } from "node:crypto";
import express, { type Request, type Response, type Router } from "express";
import { param } from "../http/duplicateParams.js";
import { HTML_PAGE_HEADERS } from "../http/html.js";
import { constantTimeEqual } from "../secrets/tokens.js";
import type { Lab } from "./lab.js";
import type { PushLog } from "./pushes.js";
import { LAB_JS } from "./render/assets.js";
import { html } from "./render/html.js";
import { labCsp, renderLabPage } from "./render/page.js";
import { renderPushes } from "./render/pushes.js";

export interface LabRouteDeps {
  lab: Lab;
  pushes: PushLog;
  /** One per emulator process: the Lab's forms carry it, so another site cannot post to them. */
  csrfToken: string;
  serverUrl: string;
  workspaceName: string;
  /** Origins the browser passes through from "Preview" to the consent page (server, upstream login). */
  formActionOrigins: readonly string[];
}

/** The Link Preview Lab: one page, a form per action (POST, then 303 back to the page). */
export function labRoutes(deps: LabRouteDeps): Router {
  const { lab, pushes, csrfToken } = deps;
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: "16kb", parameterLimit: 10 }));

  router.get("/", (_req, res) => {
    const nonce = randomBytes(16).toString("base64");
    const page = renderLabPage(
      { view: lab.view(), pushes: pushes.list(), csrfToken, serverUrl: deps.serverUrl, workspaceName: deps.workspaceName },
      nonce,
    );
    res.status(200).set(HTML_PAGE_HEADERS).set("Content-Security-Policy", labCsp(nonce, deps.formActionOrigins)).send(page);
  });

  const action = (run: (req: Request) => Promise<string | null>) => async (req: Request, res: Response) => {
    const sent = param(req.body, "csrf_token");
    if (!sent || !constantTimeEqual(sent, csrfToken)) {
      res.status(403).set(HTML_PAGE_HEADERS).send(html`<!doctype html><title>Refused</title><p>This form was not sent from the Lab's page. <a href="/">Back to the Lab</a></p>`.value);
      return;
    }
    res.redirect(303, (await run(req)) ?? "/");
  };
  router.post("/preview", action((req) => lab.paste((param(req.body, "uri") ?? "").trim())));
  router.post(
    "/delete",
    action(async (req) => {
      await lab.deletePreview(param(req.body, "uri") ?? "");
      return null;
    }),
  );
  router.post(
    "/disconnect",
    action(async () => {
      await lab.disconnect();
      return null;
    }),
  );

  // Where the server's consent sends the browser back; `state` protects it, not the CSRF field.
  router.get("/callback", async (req, res) => {
    await lab.callback({
      code: param(req.query, "code"),
      state: param(req.query, "state"),
      error: param(req.query, "error"),
      errorDescription: param(req.query, "error_description"),
    });
    res.set("Cache-Control", "no-store").redirect(303, "/");
  });

  router.get("/pushes", (_req, res) => {
    res.set(HTML_PAGE_HEADERS).send(renderPushes(pushes.list(), lab.view().result?.updatedByPush ?? null).value);
  });

  router.get("/events", (req, res) => {
    res.status(200).set({ "Content-Type": "text/event-stream", "Cache-Control": "no-store", Connection: "keep-alive" });
    res.flushHeaders();
    res.write(": pushes\n\n");
    const unsubscribe = pushes.subscribe((push) => void res.write(`event: push\ndata: ${push.id}\n\n`));
    req.on("close", unsubscribe);
  });

  router.get("/lab.js", (_req, res) => {
    res.set({ "Content-Type": "text/javascript; charset=utf-8", "X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache" }).send(LAB_JS);
  });
  return router;
}
