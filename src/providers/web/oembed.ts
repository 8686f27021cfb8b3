import { decodeHTML } from "entities";
import { z } from "zod";
import type { GuardedFetcher } from "../../fetch/client.js";
import { resolveHttp } from "./metadata.js";

/**
 * oEmbed (oembed.com): the JSON a page names in `<link rel="alternate" type="application/json+oembed">`.
 * Fetched through the same guard as the page (the endpoint is as user-controlled as the page), and
 * only as an enrichment: any failure leaves the preview as the page's own metadata made it.
 */

export interface OEmbedFacts {
  /** What to frame or show: a player iframe's `src` (video/rich) or the photo's URL. */
  embed: { kind: "html" | "image"; url: string } | null;
  title: string | null;
  authorName: string | null;
  providerName: string | null;
  thumbnailUrl: string | null;
}

const MAX_BYTES = 64 * 1024;
const TYPES = ["application/json", "application/json+oembed", "text/json", "text/javascript", "text/plain"];

const answer = z.looseObject({
  type: z.string().optional(),
  title: z.string().optional(),
  author_name: z.string().optional(),
  provider_name: z.string().optional(),
  thumbnail_url: z.string().optional(),
  url: z.string().optional(),
  html: z.string().optional(),
});

export async function fetchOEmbed(fetcher: GuardedFetcher, endpoint: string, signal: AbortSignal): Promise<OEmbedFacts | null> {
  try {
    const res = await fetcher.fetch(endpoint, {
      accept: "application/json",
      contentTypes: TYPES,
      maxBytes: MAX_BYTES,
      signal,
    });
    try {
      if (res.status !== 200) return null;
      const parsed = answer.safeParse(JSON.parse(await res.text()));
      return parsed.success ? oembedFacts(parsed.data, res.url) : null;
    } finally {
      res.close();
    }
  } catch {
    return null;
  }
}

/** Pure: an oEmbed answer → what a preview can use of it. */
export function oembedFacts(data: z.infer<typeof answer>, endpointUrl: string): OEmbedFacts {
  const type = data.type?.toLowerCase();
  let embed: OEmbedFacts["embed"] = null;
  if ((type === "video" || type === "rich") && data.html) {
    const src = iframeSrc(data.html, endpointUrl);
    if (src) embed = { kind: "html", url: src };
  } else if (type === "photo" && data.url) {
    const url = resolveHttp(data.url, endpointUrl);
    if (url) embed = { kind: "image", url };
  }
  return {
    embed,
    title: data.title?.trim() || null,
    authorName: data.author_name?.trim() || null,
    providerName: data.provider_name?.trim() || null,
    thumbnailUrl: data.thumbnail_url ? resolveHttp(data.thumbnail_url, endpointUrl) : null,
  };
}

/** The `src` of the first iframe in an oEmbed `html` snippet; Notion frames the URL, not the markup. */
function iframeSrc(html: string, base: string): string | null {
  const m = /<iframe\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(html);
  const raw = m?.[1] ?? m?.[2] ?? m?.[3];
  return raw ? resolveHttp(decodeHTML(raw), base) : null;
}
