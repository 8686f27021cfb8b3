import type { CorpusPage } from "../test/fixtures/web/corpus.js";

/**
 * Is a contender's value for one field the golden one? The same lenient rules for everybody:
 * texts compare after whitespace and typographic-quote normalisation (metascraper "smartens"
 * quotes; that is a style, not an error); URLs after resolving against the page URL (ogs hands
 * back relative ones as written); dates as the same instant, or the same day when the golden has
 * only a day; video by its URL. An empty value counts as none.
 */

const URL_FIELDS = new Set(["image", "url", "favicon", "oembedUrl", "video"]);

function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = String(v)
    .replace(/[\u2018\u2019\u201b\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e\u2033]/g, '"')
    .replace(/\u2026/g, "...")
    .replace(/\s+/g, " ")
    .trim();
  return s === "" ? null : s;
}

function url(v: unknown, base: string): string | null {
  const raw = typeof v === "object" && v !== null && "url" in v ? (v as { url: unknown }).url : v;
  const s = text(raw);
  if (!s) return null;
  try {
    return new URL(s, base).href;
  } catch {
    return s;
  }
}

function day(v: string): string | null {
  const iso = /^(\d{4}-\d{2}-\d{2})/.exec(v)?.[1];
  if (iso) return iso;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().slice(0, 10);
}

function date(got: unknown, want: string): boolean {
  const g = text(got);
  if (!g) return false;
  if (/^\d{4}-\d{2}-\d{2}$/.test(want)) return day(g) === want;
  const ms = Date.parse(g);
  return !Number.isNaN(ms) && ms === Date.parse(want);
}

export function correct(field: string, got: unknown, page: CorpusPage): boolean {
  const want = (page.expected as unknown as Record<string, unknown>)[field];
  if (want === null || want === undefined) {
    return (URL_FIELDS.has(field) ? url(got, page.url) : text(got)) === null;
  }
  if (field === "publishedAt") return date(got, String(want));
  if (URL_FIELDS.has(field)) return url(got, page.url) === url(want, page.url);
  return text(got) === text(want);
}
