import type { Request } from "express";
import { HttpError } from "./errors.js";

/** RFC 6750 §2.1: `Authorization: Bearer <token>`; anything else is treated as no token. */
export function bearerToken(req: Request): string | null {
  const m = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(req.headers.authorization ?? "");
  return m?.[1] ?? null;
}

/** RFC 6750 §3 challenge, so Notion knows to ask the user to reconnect. */
export function invalidToken(description = "The access token is missing, invalid, expired or revoked."): HttpError {
  return new HttpError(401, description, {
    "WWW-Authenticate": `Bearer realm="notion-unfurl", error="invalid_token", error_description="${description}"`,
  });
}
