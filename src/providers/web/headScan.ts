import { decodeHTML, decodeHTMLAttribute } from "entities";

/**
 * A streaming scan of the part of a page that carries its metadata. Text is written in chunks as
 * it arrives and tokenized the way HTML's tokenizer does for what matters here: comments,
 * doctypes and bogus comments are skipped, raw-text elements (`script`, `style`, `title`,
 * `noscript` …) are jumped over to their end tag, start tags are split into attributes with the
 * quoting rules (first of duplicate attributes wins, entities decoded), and no tree is built.
 * Only `meta`, `link`, `title`, `base`, JSON-LD `script` and the structure tags are looked at;
 * every other tag costs a quote-aware search for its `>`.
 *
 * It decides when it has seen enough:
 * - at `</head>` (or `<body>`) when the head held structured metadata (Open Graph, Twitter card
 *   or JSON-LD): sites that publish it publish all of it there. One exception: an Open Graph
 *   article without a published time and without JSON-LD in the head (dev.to, many CMSs) keeps
 *   its author and date in a JSON-LD block in the body;
 * - otherwise it goes on into the body, where some sites put their JSON-LD, until a JSON-LD block
 *   ends or the caller's budget runs out;
 * - at `</html>`.
 * The rest of a written chunk is then never looked at.
 */

export interface RawHead {
  /** First non-empty value per key: `og:title`, `twitter:image`, `description`, `itemprop:name` … (keys lowercase). */
  meta: Map<string, string>;
  /** The first `<title>` outside SVG, as written (entities decoded). */
  title: string | null;
  canonical: string | null;
  /** First `rel=icon` / `shortcut icon` link. */
  icon: string | null;
  appleTouchIcon: string | null;
  imageSrc: string | null;
  oembedJson: string | null;
  base: string | null;
  /** Raw texts of `<script type="application/ld+json">`. */
  jsonLd: string[];
  /** The first charset the markup declares (`<meta charset>` or `http-equiv`). */
  charset: string | null;
}

export interface HeadScan {
  /** Tokenizes `text`; answers true once the scan is done (the rest of `text` is then ignored). */
  write(text: string): boolean;
  readonly done: boolean;
  /** Flushes what is left and answers what was collected. */
  finish(): RawHead;
}

export interface HeadScanOptions {
  /** Called on the first charset declared in the markup (the byte reader may restart with it). */
  onCharset?: (label: string) => void;
}

/** Elements whose content is text up to their end tag (with scripting on, as browsers parse). */
const RAW_TEXT = new Set(["script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"]);
/** Tags whose attributes we read; the others are only skipped. */
const READ_ATTRIBUTES = new Set(["meta", "link", "base", "script"]);
const STRUCTURED = /^(?:og:|twitter:)/;

type Attributes = Map<string, string>;

export function createHeadScan(opts: HeadScanOptions = {}): HeadScan {
  return new HeadScanner(opts.onCharset);
}

/** A class rather than closures: one scanner per page read, so per-instance setup stays small. */
class HeadScanner implements HeadScan {
  private readonly raw: RawHead = {
    meta: new Map(),
    title: null,
    canonical: null,
    icon: null,
    appleTouchIcon: null,
    imageSrc: null,
    oembedJson: null,
    base: null,
    jsonLd: [],
    charset: null,
  };
  done = false;
  private headClosed = false;
  private structured = false;
  private svgDepth = 0;
  /** Inside a raw-text element: its name. */
  private rawTag: string | null = null;
  /** Whether that element's text is one we keep. */
  private capture: "title" | "jsonld" | null = null;
  private captured = "";
  /** Text written but not yet tokenized (an incomplete construct at the end of a chunk). */
  private pending = "";

  constructor(private readonly onCharset?: (label: string) => void) {}

  write(text: string): boolean {
    if (this.done) return true;
    const s = this.pending === "" ? text : this.pending + text;
    this.pending = s.slice(this.run(s, false));
    return this.done;
  }

  finish(): RawHead {
    if (!this.done && this.pending !== "") this.run(this.pending, true);
    else if (!this.done && this.rawTag !== null) this.endRawText();
    this.pending = "";
    this.done = true;
    return this.raw;
  }

  private closeHead(): void {
    if (this.headClosed) return;
    this.headClosed = true;
    const meta = this.raw.meta;
    const articleWithoutDate =
      meta.get("og:type")?.trim().toLowerCase() === "article" && !meta.has("article:published_time") && this.raw.jsonLd.length === 0;
    if (this.structured && !articleWithoutDate) this.done = true;
  }

  private setMeta(key: string, value: string): void {
    if (!this.raw.meta.has(key)) this.raw.meta.set(key, value);
    if (!this.structured && STRUCTURED.test(key)) this.structured = true;
  }

  private declareCharset(label: string): void {
    if (this.raw.charset !== null || label === "") return;
    this.raw.charset = label;
    this.onCharset?.(label);
  }

  private onMeta(a: Attributes): void {
    const charset = a.get("charset");
    if (charset !== undefined) this.declareCharset(charset.trim());
    const value = (a.get("content") ?? a.get("value") ?? "").trim();
    if (a.get("http-equiv")?.toLowerCase() === "content-type") {
      const m = /charset\s*=\s*["']?([^"';\s]+)/i.exec(value);
      if (m?.[1]) this.declareCharset(m[1]);
    }
    if (value === "") return;
    for (const keys of [a.get("property"), a.get("name")]) {
      if (keys) for (const key of keys.toLowerCase().split(/\s+/)) if (key) this.setMeta(key, value);
    }
    const itemprop = a.get("itemprop");
    if (itemprop) this.setMeta(`itemprop:${itemprop.trim().toLowerCase()}`, value);
  }

  private onLink(a: Attributes): void {
    const href = a.get("href")?.trim();
    const rel = a.get("rel");
    if (!href || !rel) return;
    const raw = this.raw;
    const rels = rel.toLowerCase().split(/\s+/);
    if (rels.includes("canonical")) raw.canonical ??= href;
    if (rels.includes("icon")) raw.icon ??= href;
    if (rels.includes("apple-touch-icon") || rels.includes("apple-touch-icon-precomposed")) raw.appleTouchIcon ??= href;
    if (rels.includes("image_src")) raw.imageSrc ??= href;
    if (rels.includes("alternate") && a.get("type")?.trim().toLowerCase() === "application/json+oembed") raw.oembedJson ??= href;
  }

  private onOpen(name: string, a: Attributes | null): void {
    switch (name) {
      case "meta":
        return a ? this.onMeta(a) : undefined;
      case "link":
        return a ? this.onLink(a) : undefined;
      case "base": {
        const href = a?.get("href")?.trim();
        if (href) this.raw.base ??= href;
        return;
      }
      case "title":
        if (this.svgDepth === 0 && this.raw.title === null) this.capture = "title";
        return;
      case "script":
        if (a?.get("type")?.trim().toLowerCase() === "application/ld+json") this.capture = "jsonld";
        return;
      case "svg":
        this.svgDepth++;
        return;
      case "body":
        return this.closeHead();
    }
  }

  private onClose(name: string): void {
    switch (name) {
      case "svg":
        if (this.svgDepth > 0) this.svgDepth--;
        return;
      case "head":
        return this.closeHead();
      case "html":
        this.done = true;
        return;
    }
  }

  /** The raw-text element ends: keep its text when it is one we capture. */
  private endRawText(): void {
    if (this.capture === "title") this.raw.title = decodeHTML(this.captured);
    else if (this.capture === "jsonld") {
      this.raw.jsonLd.push(this.captured);
      this.structured = true;
      // JSON-LD found in the body is what we went on reading for
      if (this.headClosed) this.done = true;
    }
    this.rawTag = null;
    this.capture = null;
    this.captured = "";
  }

  /**
   * Tokenizes `s` from the start; answers the index up to which it consumed. When `final`, an
   * incomplete construct at the end is resolved the way HTML does at end of file.
   */
  private run(s: string, final: boolean): number {
    let i = 0;
    while (!this.done && i < s.length) {
      const rawTag = this.rawTag;
      if (rawTag !== null) {
        const end = findEndTag(s, i, rawTag);
        if (end < 0) {
          // keep the tail that could be the start of the end tag; the rest is content
          const keep = final ? s.length : Math.max(i, s.length - rawTag.length - 2);
          if (this.capture) this.captured += s.slice(i, keep);
          if (final) this.endRawText();
          return keep;
        }
        if (this.capture) this.captured += s.slice(i, end);
        this.endRawText();
        i = end; // the end tag itself is read as a tag below
        continue;
      }
      const lt = s.indexOf("<", i);
      if (lt < 0) return s.length;
      if (lt + 1 >= s.length) return final ? s.length : lt;
      const c = s.charCodeAt(lt + 1);
      if (c === 33 /* ! */) {
        const comment = s.startsWith("<!--", lt);
        const end = comment ? s.indexOf("-->", lt + 2) : s.indexOf(">", lt + 2);
        if (end < 0) return final ? s.length : lt;
        i = end + (comment ? 3 : 1);
      } else if (c === 63 /* ? */) {
        const end = s.indexOf(">", lt + 2);
        if (end < 0) return final ? s.length : lt;
        i = end + 1;
      } else if (c === 47 /* / */) {
        const tag = readTag(s, lt + 2, false);
        if (tag === null) return final ? s.length : lt;
        if (tag.name !== "") this.onClose(tag.name);
        i = tag.end;
      } else if (isAlpha(c)) {
        const tag = readTag(s, lt + 1, true);
        if (tag === null) return final ? s.length : lt;
        const inSvg = this.svgDepth > 0;
        this.onOpen(tag.name, tag.attributes);
        // foreign content (SVG) has no raw-text elements but these two
        if (RAW_TEXT.has(tag.name) && (!inSvg || tag.name === "script" || tag.name === "style") && !(inSvg && tag.selfClosing)) {
          this.rawTag = tag.name;
        } else {
          this.capture = null;
        }
        if (tag.name === "svg" && tag.selfClosing) this.svgDepth--;
        i = tag.end;
      } else {
        i = lt + 1;
      }
    }
    return i;
  }
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 12 || c === 13;
}

/** Index of the `<` of `</name` (case-insensitive, followed by a tag-name end), or -1. */
function findEndTag(s: string, from: number, name: string): number {
  let at = from;
  for (;;) {
    const lt = s.indexOf("</", at);
    if (lt < 0 || lt + 2 + name.length > s.length) return -1;
    if (s.slice(lt + 2, lt + 2 + name.length).toLowerCase() === name) {
      const after = s.charCodeAt(lt + 2 + name.length);
      if (Number.isNaN(after)) return -1;
      if (isSpace(after) || after === 47 || after === 62) return lt;
    }
    at = lt + 2;
  }
}

interface Tag {
  /** Lowercase; "" for a bogus end tag (`</ >`), which is skipped. */
  name: string;
  attributes: Attributes | null;
  selfClosing: boolean;
  /** Index just past the `>`. */
  end: number;
}

const NAME_END = /[\t\n\f\r />]/g;
const TAG_END = /["'>]/g;

/**
 * One attribute, or the tag's `>`: optional spaces and slashes, then a name, then optionally `=`
 * and a double-quoted, single-quoted or unquoted value. Sticky, so each match starts where the
 * last one ended.
 */
const ATTRIBUTE = /[\t\n\f\r /]*(?:(>)|([^\t\n\f\r />][^\t\n\f\r />=]*)(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"|'([^']*)'|([^\t\n\f\r >]*)))?)/y;

/**
 * Reads a tag from just after `<` (or `</`) to its `>`, honouring quoted attribute values; null
 * when the text ends first. Attributes are collected only for the tags we read.
 */
function readTag(s: string, from: number, open: boolean): Tag | null {
  NAME_END.lastIndex = from;
  if (NAME_END.exec(s) === null) return null;
  const i = NAME_END.lastIndex - 1;
  const name = s.slice(from, i).toLowerCase();
  if (!open || !READ_ATTRIBUTES.has(name)) return skipTag(s, i, name);
  const attributes = new Map<string, string>();
  ATTRIBUTE.lastIndex = i;
  for (;;) {
    const at = ATTRIBUTE.lastIndex;
    const m = ATTRIBUTE.exec(s);
    if (m === null) return null;
    if (m[1] !== undefined) {
      const end = ATTRIBUTE.lastIndex;
      return { name, attributes, selfClosing: s.charCodeAt(end - 2) === 47 && end - 2 >= at, end };
    }
    // the text ends inside the tag: a name or value may go on in the next chunk
    if (ATTRIBUTE.lastIndex >= s.length) return null;
    const unquoted = m[5];
    // an opening quote without its closing one: the value goes on in the next chunk
    if (unquoted !== undefined && (unquoted.startsWith('"') || unquoted.startsWith("'"))) return null;
    const key = (m[2] as string).toLowerCase();
    if (!attributes.has(key)) {
      const value = m[3] ?? m[4] ?? unquoted ?? "";
      attributes.set(key, value.includes("&") ? decodeHTMLAttribute(value) : value);
    }
  }
}

/**
 * The end of a tag whose attributes we do not need: the next `>` that is not inside a quoted
 * value (a quote opens a value only right after `=`).
 */
function skipTag(s: string, from: number, name: string): Tag | null {
  let i = from;
  for (;;) {
    TAG_END.lastIndex = i;
    const m = TAG_END.exec(s);
    if (m === null) return null;
    const at = m.index;
    if (s.charCodeAt(at) === 62) return { name, attributes: null, selfClosing: s.charCodeAt(at - 1) === 47, end: at + 1 };
    let k = at - 1;
    while (k > from && isSpace(s.charCodeAt(k))) k--;
    if (s.charCodeAt(k) === 61 /* = */) {
      const close = s.indexOf(m[0], at + 1);
      if (close < 0) return null;
      i = close + 1;
    } else {
      i = at + 1;
    }
  }
}
