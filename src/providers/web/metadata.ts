import { decodeHTML } from "entities";
import type { RawHead } from "./headScan.js";
import { jsonLdFacts, type JsonLdFacts } from "./jsonld.js";

/**
 * Raw head values → one preview's metadata. Each field reads its sources in a fixed order, the
 * first usable value wins: Open Graph, then Twitter cards, then JSON-LD, then plain HTML. Texts are
 * entity-decoded (once more when a site double-encoded them) and whitespace-collapsed; URLs are
 * resolved against `<base href>` and kept only when they are http(s).
 */

export interface VideoRef {
  url: string;
  /** `player`: a page to frame (YouTube's embed URL); `file`: a media file a `<video>` can play. */
  kind: "player" | "file";
}

export interface Metadata {
  title: string | null;
  description: string | null;
  image: string | null;
  siteName: string | null;
  /** The canonical URL, else the URL the page was read from. */
  url: string;
  /** A declared icon, else `/favicon.ico` of the page's origin. */
  favicon: string;
  author: string | null;
  /** `YYYY-MM-DD` when the page gives only a day, else an ISO 8601 instant in UTC. */
  publishedAt: string | null;
  /** Open Graph type (`article`, `website`, `video.other` …), or one derived from JSON-LD. */
  type: string | null;
  /** The page's oEmbed (JSON) endpoint. */
  oembedUrl: string | null;
  video: VideoRef | null;
}

const DATE_KEYS = [
  "article:published_time",
  "og:published_time",
  "og:article:published_time",
  "itemprop:datepublished",
  "datepublished",
  "pubdate",
  "publishdate",
  "publish_date",
  "publish-date",
  "date",
  "dc.date.issued",
  "dcterms.issued",
  "dc.date",
  "dcterms.date",
  "citation_publication_date",
  "parsely-pub-date",
  "sailthru.date",
];

export function toMetadata(raw: RawHead, documentUrl: string): Metadata {
  const meta = raw.meta;
  const ld: JsonLdFacts | null = raw.jsonLd.length > 0 ? jsonLdFacts(raw.jsonLd) : null;
  const page = new URL(documentUrl);
  // one parsed base for every link: resolving against a URL object skips re-parsing the base
  const base = new URL(baseOf(raw.base, page));

  return {
    title: firstText(meta.get("og:title"), meta.get("twitter:title"), ld?.title, raw.title, meta.get("itemprop:name")),
    description: firstText(
      meta.get("og:description"),
      meta.get("twitter:description"),
      meta.get("description"),
      ld?.description,
      meta.get("itemprop:description"),
    ),
    image: firstUrl(base, [
      meta.get("og:image:secure_url"),
      meta.get("og:image"),
      meta.get("og:image:url"),
      meta.get("twitter:image"),
      meta.get("twitter:image:src"),
      ld?.image,
      raw.imageSrc,
      meta.get("itemprop:image"),
    ]),
    siteName: firstText(
      meta.get("og:site_name"),
      ld?.siteName,
      ld?.publisher,
      meta.get("application-name"),
      meta.get("apple-mobile-web-app-title"),
    ),
    url: firstUrl(base, [meta.get("og:url"), raw.canonical, ld?.url]) ?? page.href,
    favicon: firstUrl(base, [raw.icon, raw.appleTouchIcon]) ?? new URL("/favicon.ico", page).href,
    author: firstText(
      meta.get("author"),
      ld?.author,
      notUrl(meta.get("article:author")),
      meta.get("dc.creator"),
      meta.get("parsely-author"),
      meta.get("sailthru.author"),
      writtenBy(meta),
    ),
    publishedAt: firstDate([...DATE_KEYS.slice(0, 3).map((k) => meta.get(k)), ld?.publishedAt, ...DATE_KEYS.slice(3).map((k) => meta.get(k))]),
    type: firstText(meta.get("og:type")?.toLowerCase(), ld?.type),
    oembedUrl: resolveHttp(raw.oembedJson, base),
    video: videoOf(meta, ld, base),
  };
}

/** `<base href>` resolved against the document, when it is http(s); else the document URL. */
function baseOf(href: string | null, page: URL): string {
  return resolveHttp(href, page) ?? page.href;
}

export function resolveHttp(href: string | null | undefined, base: string | URL): string | null {
  if (!href) return null;
  const trimmed = href.trim();
  if (trimmed === "") return null;
  try {
    const url = new URL(decodeLeftovers(trimmed), base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

function firstUrl(base: URL, candidates: (string | null | undefined)[]) {
  for (const c of candidates) {
    const url = resolveHttp(c, base);
    if (url) return url;
  }
  return null;
}

const LEFTOVER_ENTITY = /&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/i;

/** The scanner decoded the markup once; a value still holding entities was encoded twice by the site. */
function decodeLeftovers(s: string): string {
  return LEFTOVER_ENTITY.test(s) ? decodeHTML(s) : s;
}

/** Zero-width and bidi control characters (app stores prefix titles with U+200E): invisible noise in a preview. */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

export function cleanText(s: string | null | undefined): string | null {
  if (!s) return null;
  const text = decodeLeftovers(s).replace(INVISIBLE, "").replace(/\s+/g, " ").trim();
  return text === "" ? null : text;
}

function firstText(...candidates: (string | null | undefined)[]): string | null {
  for (const c of candidates) {
    const text = cleanText(c);
    if (text) return text;
  }
  return null;
}

function notUrl(s: string | undefined): string | undefined {
  return s && /^(?:https?:)?\/\//i.test(s.trim()) ? undefined : s;
}

/** Ghost, Medium and others label the author in Twitter's extra fields: `twitter:label1 = Written by`. */
function writtenBy(meta: ReadonlyMap<string, string>): string | undefined {
  for (const n of ["1", "2"]) {
    if (/^(?:written by|author)$/i.test(meta.get(`twitter:label${n}`)?.trim() ?? "")) return meta.get(`twitter:data${n}`);
  }
  return undefined;
}

function firstDate(candidates: (string | null | undefined)[]): string | null {
  for (const c of candidates) {
    const date = c ? normalizeDate(c) : null;
    if (date) return date;
  }
  return null;
}

/**
 * A published date as `YYYY-MM-DD` (day only) or a UTC instant. Date-times without a zone are read
 * as UTC, so the answer does not depend on the server's time zone.
 */
export function normalizeDate(input: string): string | null {
  const s = decodeLeftovers(input).trim();
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (day) return validDay(Number(day[1]), Number(day[2]), Number(day[3]));
  let iso = s.replace(/^(\d{4}-\d{2}-\d{2})\s+(?=\d)/, "$1T").replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/.test(iso)) iso += "Z";
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const d = new Date(ms);
  if (d.getUTCFullYear() < 1990 || d.getUTCFullYear() > 2100) return null;
  // a date written without a time ("March 5, 2024") was parsed at local midnight: keep its day
  if (!/\d:\d/.test(s)) return validDay(d.getFullYear(), d.getMonth() + 1, d.getDate());
  return d.toISOString();
}

function validDay(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1 || y < 1990 || y > 2100) return null;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

const VIDEO_FILE = /\.(?:mp4|m4v|webm|ogv|mov|m3u8)(?:[?#]|$)/i;

function videoOf(
  meta: ReadonlyMap<string, string>,
  ld: JsonLdFacts | null,
  base: URL,
): VideoRef | null {
  const og = resolveHttp(meta.get("og:video:secure_url"), base) ?? resolveHttp(meta.get("og:video"), base) ?? resolveHttp(meta.get("og:video:url"), base);
  const type = meta.get("og:video:type")?.toLowerCase() ?? "";
  // Flash players are dead: no browser can show them
  if (og && !type.includes("flash")) {
    const file = type.startsWith("video/") || (type === "" && VIDEO_FILE.test(og));
    return { url: og, kind: file ? "file" : "player" };
  }
  const player = resolveHttp(meta.get("twitter:player"), base);
  if (player) return { url: player, kind: "player" };
  const embed = resolveHttp(ld?.video?.embedUrl, base);
  if (embed) return { url: embed, kind: "player" };
  const content = resolveHttp(ld?.video?.contentUrl, base);
  if (content) return { url: content, kind: "file" };
  return null;
}
