import type { ErrorRequestHandler, Request, Response } from "express";
import type { Logger } from "../logger.js";
import { HttpError, OAuthError } from "./errors.js";
import { requestId } from "./requestLog.js";

interface BodyParserError {
  type?: string;
  status?: number;
  statusCode?: number;
}

/**
 * The one place errors become responses. Known errors carry their protocol; body-parser failures
 * become 4xx; anything else is logged with the request id and answered without details.
 * The token endpoint's errors are always OAuth JSON (RFC 6749 §5.2), even for a bad body.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    const oauth = req.path === "/notion/token";
    if (err instanceof OAuthError) return sendOAuth(res, err);
    const parserStatus = bodyParserStatus(err);
    if (parserStatus) {
      const message = parserStatus === 413 ? "Request body too large." : "Malformed request body.";
      if (oauth) return sendOAuth(res, new OAuthError("invalid_request", message));
      return res.status(parserStatus).json({ error: "invalid_request", message });
    }
    if (err instanceof HttpError) {
      return res
        .status(err.status)
        .set(err.headers)
        .json({ error: err.status === 401 ? "invalid_token" : "invalid_request", message: err.message });
    }
    logger.error({ err, reqId: requestId(res) }, "unhandled error");
    if (oauth) return sendOAuth(res, new OAuthError("server_error", "Internal error."));
    res.status(500).json({ error: "internal_error", message: "Internal server error.", request_id: requestId(res) });
  };
}

function sendOAuth(res: Response, err: OAuthError): void {
  res.status(err.status).set({ "Cache-Control": "no-store", Pragma: "no-cache" });
  if (err.code === "invalid_client") res.set("WWW-Authenticate", 'Basic realm="notion-token", charset="UTF-8"');
  res.json({ error: err.code, error_description: err.description });
}

function bodyParserStatus(err: unknown): number | null {
  const e = err as BodyParserError | null;
  if (!e || typeof e !== "object" || typeof e.type !== "string") return null;
  const status = e.status ?? e.statusCode;
  return typeof status === "number" && status >= 400 && status < 500 ? status : null;
}

/** JSON 404 for unknown routes (no Express HTML page). */
export function notFound(req: Request, res: Response): void {
  res.status(404).json({ error: "not_found", message: `No route for ${req.method} ${req.path}` });
}
