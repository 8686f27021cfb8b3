import type { Readable } from "node:stream";
import { Agent } from "undici";
import { cappedBody, decoderFor, discard, type ByteCounts } from "./body.js";
import { createGuardedConnector, type Dialer } from "./connector.js";
import { FetchFailed, FetchRefused } from "./errors.js";
import { systemResolver, type Resolver } from "./resolver.js";
import { DEFAULT_PORTS, checkTarget } from "./target.js";

/**
 * The one HTTP client for URLs that come from users (an unfurled link, the redirects it answers,
 * the oEmbed endpoint it names). Every hop is checked (scheme, credentials, IP literal, port),
 * every connection goes through the guarded connector (resolved and checked addresses only),
 * redirects are followed by hand so each target is checked again, the whole fetch shares one
 * deadline, and the body is read as decoded bytes under a cap.
 */

export const USER_AGENT =
  "Mozilla/5.0 (compatible; NotionLinkPreview/1.0; self-hosted Notion link preview server; reads page metadata only)";

export interface GuardedFetcherOptions {
  /** `FETCH_ALLOW_PRIVATE`: loopback and private networks become reachable (local testing only). */
  allowPrivate?: boolean;
  /** Ports a URL may name; 80 and 443 by default. */
  allowedPorts?: readonly number[];
  resolve?: Resolver;
  /** How a checked address is dialled; tests inject one to simulate a socket landing elsewhere. */
  dial?: Dialer;
  /** Redirects followed before giving up: 3. */
  maxRedirects?: number;
  /** Total deadline of one fetch, every hop and the body included: 5 s. */
  timeoutMs?: number;
  connectTimeoutMs?: number;
  userAgent?: string;
}

export interface GuardedRequest {
  /** The `Accept` header. */
  accept: string;
  /** Media types (lowercase, without parameters) a 2xx answer must have. */
  contentTypes: readonly string[];
  /** Cap on decoded body bytes. */
  maxBytes: number;
  /** Extra request headers (`If-None-Match` …). */
  headers?: Record<string, string>;
  /** The caller's deadline; the earlier of it and ours wins. */
  signal?: AbortSignal;
}

export interface GuardedResponse {
  /** The URL that answered, after redirects. */
  readonly url: string;
  readonly status: number;
  /** `text/html`, lowercase without parameters; null when absent. */
  readonly mediaType: string | null;
  /** The `charset` parameter of Content-Type, as sent. */
  readonly charset: string | null;
  header(name: string): string | undefined;
  /** Decoded chunks; throws `FetchRefused("too-large")` past `maxBytes`. Readable once. */
  body(): AsyncGenerator<Buffer, void, undefined>;
  /** The whole (capped) body as UTF-8 text. */
  text(): Promise<string>;
  readonly counts: Readonly<ByteCounts>;
  /** Stops the download and releases the deadline; safe to call more than once. */
  close(): void;
}

export interface GuardedFetcher {
  fetch(url: string | URL, request: GuardedRequest): Promise<GuardedResponse>;
  close(): Promise<void>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function createGuardedFetcher(opts: GuardedFetcherOptions = {}): GuardedFetcher {
  const allowedPorts = opts.allowedPorts ?? DEFAULT_PORTS;
  const maxRedirects = opts.maxRedirects ?? 3;
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const agent = new Agent({
    connect: createGuardedConnector({
      policy: { allowPrivate: opts.allowPrivate ?? false },
      resolve: opts.resolve ?? systemResolver,
      dial: opts.dial,
      connectTimeoutMs: opts.connectTimeoutMs,
    }),
    // inner safety nets; the per-fetch deadline below is the real bound
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: 4_000,
    connections: 16,
  });

  async function fetch(input: string | URL, request: GuardedRequest): Promise<GuardedResponse> {
    const deadline = createDeadline(timeoutMs, request.signal);
    try {
      let url = checkTarget(input, allowedPorts);
      for (let hop = 0; ; hop++) {
        const res = await send(url, request, deadline.signal);
        const status = res.statusCode;
        if (REDIRECTS.has(status)) {
          discard(res.body);
          if (hop >= maxRedirects) {
            throw new FetchRefused("too-many-redirects", `The link redirects more than ${maxRedirects} times.`);
          }
          const location = headerValue(res.headers, "location");
          if (!location) throw new FetchRefused("bad-redirect", "The site answered a redirect without a destination.");
          url = checkTarget(new URL(location, url), allowedPorts);
          continue;
        }
        return respond(url, res, request, deadline);
      }
    } catch (err) {
      deadline.release();
      throw translate(err, deadline.signal);
    }
  }

  async function send(url: URL, request: GuardedRequest, signal: AbortSignal) {
    return agent.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: "GET",
      headers: {
        "user-agent": opts.userAgent ?? USER_AGENT,
        accept: request.accept,
        "accept-encoding": "gzip, deflate, br",
        "accept-language": "en;q=1.0, *;q=0.5",
        ...request.headers,
      },
      signal,
    });
  }

  return { fetch, close: () => agent.close() };
}

type RawResponse = Awaited<ReturnType<Agent["request"]>>;

function respond(url: URL, res: RawResponse, request: GuardedRequest, deadline: Deadline): GuardedResponse {
  const [mediaType, charset] = parseContentType(headerValue(res.headers, "content-type"));
  const ok = res.statusCode >= 200 && res.statusCode < 300;
  // only a success has to be what we asked for; error pages are answered by their status
  if (ok && (mediaType === null || !request.contentTypes.includes(mediaType))) {
    discard(res.body);
    throw new FetchRefused("content-type", `The link is not a web page (${mediaType ?? "no content type"}).`);
  }
  const makeDecoder = decoderFor(headerValue(res.headers, "content-encoding"));
  if (!makeDecoder) {
    discard(res.body);
    throw new FetchRefused("content-encoding", "The site answered with a content encoding we cannot read.");
  }
  const counts: ByteCounts = { wire: 0, decoded: 0 };
  let consumed = false;
  const close = () => {
    discard(res.body);
    deadline.release();
  };

  async function* body(): AsyncGenerator<Buffer, void, undefined> {
    if (consumed) throw new Error("guarded response body read twice");
    consumed = true;
    try {
      yield* cappedBody(res.body as unknown as Readable, makeDecoder as () => NodeJS.ReadWriteStream, request.maxBytes, counts);
    } catch (err) {
      throw translate(err, deadline.signal);
    } finally {
      close();
    }
  }

  return {
    url: url.href,
    status: res.statusCode,
    mediaType,
    charset,
    header: (name) => headerValue(res.headers, name),
    body,
    async text() {
      const chunks: Buffer[] = [];
      for await (const chunk of body()) chunks.push(chunk);
      return Buffer.concat(chunks).toString("utf8");
    },
    counts,
    close,
  };
}

interface Deadline {
  signal: AbortSignal;
  release(): void;
}

/** One controller for the whole fetch: our timeout or the caller's abort, whichever comes first. */
function createDeadline(timeoutMs: number, caller: AbortSignal | undefined): Deadline {
  const controller = new AbortController();
  const expire = () => controller.abort(new FetchRefused("timeout", `The site did not answer within ${timeoutMs / 1000} s.`));
  const timer = setTimeout(expire, timeoutMs);
  timer.unref();
  if (caller?.aborted) expire();
  caller?.addEventListener("abort", expire, { once: true });
  return {
    signal: controller.signal,
    release() {
      clearTimeout(timer);
      caller?.removeEventListener("abort", expire);
    },
  };
}

/** Our own errors pass through; an abort becomes the deadline's refusal; the rest is a network failure. */
function translate(err: unknown, signal: AbortSignal): Error {
  if (err instanceof FetchRefused || err instanceof FetchFailed) return err;
  if (signal.aborted && signal.reason instanceof FetchRefused) return signal.reason;
  return new FetchFailed("The site could not be reached.", { cause: err });
}

function headerValue(headers: RawResponse["headers"], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** `text/html; charset="Shift_JIS"` → `["text/html", "Shift_JIS"]`. */
export function parseContentType(value: string | undefined): [string | null, string | null] {
  if (!value) return [null, null];
  const [type = "", ...params] = value.split(";");
  const mediaType = type.trim().toLowerCase() || null;
  let charset: string | null = null;
  for (const param of params) {
    const eq = param.indexOf("=");
    if (eq > 0 && param.slice(0, eq).trim().toLowerCase() === "charset") {
      charset = param.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1") || null;
    }
  }
  return [mediaType, charset];
}
