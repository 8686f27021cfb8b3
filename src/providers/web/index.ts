import { LRUCache } from "lru-cache";
import type { GuardedFetcher, GuardedResponse } from "../../fetch/client.js";
import type { Attribute } from "../../notion/attributes.js";
import type { Provider } from "../types.js";
import { pageAttributes, type PageFacts } from "./attributes.js";
import { domainMatcher, domainRule, parseDomainPattern } from "./domains.js";
import { statusError, unfurlErrorFor } from "./failures.js";
import { toMetadata } from "./metadata.js";
import { fetchOEmbed } from "./oembed.js";
import { DEFAULT_HEAD_BUDGET, readHead } from "./readHead.js";

/**
 * The generic web provider: pages on the hosts an operator claims (`UNFURL_DOMAINS`) preview from
 * what they already publish (Open Graph, Twitter cards, JSON-LD, oEmbed), with no per-site code.
 * Pages are read through the guarded fetcher only, up to the end of their metadata. Each
 * (account, link) keeps its last answer with the page's validators, so a revisit costs a
 * conditional request and, when the site answers 304, no download at all.
 */

export interface WebProviderOptions {
  /** `UNFURL_DOMAINS` patterns: `docs.acme.com`, `*.acme.com`. */
  domains: readonly string[];
  developerName: string;
  /** The guarded client; never the trusted upstream fetch. */
  fetcher: GuardedFetcher;
  /** Bytes of a page read at most, looking for its metadata. */
  headBudget?: number;
  /** Pages kept for revalidation. */
  cacheEntries?: number;
}

interface CachedPage extends PageFacts {
  etag?: string;
  lastModified?: string;
}

const HTML_TYPES = ["text/html", "application/xhtml+xml"];
const HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1";

export function createWebProvider(opts: WebProviderOptions): Provider {
  const patterns = opts.domains.map(parseDomainPattern);
  const match = domainMatcher(patterns);
  const budget = opts.headBudget ?? DEFAULT_HEAD_BUDGET;
  const cache = new LRUCache<string, CachedPage>({ max: opts.cacheEntries ?? 5_000 });

  async function read(res: GuardedResponse, signal: AbortSignal): Promise<PageFacts> {
    const head = await readHead(res.body(), { headerCharset: res.charset, budget });
    const metadata = toMetadata(head.raw, res.url);
    // oEmbed is one more request: worth it only for what the page's own tags lack, a player
    const oembed = metadata.oembedUrl && !metadata.video ? await fetchOEmbed(opts.fetcher, metadata.oembedUrl, signal) : null;
    return { metadata, oembed };
  }

  return {
    name: "web",
    dashboardRules: () => patterns.map((p) => domainRule(p, opts.developerName)),
    match,
    async unfurl(link, ctx): Promise<Attribute[]> {
      const uri = link.params.url;
      if (!uri) throw new Error("web provider: link without url");
      const key = `${ctx.account.id}\u0000${uri}`;
      const cached = cache.get(key);
      const headers: Record<string, string> = {};
      if (cached?.etag) headers["if-none-match"] = cached.etag;
      if (cached?.lastModified) headers["if-modified-since"] = cached.lastModified;

      let res: GuardedResponse;
      try {
        res = await opts.fetcher.fetch(uri, { accept: HTML_ACCEPT, contentTypes: HTML_TYPES, maxBytes: budget, headers, signal: ctx.signal });
      } catch (err) {
        throw unfurlErrorFor(err);
      }
      try {
        if (res.status === 304 && cached) return pageAttributes(cached, uri, opts.developerName);
        if (res.status < 200 || res.status >= 300) throw statusError(res.status);
        const page = await read(res, ctx.signal);
        const etag = res.header("etag");
        const lastModified = res.header("last-modified");
        if (etag || lastModified) cache.set(key, { ...page, etag, lastModified });
        else cache.delete(key);
        return pageAttributes(page, uri, opts.developerName);
      } catch (err) {
        throw unfurlErrorFor(err);
      } finally {
        res.close();
      }
    },
  };
}
