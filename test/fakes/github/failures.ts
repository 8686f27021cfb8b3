import type { NextFunction, Request, Response } from "express";
import { unicornPage } from "./pages.js";
import { setRateHeaders } from "./rateLimit.js";

/**
 * Scripted bad days, for every route at once: `down` (GitHub's 502 unicorn page), `slow` (each
 * answer waits `delayMs`; the wait ends early if the client gives up), `rate_limited` (the APIs
 * answer as GitHub does when the primary rate limit is used up; the web host is unaffected) and
 * `secondary_limited` (GitHub's secondary limit: 403 with `retry-after`).
 */

export type FailureMode = null | "down" | "slow" | "rate_limited" | "secondary_limited";

export interface FailureOptions {
  /** For `slow`; default 5 s. */
  delayMs?: number;
}

export function createFailures() {
  let mode: FailureMode = null;
  let delayMs = 5_000;

  function middleware(req: Request, res: Response, next: NextFunction): void {
    if (mode === "down") return unicornPage(res);
    if (mode === "slow") {
      const timer = setTimeout(next, delayMs);
      res.once("close", () => clearTimeout(timer));
      return;
    }
    if (mode === "rate_limited" && req.path.startsWith("/api/")) return rateLimited(req, res);
    if (mode === "secondary_limited" && req.path.startsWith("/api/")) return secondaryLimited(res);
    next();
  }

  return {
    set(next: FailureMode, opts: FailureOptions = {}): void {
      mode = next;
      delayMs = opts.delayMs ?? 5_000;
    },
    middleware,
  };
}

function rateLimited(req: Request, res: Response): void {
  const graphql = req.path === "/api/graphql";
  setRateHeaders(res, graphql ? "graphql" : "core", 0, 5000, Math.floor(Date.now() / 1000) + 1800);
  const message = "API rate limit exceeded for user.";
  // GraphQL reports it as a typed error in a 200; REST as a 403 with remaining = 0
  if (graphql) res.json({ errors: [{ type: "RATE_LIMITED", message }] });
  else res.status(403).json({ message, documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api" });
}

function secondaryLimited(res: Response): void {
  res.status(403).set({ "retry-after": "60" }).json({
    message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
    documentation_url: "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
  });
}
