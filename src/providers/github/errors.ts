import { UnfurlError, UpstreamAuthError } from "../../http/errors.js";

/**
 * GitHub's failures as our errors, with messages that tell the user what to do. No message ever
 * carries a token or GitHub's raw answer; GitHub's own `message` is only read to tell cases apart.
 */

export const MESSAGES = {
  notFound: "Not found, or your GitHub account cannot see it.",
  gone: "This was deleted on GitHub.",
  sso: "Your GitHub organization requires single sign-on: authorise SSO for this app on GitHub, then try again.",
  forbidden: "GitHub refused access to this for your account (the organization may restrict third-party apps).",
  suspended: "GitHub has suspended this account or app, so it cannot read this.",
  blocked: "GitHub blocks access to this repository (for legal or policy reasons).",
  rateLimited: "GitHub's rate limit for your account is used up, try again later.",
  secondaryLimited: "GitHub asked us to slow down for your account, try again in a minute.",
  unavailable: "GitHub is unavailable right now, try again later.",
  timeout: "GitHub did not answer in time, try again later.",
  badAnswer: "GitHub answered with an error.",
} as const;

/** `The rate limit resets at 14:05 UTC.`, when GitHub said so. */
export function rateLimitedMessage(resetAtMs: number | undefined): string {
  if (resetAtMs === undefined) return MESSAGES.rateLimited;
  const at = new Date(resetAtMs).toISOString().slice(11, 16);
  return `GitHub's rate limit for your account is used up until ${at} UTC, try again then.`;
}

export interface FailureHeaders {
  get(name: string): string | null;
  has(name: string): boolean;
}

/**
 * A non-2xx REST answer as our error. Rate limits are handled before this (they also block later
 * calls); here they only need their message.
 */
export function httpFailure(status: number, headers: FailureHeaders, body: unknown): Error {
  const message = gitHubMessage(body).toLowerCase();
  if (status === 401) return new UpstreamAuthError("GitHub rejected the user's token");
  if (status === 403 || status === 429) {
    if (isRateLimited(status, headers, message)) return new UnfurlError(429, MESSAGES.rateLimited);
    if (headers.has("x-github-sso")) return new UnfurlError(403, MESSAGES.sso);
    if (message.includes("suspended")) return new UnfurlError(403, MESSAGES.suspended);
    if (message.includes("blocked")) return new UnfurlError(451, MESSAGES.blocked);
    return new UnfurlError(403, MESSAGES.forbidden);
  }
  // REST answers 404 for private resources the token cannot see, as well as for missing ones
  if (status === 404) return new UnfurlError(404, MESSAGES.notFound);
  if (status === 410) return new UnfurlError(404, MESSAGES.gone);
  if (status === 451) return new UnfurlError(451, MESSAGES.blocked);
  if (status >= 500) return new UnfurlError(503, MESSAGES.unavailable);
  return new UnfurlError(502, MESSAGES.badAnswer);
}

/** Primary (remaining 0) or secondary (`retry-after`, or GitHub's wording) rate limit. */
export function isRateLimited(status: number, headers: FailureHeaders, lowerMessage = ""): boolean {
  if (status !== 403 && status !== 429) return false;
  return (
    status === 429 ||
    headers.get("x-ratelimit-remaining") === "0" ||
    headers.has("retry-after") ||
    lowerMessage.includes("rate limit")
  );
}

export interface GraphqlError {
  type?: string;
  message?: string;
}

/**
 * GitHub answers GraphQL failures with HTTP 200 and an `errors` array whose entries carry a
 * `type`. Any error fails the whole preview: a partial answer would render a misleading card.
 */
export function graphqlFailure(errors: GraphqlError[], headers: FailureHeaders): UnfurlError {
  const types = new Set(errors.map((e) => e.type));
  if (types.has("NOT_FOUND")) return new UnfurlError(404, MESSAGES.notFound);
  if (types.has("FORBIDDEN")) return new UnfurlError(403, headers.has("x-github-sso") ? MESSAGES.sso : MESSAGES.forbidden);
  if (types.has("RATE_LIMITED")) return new UnfurlError(429, MESSAGES.rateLimited);
  return new UnfurlError(502, MESSAGES.badAnswer);
}

function gitHubMessage(body: unknown): string {
  if (typeof body !== "object" || body === null || !("message" in body)) return "";
  return typeof body.message === "string" ? body.message : "";
}

/** A call whose answer the preview can do without: refused (403) or missing (404) becomes null. */
export async function optional<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof UnfurlError && (err.status === 403 || err.status === 404)) return null;
    throw err;
  }
}
