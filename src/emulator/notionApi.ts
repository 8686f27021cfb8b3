import express, { type NextFunction, type Request, type Response, type Router } from "express";
import type { Clock } from "../clock.js";
import { bearerToken } from "../http/bearer.js";
import { inspectEnvelope, isValid } from "./envelope.js";
import { NotionApiError, sendNotionError } from "./notionErrors.js";
import type { NotionIssuer } from "./notionIssuer.js";
import type { PushLog } from "./pushes.js";

export interface NotionApiDeps {
  issuer: NotionIssuer;
  pushes: PushLog;
  clock: Clock;
  log: (line: string) => void;
}

/**
 * The two calls of Notion's API our server makes, mounted under `/v1` (so `NOTION_API_URL` is the
 * emulator's base URL): the code exchange and the push of an updated preview.
 */
export function notionApiRoutes({ issuer, pushes, clock, log }: NotionApiDeps): Router {
  const router = express.Router();
  router.use(express.json({ limit: "1mb" }));

  router.post("/oauth/token", (req, res) => {
    try {
      const answer = issuer.exchange(req.get("authorization"), req.body);
      const account = issuer.tokens.find((t) => t.accessToken === answer.access_token)?.externalAccount;
      log(`Notion API: code exchanged by the server (external account ${account?.name ?? "?"}, key ${account?.key ?? "?"})`);
      res.set("Cache-Control", "no-store").json(answer);
    } catch (err) {
      if (!(err instanceof NotionApiError)) throw err;
      log(
        `Notion API: code exchange refused, ${err.status} ${err.code}: ${err.message}` +
          (err.status === 401 ? " Does the server run with the NOTION_CLIENT_ID/NOTION_CLIENT_SECRET printed at start?" : ""),
      );
      sendNotionError(res, err);
    }
  });

  router.patch("/external/object", (req, res) => {
    const token = bearerToken(req);
    const notionVersion = req.get("notion-version") ?? null;
    const inspection = inspectEnvelope(req.body);
    // Notion's order: authentication, then headers, then the body.
    const refusal =
      token === null || !issuer.isLive(token)
        ? new NotionApiError(401, "unauthorized", "API token is invalid.")
        : !notionVersion
          ? new NotionApiError(400, "missing_version", "Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.")
          : !isValid(inspection)
            ? new NotionApiError(400, "validation_error", `body failed validation: ${inspection.problems.join("; ")}`)
            : null;
    const push = pushes.record({
      at: clock.now(),
      status: refusal?.status ?? 200,
      code: refusal?.code ?? null,
      notionVersion,
      body: req.body as unknown,
      inspection,
    });
    log(`Notion API: push #${push.id} for ${inspection.uri ?? "?"}: ${refusal ? `${refusal.status} ${refusal.code}` : "200 accepted"}`);
    if (refusal) return sendNotionError(res, refusal);
    res.json({});
  });

  router.use((_req: Request, res: Response) => sendNotionError(res, new NotionApiError(404, "invalid_request_url", "Invalid request URL.")));
  // express.json's errors (bad JSON, too large) carry a status; answer them as Notion would.
  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const status = typeof err === "object" && err !== null && "status" in err && typeof err.status === "number" ? err.status : 0;
    if (status === 400) return sendNotionError(res, new NotionApiError(400, "invalid_json", "Error parsing JSON body."));
    if (status === 413) return sendNotionError(res, new NotionApiError(413, "validation_error", "Request body too large."));
    next(err);
  });
  return router;
}
