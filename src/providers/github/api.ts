import { UnfurlError, UpstreamAuthError } from "../../http/errors.js";
import type { Fetch } from "../../http/outbound.js";

/**
 * The one place that talks HTTP to GitHub and turns its failures into our errors. Every link kind
 * and the login flow go through `requestJson`, so a 401, a rate limit or an outage reads the same
 * whichever call hit it, and no message ever carries a token or GitHub's raw answer.
 */

export const DEFAULT_TIMEOUT_MS = 10_000;
const USER_AGENT = "notion-link-preview-server";
const REST_API_VERSION = "2022-11-28";

type FetchResponse = Awaited<ReturnType<Fetch>>;
type ResponseHeaders = FetchResponse["headers"];

export const MESSAGES = {
  notFound: "Not found, or your GitHub account cannot see it.",
  sso: "Your GitHub organization requires single sign-on: authorise SSO for this app on GitHub, then try again.",
  forbidden: "GitHub refused access to this for your account (the organization may restrict third-party apps).",
  rateLimited: "GitHub's rate limit for your account is used up, try again later.",
  unavailable: "GitHub is unavailable right now, try again later.",
  badAnswer: "GitHub answered with an error.",
} as const;

export interface RequestOptions {
  timeoutMs?: number;
  /** The caller's deadline (the unfurl's); combined with our own, the earlier one wins. */
  signal?: AbortSignal;
}

/** Our per-call deadline combined with the caller's, so neither can be forgotten. */
export function deadline({ timeoutMs = DEFAULT_TIMEOUT_MS, signal }: RequestOptions): AbortSignal {
  const own = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([own, signal]) : own;
}

/**
 * One call with a deadline; answers the parsed JSON body of a 2xx and throws our errors for the
 * rest. Any answer that is not JSON (GitHub's HTML error pages) counts as an outage.
 */
export async function requestJson(
  fetch: Fetch,
  url: string,
  init: { method?: string; headers: Record<string, string>; body?: string },
  opts: RequestOptions,
): Promise<{ body: unknown; headers: ResponseHeaders }> {
  const signal = deadline(opts);
  let res: FetchResponse;
  let text: string;
  try {
    res = await fetch(url, { ...init, signal });
    text = await res.text();
  } catch {
    // network error, timeout or the caller's abort: all mean "not now" to the user
    throw new UnfurlError(503, MESSAGES.unavailable);
  }
  if (!res.ok) throw httpFailure(res.status, res.headers);
  try {
    return { body: JSON.parse(text) as unknown, headers: res.headers };
  } catch {
    throw new UnfurlError(503, MESSAGES.unavailable);
  }
}

function httpFailure(status: number, headers: ResponseHeaders): Error {
  if (status === 401) return new UpstreamAuthError("GitHub rejected the user's token");
  if (status === 403 || status === 429) {
    if (headers.get("x-ratelimit-remaining") === "0" || headers.has("retry-after") || status === 429) {
      return new UnfurlError(429, MESSAGES.rateLimited);
    }
    return new UnfurlError(403, headers.has("x-github-sso") ? MESSAGES.sso : MESSAGES.forbidden);
  }
  // REST answers 404 for private resources the token cannot see, as well as for missing ones
  if (status === 404) return new UnfurlError(404, MESSAGES.notFound);
  if (status >= 500) return new UnfurlError(503, MESSAGES.unavailable);
  return new UnfurlError(502, MESSAGES.badAnswer);
}

export interface GitHubApiOptions {
  /** REST base, `https://api.github.com` or `https://HOST/api/v3`. */
  apiUrl: string;
  /** GraphQL endpoint; defaults to `graphqlUrlFor(apiUrl)`. */
  graphqlUrl?: string;
  fetch: Fetch;
  timeoutMs?: number;
}

export interface GitHubApi {
  graphql<T>(token: string, query: string, variables: Record<string, unknown>, signal?: AbortSignal): Promise<T>;
  /** GET `path` (starting with `/`) under the REST base. */
  rest<T>(token: string, path: string, signal?: AbortSignal): Promise<T>;
}

/** The contract's default: `…/api/v3` (GitHub Enterprise Server) → `…/api/graphql`, else `…/graphql`. */
export function graphqlUrlFor(apiUrl: string): string {
  const base = apiUrl.replace(/\/+$/, "");
  return /\/api\/v3$/.test(base) ? base.replace(/\/v3$/, "/graphql") : `${base}/graphql`;
}

export function createGitHubApi(opts: GitHubApiOptions): GitHubApi {
  const apiUrl = opts.apiUrl.replace(/\/+$/, "");
  const graphqlUrl = opts.graphqlUrl ?? graphqlUrlFor(apiUrl);
  const call = (token: string) => ({ Authorization: `Bearer ${token}`, "User-Agent": USER_AGENT });

  return {
    async graphql<T>(token: string, query: string, variables: Record<string, unknown>, signal?: AbortSignal) {
      const { body, headers } = await requestJson(
        opts.fetch,
        graphqlUrl,
        {
          method: "POST",
          headers: { ...call(token), Accept: "application/json", "Content-Type": "application/json" },
          body: JSON.stringify({ query, variables }),
        },
        { timeoutMs: opts.timeoutMs, signal },
      );
      return graphqlData<T>(body, headers);
    },

    async rest<T>(token: string, path: string, signal?: AbortSignal) {
      const { body } = await requestJson(
        opts.fetch,
        `${apiUrl}${path}`,
        { headers: { ...call(token), Accept: "application/vnd.github+json", "X-GitHub-Api-Version": REST_API_VERSION } },
        { timeoutMs: opts.timeoutMs, signal },
      );
      return body as T;
    },
  };
}

interface GraphqlError {
  type?: string;
  message?: string;
}

/**
 * GitHub answers GraphQL failures with HTTP 200 and an `errors` array whose entries carry a
 * `type`. Any error fails the whole preview: a partial answer would render a misleading card.
 */
function graphqlData<T>(body: unknown, headers: ResponseHeaders): T {
  if (typeof body !== "object" || body === null) throw new UnfurlError(502, MESSAGES.badAnswer);
  const { data, errors } = body as { data?: unknown; errors?: GraphqlError[] };
  if (Array.isArray(errors) && errors.length > 0) {
    const types = new Set(errors.map((e) => e.type));
    if (types.has("NOT_FOUND")) throw new UnfurlError(404, MESSAGES.notFound);
    if (types.has("FORBIDDEN")) {
      throw new UnfurlError(403, headers.has("x-github-sso") ? MESSAGES.sso : MESSAGES.forbidden);
    }
    if (types.has("RATE_LIMITED")) throw new UnfurlError(429, MESSAGES.rateLimited);
    throw new UnfurlError(502, MESSAGES.badAnswer);
  }
  if (typeof data !== "object" || data === null) throw new UnfurlError(502, MESSAGES.badAnswer);
  return data as T;
}
