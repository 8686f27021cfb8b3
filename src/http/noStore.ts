import type { RequestHandler } from "express";

/** Credentials and consent pages must never be cached (RFC 6749 §5.1). */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set("Cache-Control", "no-store");
  res.set("Pragma", "no-cache");
  next();
};
