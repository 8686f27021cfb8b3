import { Client, isHTTPResponseError, isNotionClientError } from "@notionhq/client";
import type { Fetch } from "../http/outbound.js";
import type { UnfurlEnvelope } from "../notion/envelope.js";
import { parseRetryAfter } from "./retryAfter.js";

/** The client types its own minimal fetch; undici's fetch satisfies it at run time. */
type NotionFetch = NonNullable<NonNullable<ConstructorParameters<typeof Client>[0]>["fetch"]>;

/** The API version Notion documents for `PATCH /v1/external/object`. */
export const LINK_PREVIEW_NOTION_VERSION = "2021-08-16";

/** What a push came to, in the terms the refresher acts on. */
export type PushResult =
  | { kind: "ok" }
  /** 401: the Notion token is dead (the user disconnected): stop tracking the grant. */
  | { kind: "unauthorized" }
  /** 403/404: this connection can no longer update this link: stop tracking the pair. */
  | { kind: "gone"; status: number }
  /** 429/529: Notion asks us to slow down; `retryAfterMs` from its header when given. */
  | { kind: "rate_limited"; retryAfterMs: number | null }
  /** 5xx, 409, timeout, network: worth retrying with backoff. */
  | { kind: "transient"; reason: string }
  /** Any other 4xx (a validation error): our request is wrong, retrying will not help. */
  | { kind: "rejected"; reason: string };

export interface NotionPush {
  /** PATCHes `envelope` with the grant's Notion token (unsealed by the caller for this call only). */
  push(notionToken: string, envelope: UnfurlEnvelope): Promise<PushResult>;
}

/**
 * `PATCH NOTION_API_URL/v1/external/object` through `@notionhq/client`. One client for all grants:
 * it holds no token, each request carries its own `auth`. The client's own retries are off: a
 * retry is a job rescheduled in the durable queue, never a worker sleeping on a Retry-After.
 */
export function createNotionPush(opts: { apiUrl: string; fetch: Fetch; timeoutMs?: number; now?: () => number }): NotionPush {
  const client = new Client({
    baseUrl: opts.apiUrl,
    fetch: opts.fetch as unknown as NotionFetch,
    notionVersion: LINK_PREVIEW_NOTION_VERSION,
    timeoutMs: opts.timeoutMs ?? 10_000,
    retry: false,
  });
  const now = opts.now ?? Date.now;
  return {
    async push(notionToken, envelope) {
      try {
        await client.request({ path: "external/object", method: "patch", body: { ...envelope }, auth: notionToken });
        return { kind: "ok" };
      } catch (err) {
        return classify(err, now());
      }
    },
  };
}

function classify(err: unknown, now: number): PushResult {
  if (!isHTTPResponseError(err)) {
    const reason = isNotionClientError(err) ? err.code : err instanceof Error ? err.message : String(err);
    return { kind: "transient", reason };
  }
  const { status } = err;
  if (status === 401) return { kind: "unauthorized" };
  if (status === 403 || status === 404) return { kind: "gone", status };
  if (status === 429 || status === 529) return { kind: "rate_limited", retryAfterMs: parseRetryAfter(header(err.headers, "retry-after"), now) };
  if (status >= 500 || status === 409) return { kind: "transient", reason: `Notion ${status} ${err.code}` };
  return { kind: "rejected", reason: `Notion ${status} ${err.code}: ${err.message}` };
}

/** The client types response headers as `unknown` (any fetch may have made them). */
function header(headers: unknown, name: string): string | null {
  if (typeof headers !== "object" || headers === null) return null;
  const get = (headers as { get?: unknown }).get;
  if (typeof get !== "function") return null;
  const value: unknown = get.call(headers, name);
  return typeof value === "string" ? value : null;
}
