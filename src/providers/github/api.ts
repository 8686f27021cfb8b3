import { createHash } from "node:crypto";
import type { z } from "zod";
import { systemClock, type Clock } from "../../clock.js";
import { UnfurlError } from "../../http/errors.js";
import type { Fetch } from "../../http/outbound.js";
import { createConcurrencyLimiter } from "./concurrency.js";
import { MESSAGES, type GraphqlError, graphqlFailure, httpFailure, isRateLimited } from "./errors.js";
import { createRateLimiter, type RateResource } from "./rateLimits.js";
import { createResponseCache, type ResponseCache } from "./responseCache.js";

export { MESSAGES } from "./errors.js";

/**
 * The one place that talks HTTP to GitHub. Every link kind and the login flow go through it, so a
 * 401, a rate limit or an outage reads the same whichever call hit it, and the costs are kept in
 * one place: REST answers are revalidated with their `ETag` (a `304` costs no rate limit), GraphQL
 * answers are kept briefly, identical calls in flight are shared, a used-up limit answers at once,
 * and each caller has a small number of requests in flight.
 */

export const DEFAULT_TIMEOUT_MS = 10_000;
const USER_AGENT = "notion-link-preview-server";
const REST_API_VERSION = "2022-11-28";
/** GitHub's advice against secondary limits is to call serially; a few in parallel keep pages quick. */
const DEFAULT_MAX_CONCURRENT = 4;
/** GraphQL answers carry no validators: keep them briefly, for tabs and anchors of the same object. */
export const DEFAULT_GRAPHQL_TTL_MS = 10_000;

type FetchResponse = Awaited<ReturnType<Fetch>>;
type ResponseHeaders = FetchResponse["headers"];

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

interface Answer {
  status: number;
  headers: ResponseHeaders;
  text: string;
}

/** One HTTP exchange under a deadline; only a network failure or the deadline throws. */
async function send(
  fetch: Fetch,
  url: string,
  init: { method?: string; headers: Record<string, string>; body?: string },
  opts: RequestOptions,
): Promise<Answer> {
  const signal = deadline(opts);
  try {
    const res = await fetch(url, { ...init, signal });
    return { status: res.status, headers: res.headers, text: await res.text() };
  } catch {
    // a timeout (ours or the unfurl's) or a network error: both mean "not now" to the user
    throw signal.aborted ? new UnfurlError(504, MESSAGES.timeout) : new UnfurlError(503, MESSAGES.unavailable);
  }
}

/** Any answer that is not JSON (GitHub's HTML error pages) counts as an outage. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UnfurlError(503, MESSAGES.unavailable);
  }
}

/**
 * One uncached call (the login flow, installation tokens): the parsed JSON body of a 2xx, our
 * errors for the rest.
 */
export async function requestJson(
  fetch: Fetch,
  url: string,
  init: { method?: string; headers: Record<string, string>; body?: string },
  opts: RequestOptions,
): Promise<{ body: unknown; headers: ResponseHeaders }> {
  const answer = await send(fetch, url, { ...init, headers: { "User-Agent": USER_AGENT, ...init.headers } }, opts);
  if (answer.status < 200 || answer.status > 299) throw httpFailure(answer.status, answer.headers, safeJson(answer.text));
  return { body: parseJson(answer.text), headers: answer.headers };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Who is calling: the credentials, and the identity whose cache and rate limit they use. */
export interface Caller {
  token: string;
  /**
   * The account id for user tokens, `app:<installation>` for installation tokens. Without it (the
   * login flow, before there is an account) nothing is cached, shared or limited.
   */
  id?: string;
  /** The unfurl's deadline. */
  signal?: AbortSignal;
  /** A live update after a change: no kept GraphQL answer, no joining a call that started before. */
  fresh?: boolean;
}

export interface GitHubApiOptions {
  /** REST base, `https://api.github.com` or `https://HOST/api/v3`. */
  apiUrl: string;
  /** GraphQL endpoint; defaults to `graphqlUrlFor(apiUrl)`. */
  graphqlUrl?: string;
  fetch: Fetch;
  timeoutMs?: number;
  clock?: Clock;
  /** Requests in flight per caller; default 4. */
  maxConcurrent?: number;
  graphqlTtlMs?: number;
  /** Shared with other clients of the same process (the login flow needs none). */
  cache?: ResponseCache;
}

export interface GitHubApi {
  /** A GraphQL query; any `errors` entry fails it. Answers are kept `graphqlTtlMs` per caller. */
  graphql<T>(caller: Caller, query: string, variables: Record<string, unknown>): Promise<T>;
  /** GET `path` (starting with `/`) under the REST base, revalidated with the ETag we have. */
  rest<T>(caller: Caller, path: string, schema: z.ZodType<T>): Promise<T>;
}

/** The contract's default: `…/api/v3` (GitHub Enterprise Server) → `…/api/graphql`, else `…/graphql`. */
export function graphqlUrlFor(apiUrl: string): string {
  const base = apiUrl.replace(/\/+$/, "");
  return /\/api\/v3$/.test(base) ? base.replace(/\/v3$/, "/graphql") : `${base}/graphql`;
}

export function createGitHubApi(opts: GitHubApiOptions): GitHubApi {
  const apiUrl = opts.apiUrl.replace(/\/+$/, "");
  const graphqlUrl = opts.graphqlUrl ?? graphqlUrlFor(apiUrl);
  const clock = opts.clock ?? systemClock;
  const graphqlTtlMs = opts.graphqlTtlMs ?? DEFAULT_GRAPHQL_TTL_MS;
  const cache = opts.cache ?? createResponseCache({ clock });
  const limits = createRateLimiter(clock);
  const lanes = createConcurrencyLimiter(opts.maxConcurrent ?? DEFAULT_MAX_CONCURRENT);
  const inFlight = new Map<string, Promise<unknown>>();
  // the cache holds answers as a schema parsed them: one path read through two schemas is two entries
  const schemaIds = new WeakMap<z.ZodType, number>();
  let schemas = 0;
  const schemaId = (schema: z.ZodType) => {
    let id = schemaIds.get(schema);
    if (id === undefined) schemaIds.set(schema, (id = ++schemas));
    return id;
  };
  const auth = (token: string) => ({ Authorization: `Bearer ${token}`, "User-Agent": USER_AGENT });

  /** Identical calls of one caller share one request; callers without an id share nothing. */
  function shared<T>(caller: Caller, key: string, call: () => Promise<T>): Promise<T> {
    if (caller.id === undefined || caller.fresh) return call();
    const k = `${caller.id}\u0000${key}`;
    const pending = inFlight.get(k) as Promise<T> | undefined;
    if (pending) return pending;
    const started = call().finally(() => inFlight.delete(k));
    inFlight.set(k, started);
    return started;
  }

  /** Sends under the caller's rate limit and concurrency cap; a limit answer becomes our 429. */
  async function limited(caller: Caller, resource: RateResource, url: string, init: Parameters<typeof send>[2]): Promise<Answer> {
    const id = caller.id;
    const go = () => send(opts.fetch, url, init, { timeoutMs: opts.timeoutMs, signal: caller.signal });
    if (id === undefined) return go();
    limits.check(id, resource);
    // checked again when its turn comes: a call queued behind the one that hit the limit stays home
    const answer = await lanes.run(id, caller.signal, () => (limits.check(id, resource), go()));
    const isLimit = isRateLimited(answer.status, answer.headers, answer.text.toLowerCase()) || hasRateLimitedError(answer);
    const limitError = limits.observe(id, resource, answer.headers, isLimit);
    if (limitError) throw limitError;
    return answer;
  }

  return {
    graphql<T>(caller: Caller, query: string, variables: Record<string, unknown>) {
      const key = `graphql ${createHash("sha256").update(query).digest("base64url")} ${JSON.stringify(variables)}`;
      return shared(caller, key, async () => {
        const hit = caller.id === undefined || caller.fresh ? undefined : cache.get(caller.id, key);
        if (hit) return hit.value as T;
        const answer = await limited(caller, "graphql", graphqlUrl, {
          method: "POST",
          headers: { ...auth(caller.token), Accept: "application/json", "Content-Type": "application/json" },
          body: JSON.stringify({ query, variables }),
        });
        if (answer.status !== 200) throw httpFailure(answer.status, answer.headers, safeJson(answer.text));
        const data = graphqlData<T>(parseJson(answer.text), answer.headers);
        // (a TTL of 0 means "do not keep": lru-cache would read it as "keep forever")
        if (caller.id !== undefined && graphqlTtlMs > 0) cache.set(caller.id, key, { value: data }, graphqlTtlMs);
        return data;
      });
    },

    rest<T>(caller: Caller, path: string, schema: z.ZodType<T>) {
      const key = `GET ${path} ${schemaId(schema)}`;
      return shared(caller, key, async () => {
        const hit = caller.id === undefined ? undefined : cache.get(caller.id, key);
        const conditional: Record<string, string> = hit?.etag
          ? { "If-None-Match": hit.etag }
          : hit?.lastModified
            ? { "If-Modified-Since": hit.lastModified }
            : {};
        const answer = await limited(caller, "core", `${apiUrl}${path}`, {
          headers: {
            ...auth(caller.token),
            Accept: "application/vnd.github+json",
            "X-GitHub-Api-Version": REST_API_VERSION,
            ...conditional,
          },
        });
        // the cached value was parsed by this same schema when it was stored
        if (answer.status === 304 && hit) return hit.value as T;
        if (answer.status < 200 || answer.status > 299) throw httpFailure(answer.status, answer.headers, safeJson(answer.text));
        const parsed = schema.safeParse(parseJson(answer.text));
        if (!parsed.success) throw new UnfurlError(502, MESSAGES.badAnswer);
        const etag = answer.headers.get("etag") ?? undefined;
        const lastModified = answer.headers.get("last-modified") ?? undefined;
        if (caller.id !== undefined && (etag || lastModified)) cache.set(caller.id, key, { etag, lastModified, value: parsed.data });
        return parsed.data;
      });
    },
  };
}

/** GraphQL reports a used-up limit as a `RATE_LIMITED` error inside a 200. */
function hasRateLimitedError(answer: Answer): boolean {
  return answer.status === 200 && answer.text.includes('"RATE_LIMITED"');
}

function graphqlData<T>(body: unknown, headers: ResponseHeaders): T {
  if (typeof body !== "object" || body === null) throw new UnfurlError(502, MESSAGES.badAnswer);
  const { data, errors } = body as { data?: unknown; errors?: GraphqlError[] };
  if (Array.isArray(errors) && errors.length > 0) throw graphqlFailure(errors, headers);
  if (typeof data !== "object" || data === null) throw new UnfurlError(502, MESSAGES.badAnswer);
  return data as T;
}
