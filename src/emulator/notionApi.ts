import express, { type NextFunction, type Request, type Response, type Router } from "express";
import type { Clock } from "../clock.js";
import { bearerToken } from "../http/bearer.js";
import { inspectEnvelope, isRecord, isValid } from "./envelope.js";
import { NotionApiError, invalidRequestUrl, sendNotionError } from "./notionErrors.js";
import type { NotionIssuer } from "./notionIssuer.js";
import type { PushLog } from "./pushes.js";

/** An answer put in Notion's mouth for one push, e.g. a 429 with `Retry-After` or a 503. */
export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface NotionApiDeps {
  issuer: NotionIssuer;
  pushes: PushLog;
  clock: Clock;
  log: (line: string) => void;
  /**
   * Asked once for each push that passed authentication and headers: an answer replaces Notion's
   * verdict on the body, undefined lets Notion judge it. Tests script Notion's refusals with it;
   * the emulator's CLI passes none.
   */
  scriptedPush?: () => ScriptedAnswer | undefined;
}

/**
 * The two calls of Notion's API our server makes, mounted under `/v1` (so `NOTION_API_URL` is the
 * emulator's base URL): the code exchange and the push of an updated preview.
 */
export function notionApiRoutes({ issuer, pushes, clock, log, scriptedPush }: NotionApiDeps): Router {
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
    const unauthorized =
      token === null || !issuer.isLive(token)
        ? new NotionApiError(401, "unauthorized", "API token is invalid.")
        : !notionVersion
          ? new NotionApiError(400, "missing_version", "Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.")
          : null;
    const scripted = unauthorized ? undefined : scriptedPush?.();
    const refusal =
      unauthorized ??
      (scripted || isValid(inspection) ? null : new NotionApiError(400, "validation_error", `body failed validation: ${inspection.problems.join("; ")}`));
    const push = pushes.record({
      at: clock.now(),
      token,
      status: scripted?.status ?? refusal?.status ?? 200,
      code: scripted ? scriptedCode(scripted) : (refusal?.code ?? null),
      notionVersion,
      body: req.body as unknown,
      inspection,
    });
    const verdict = push.status === 200 ? "200 accepted" : `${push.status} ${push.code ?? ""}`;
    log(`Notion API: push #${push.id} for ${inspection.uri ?? "?"}: ${verdict}${scripted ? " (scripted)" : ""}`);
    if (scripted) return void res.status(scripted.status).set(scripted.headers ?? {}).json(scripted.body ?? {});
    if (refusal) return sendNotionError(res, refusal);
    res.json({});
  });

  router.use(invalidRequestUrl);
  // express.json's errors (bad JSON, too large) carry a status; answer them as Notion would.
  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const status = typeof err === "object" && err !== null && "status" in err && typeof err.status === "number" ? err.status : 0;
    if (status === 400) return sendNotionError(res, new NotionApiError(400, "invalid_json", "Error parsing JSON body."));
    if (status === 413) return sendNotionError(res, new NotionApiError(413, "validation_error", "Request body too large."));
    next(err);
  });
  return router;
}

/** The `code` of a scripted answer in Notion's error shape, for the push log. */
function scriptedCode({ body }: ScriptedAnswer): string | null {
  return isRecord(body) && typeof body["code"] === "string" ? body["code"] : null;
}
