import { createServer, type IncomingHttpHeaders, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import type { NextFunction, Request, Response } from "express";

/** What every fake shares: listening on a random loopback port, and a log of what it was sent. */

export interface Listening {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  /** Stops listening and drops open connections (a "slow" fake must not hold the test run). */
  close(): Promise<void>;
}

export async function listen(handler: RequestListener): Promise<Listening> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** Parsed JSON or form body; `undefined` when there was none. */
  body: unknown;
}

/** Express middleware (after the body parsers) that appends every request to `log`. */
export function recordRequests(log: RecordedRequest[]) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const url = new URL(req.originalUrl, "http://fake.invalid");
    log.push({
      method: req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: flattenHeaders(req.headers),
      body: req.body as unknown,
    });
    next();
  };
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/** The token of `Authorization: Bearer …` (or GitHub's older `token …`), if any. */
export function bearerToken(req: Request, schemes: readonly string[] = ["bearer"]): string | undefined {
  const match = /^(\S+)\s+(\S+)$/.exec(req.get("authorization") ?? "");
  if (!match?.[1] || !match[2]) return undefined;
  return schemes.includes(match[1].toLowerCase()) ? match[2] : undefined;
}
