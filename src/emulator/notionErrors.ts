import { randomUUID } from "node:crypto";
import type { Request, Response } from "express";

/**
 * A refusal of the emulated Notion API, answered in Notion's error object shape
 * `{object:"error", status, code, message, request_id}` (what `@notionhq/client` parses).
 */
export class NotionApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "NotionApiError";
  }
}

export function sendNotionError(res: Response, err: NotionApiError): void {
  res
    .status(err.status)
    .set("Cache-Control", "no-store")
    .json({ object: "error", status: err.status, code: err.code, message: err.message, request_id: randomUUID() });
}

/** Notion's answer to a path or method it has no endpoint for. */
export function invalidRequestUrl(_req: Request, res: Response): void {
  sendNotionError(res, new NotionApiError(404, "invalid_request_url", "Invalid request URL."));
}
