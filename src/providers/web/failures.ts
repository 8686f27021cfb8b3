import { FetchFailed, FetchRefused, type RefusalReason } from "../../fetch/errors.js";
import { UnfurlError } from "../../http/errors.js";

/**
 * What a user sees when a page cannot be previewed. Messages are fixed per cause: they never echo
 * an address, a resolver answer or the site's own error text (a link must not become a probe of
 * our network).
 */

const REFUSALS: Record<RefusalReason, string> = {
  "invalid-url": "This link is not a valid web address.",
  scheme: "Only http and https links can be previewed.",
  credentials: "Links that carry a user name or password are not previewed.",
  "ip-literal": "Links to a bare IP address are not previewed.",
  port: "Links to this port are not previewed.",
  "private-address": "This link points to a private or reserved network address and cannot be previewed.",
  "too-many-redirects": "This link redirects too many times to be previewed.",
  "bad-redirect": "The site answered with a broken redirect.",
  "too-large": "The page is too large to be previewed.",
  timeout: "The site took too long to answer.",
  "content-type": "This link is not a web page.",
  "content-encoding": "The site answered in an encoding that cannot be read.",
};

export function unfurlErrorFor(err: unknown): Error {
  if (err instanceof UnfurlError) return err;
  if (err instanceof FetchRefused) return new UnfurlError(err.reason === "timeout" ? 504 : 422, REFUSALS[err.reason]);
  if (err instanceof FetchFailed) return new UnfurlError(502, "The site could not be reached.");
  // anything else is our bug: the unfurl service logs it as a 500
  return err instanceof Error ? err : new Error(String(err));
}

export function statusError(status: number): UnfurlError {
  if (status === 404 || status === 410) return new UnfurlError(404, "Page not found.");
  if (status === 401 || status === 403) return new UnfurlError(403, "The site does not let this page be read without signing in.");
  if (status === 429) return new UnfurlError(429, "The site is rate limiting previews, try again later.");
  if (status >= 500) return new UnfurlError(503, "The site is unavailable right now, try again later.");
  return new UnfurlError(502, `The site answered with an error (HTTP ${status}).`);
}
