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
  const meta = (key: string) => raw.meta.get(key);
  const ld: JsonLdFacts | null = raw.jsonLd.length > 0 ? jsonLdFacts(raw.jsonLd) : null;
  const base = baseOf(raw.base, documentUrl);
  const link = (href: string | null | undefined) => resolveHttp(href, base);

  return {
    title: firstText(meta("og:title"), meta("twitter:title"), ld?.title, raw.title, meta("itemprop:name")),
    description: firstText(
      meta("og:description"),
      meta("twitter:description"),
      meta("description"),
      ld?.description,
      meta("itemprop:description"),
    ),
    image: firstUrl(link, [
      meta("og:image:secure_url"),
      meta("og:image"),
      meta("og:image:url"),
      meta("twitter:image"),
      meta("twitter:image:src"),
      ld?.image,
      raw.imageSrc,
      meta("itemprop:image"),
    ]),
    siteName: firstText(
      meta("og:site_name"),
      ld?.siteName,
      ld?.publisher,
      meta("application-name"),
      meta("apple-mobile-web-app-title"),
    ),
    url: firstUrl(link, [meta("og:url"), raw.canonical, ld?.url]) ?? documentUrl,
    favicon: firstUrl(link, [raw.icon, raw.appleTouchIcon]) ?? new URL("/favicon.ico", documentUrl).href,
    author: firstText(
      meta("author"),
      ld?.author,
      notUrl(meta("article:author")),
      meta("dc.creator"),
      meta("parsely-author"),
      meta("sailthru.author"),
      writtenBy(meta),
    ),
    publishedAt: firstDate([...DATE_KEYS.slice(0, 3).map(meta), ld?.publishedAt, ...DATE_KEYS.slice(3).map(meta)]),
    type: firstText(meta("og:type")?.toLowerCase(), ld?.type),
    oembedUrl: link(raw.oembedJson),
    video: videoOf(meta, ld, link),
  };
}

/** `<base href>` resolved against the document, when it is http(s); else the document URL. */
function baseOf(href: string | null, documentUrl: string): string {
  return resolveHttp(href, documentUrl) ?? documentUrl;
}

export function resolveHttp(href: string | null | undefined, base: string): string | null {
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

function firstUrl(link: (href: string | null | undefined) => string | null, candidates: (string | null | undefined)[]) {
  for (const c of candidates) {
    const url = link(c);
    if (url) return url;
  }
  return null;
}

const LEFTOVER_ENTITY = /&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/i;

/** htmlparser2 decoded the markup once; a value still holding entities was encoded twice by the site. */
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
function writtenBy(meta: (key: string) => string | undefined): string | undefined {
  for (const n of ["1", "2"]) {
    if (/^(?:written by|author)$/i.test(meta(`twitter:label${n}`)?.trim() ?? "")) return meta(`twitter:data${n}`);
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
  meta: (key: string) => string | undefined,
  ld: JsonLdFacts | null,
  link: (href: string | null | undefined) => string | null,
): VideoRef | null {
  const og = link(meta("og:video:secure_url")) ?? link(meta("og:video")) ?? link(meta("og:video:url"));
  const type = meta("og:video:type")?.toLowerCase() ?? "";
  // Flash players are dead: no browser can show them
  if (og && !type.includes("flash")) {
    const file = type.startsWith("video/") || (type === "" && VIDEO_FILE.test(og));
    return { url: og, kind: file ? "file" : "player" };
  }
  const player = link(meta("twitter:player"));
  if (player) return { url: player, kind: "player" };
  const embed = link(ld?.video?.embedUrl);
  if (embed) return { url: embed, kind: "player" };
  const content = link(ld?.video?.contentUrl);
  if (content) return { url: content, kind: "file" };
  return null;
}
