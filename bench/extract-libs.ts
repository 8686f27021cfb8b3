import type { Socket } from "node:net";
import { buildConnector } from "undici";
import { createGuardedFetcher, type GuardedFetcher } from "../src/fetch/client.js";
import { extract } from "../src/providers/web/extract.js";
import { toMetadata } from "../src/providers/web/metadata.js";
import { readHead } from "../src/providers/web/readHead.js";
import type { CorpusPage } from "../test/fixtures/web/corpus.js";

/**
 * One adapter per contender, mapping each library's own output onto our eleven fields. A field
 * the library has no notion of is `undefined` (shown as "—", not scored); null means "supported,
 * nothing found". Where a library offers fallbacks as separate fields (Open Graph, then Twitter,
 * then HTML), the adapter chains them the way a user of that library would; when it exposes a
 * `secure_url` beside `url`, the adapter prefers it, as our extractor does. Nothing is mined from
 * a library's raw dumps (ogs's `jsonLD` array): that would be writing its extractor for it.
 */

export type Output = Partial<Record<string, unknown>>;

export interface Contender {
  name: string;
  /** String mode: the page's HTML (decoded) and its URL. */
  fromHtml(page: CorpusPage): Promise<Output>;
  /** URL mode over local HTTP; absent when the library has no fetcher of its own. */
  fromUrl?(url: string): Promise<unknown>;
  close?(): Promise<void>;
  /** Bytes the client read from its sockets, when it can tell (ours). */
  socketBytes?(): number;
  /** Bytes the page reader consumed from the response (ours). */
  readerBytes?(): number;
}

const first = <T>(list: T[] | undefined): T | undefined => (Array.isArray(list) ? list[0] : undefined);

/** String mode hands every library the same decoded text, so it is UTF-8 whatever the page declared. */
const UTF8_HTML = "text/html; charset=utf-8";

export async function contender(name: string, port: number): Promise<Contender> {
  switch (name) {
    case "extract":
      return ours(port);
    case "metascraper":
      return metascraper();
    case "open-graph-scraper":
      return openGraphScraper();
    case "unfurl.js":
      return unfurlJs();
    case "link-preview-js":
      return linkPreviewJs();
    case "baseline":
      return { name, fromHtml: async () => ({}) };
    default:
      throw new Error(`unknown contender ${name}`);
  }
}

/** Ours: `extract` on strings; in URL mode the provider's own path (guarded fetch → streaming head read). */
function ours(port: number): Contender {
  const sockets: Socket[] = [];
  let consumed = 0;
  const dial = buildConnector({});
  let fetcher: GuardedFetcher | null = null;
  const guarded = () =>
    (fetcher ??= createGuardedFetcher({
      allowPrivate: true,
      allowedPorts: [port],
      timeoutMs: 30_000,
      resolve: async () => ["127.0.0.1"],
      // the same dialer, only watched: every socket's bytesRead is what came over the network
      dial: (opts, callback) =>
        dial(opts, (...args) => {
          if (args[1]) sockets.push(args[1]);
          callback(...args);
        }),
    }));
  return {
    name: "extract",
    fromHtml: async (page) => ({ ...extract(page.html, page.url) }),
    async fromUrl(url) {
      const res = await guarded().fetch(url, { accept: "text/html", contentTypes: ["text/html", "application/xhtml+xml"], maxBytes: 256 * 1024 });
      try {
        const head = await readHead(res.body(), { headerCharset: res.charset });
        return toMetadata(head.raw, res.url);
      } finally {
        res.close();
        consumed += res.counts.wire;
      }
    },
    socketBytes: () => sockets.reduce((sum, s) => sum + s.bytesRead, 0),
    readerBytes: () => consumed,
    close: async () => fetcher?.close(),
  };
}

/**
 * metascraper with its standard rules. Two accommodations, both to keep it off the network and
 * running on Node 20: metascraper-logo-favicon (its favicon rule) normally checks every icon URL
 * with an HTTP request and asks Google's favicon service; here every candidate is taken as
 * reachable, without a request (as our extractor does), and Google is off. And
 * @metascraper/helpers' iframe loader calls `Promise.withResolvers` (Node 22), polyfilled here.
 */
async function metascraper(): Promise<Contender> {
  const promise = Promise as unknown as { withResolvers?: () => unknown };
  promise.withResolvers ??= () => {
    let resolve: unknown;
    let reject: unknown;
    const p = new Promise((res, rej) => ((resolve = res), (reject = rej)));
    return { promise: p, resolve, reject };
  };
  const [core, favicon, ...rules] = await Promise.all([
    import("metascraper"),
    import("metascraper-logo-favicon"),
    import("metascraper-title"),
    import("metascraper-description"),
    import("metascraper-image"),
    import("metascraper-author"),
    import("metascraper-date"),
    import("metascraper-publisher"),
    import("metascraper-url"),
    import("metascraper-video"),
  ]);
  type Resolve = NonNullable<Parameters<typeof favicon.default>[0]>["resolveFaviconUrl"];
  const reachable = (async (url: string) => ({ url })) as unknown as Resolve;
  const offline = favicon.default({ google: false, rootFavicon: false, resolveFaviconUrl: reachable });
  const scrape = core.default([...rules.map((r) => r.default()), offline]);
  return {
    name: "metascraper",
    async fromHtml(page) {
      const r = (await scrape({ html: page.html, url: page.url })) as Record<string, string | null>;
      return {
        title: r.title,
        description: r.description,
        image: r.image,
        siteName: r.publisher,
        url: r.url,
        // metascraper-logo-favicon: the largest declared icon, else /favicon.ico
        favicon: r.logo,
        author: r.author,
        publishedAt: r.date,
        video: r.video,
      };
    },
  };
}

interface OgsImage {
  url?: string;
}

async function openGraphScraper(): Promise<Contender> {
  const ogs = (await import("open-graph-scraper")).default;
  const map = (r: Record<string, unknown>): Output => {
    const s = (k: string) => r[k] as string | undefined;
    return {
      title: s("ogTitle") ?? s("twitterTitle") ?? s("dcTitle"),
      description: s("ogDescription") ?? s("twitterDescription") ?? s("dcDescription"),
      image: first(r.ogImage as OgsImage[])?.url ?? first(r.twitterImage as OgsImage[])?.url ?? null,
      siteName: s("ogSiteName") ?? null,
      url: s("ogUrl") ?? null,
      favicon: s("favicon") ?? null,
      author: s("author") ?? s("articleAuthor") ?? s("dcCreator") ?? null,
      publishedAt: s("articlePublishedTime") ?? s("ogArticlePublishedTime") ?? s("publishedTime") ?? s("articlePublishedDate") ?? s("ogDate") ?? s("dcDate") ?? null,
      type: s("ogType") ?? null,
      video: s("ogVideoSecureURL") ?? first(r.ogVideo as OgsImage[])?.url ?? first(r.twitterPlayer as OgsImage[])?.url ?? null,
    };
  };
  return {
    name: "open-graph-scraper",
    async fromHtml(page) {
      const { result } = await ogs({ html: page.html });
      return map(result as unknown as Record<string, unknown>);
    },
    async fromUrl(url) {
      const { result } = await ogs({ url });
      return map(result as unknown as Record<string, unknown>);
    },
  };
}

interface UnfurlResult {
  title?: string;
  description?: string;
  author?: string;
  favicon?: string;
  canonical_url?: string;
  open_graph?: {
    title?: string;
    description?: string;
    site_name?: string;
    url?: string;
    type?: string;
    images?: { url?: string; secure_url?: string }[];
    videos?: { url?: string; secure_url?: string }[];
    article?: { published_time?: string };
  };
  twitter_card?: { title?: string; description?: string; images?: { url?: string }[]; players?: { url?: string }[] };
}

async function unfurlJs(): Promise<Contender> {
  const { unfurl } = await import("unfurl.js");
  const map = (r: UnfurlResult): Output => {
    const og = r.open_graph;
    const tw = r.twitter_card;
    const image = first(og?.images);
    const video = first(og?.videos);
    return {
      title: og?.title ?? tw?.title ?? r.title ?? null,
      description: og?.description ?? tw?.description ?? r.description ?? null,
      image: image?.secure_url ?? image?.url ?? first(tw?.images)?.url ?? null,
      siteName: og?.site_name ?? null,
      url: og?.url ?? r.canonical_url ?? null,
      favicon: r.favicon ?? null,
      author: r.author ?? null,
      publishedAt: og?.article?.published_time ?? null,
      type: og?.type ?? null,
      video: video?.secure_url ?? video?.url ?? first(tw?.players)?.url ?? null,
    };
  };
  type Options = Parameters<typeof unfurl>[1];
  return {
    name: "unfurl.js",
    async fromHtml(page) {
      // unfurl.js takes a URL; its `fetch` option serves the (decoded) page from memory
      const fetch = async () => new Response(page.html, { headers: { "content-type": UTF8_HTML } });
      return map((await unfurl(page.url, { oembed: false, fetch } as unknown as Options)) as UnfurlResult);
    },
    async fromUrl(url) {
      return map((await unfurl(url, { oembed: false })) as UnfurlResult);
    },
  };
}

interface LinkPreview {
  title?: string;
  description?: string;
  siteName?: string;
  url?: string;
  author?: string;
  mediaType?: string;
  images?: string[];
  videos?: { url?: string }[];
  favicons?: string[];
}

async function linkPreviewJs(): Promise<Contender> {
  const lib = await import("link-preview-js");
  const map = (r: LinkPreview): Output => ({
    title: r.title ?? null,
    description: r.description ?? null,
    image: first(r.images) ?? null,
    siteName: r.siteName ?? null,
    url: r.url ?? null,
    favicon: first(r.favicons) ?? null,
    author: r.author ?? null,
    type: r.mediaType ?? null,
    video: first(r.videos)?.url ?? null,
  });
  return {
    name: "link-preview-js",
    async fromHtml(page) {
      const r = await lib.getPreviewFromContent({ data: page.html, headers: { "content-type": UTF8_HTML }, url: page.url });
      return map(r as LinkPreview);
    },
    async fromUrl(url) {
      // its URL check wants a public-looking name: it asks for one, and its proxyUrl option
      // sends the request to the loopback server (`/proxy/<url>`), which serves that page
      const { origin, pathname } = new URL(url);
      const preview = await lib.getLinkPreview(`http://bench.example.com${pathname}`, { timeout: 30_000, proxyUrl: `${origin}/proxy/` });
      return map(preview as LinkPreview);
    },
  };
}
