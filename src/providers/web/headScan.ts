import { Parser } from "htmlparser2";

/**
 * A streaming scan of the part of a page that carries its metadata. Text is written in chunks as
 * it arrives; htmlparser2's tokenizer emits tags, and this collects the raw values previews use
 * (meta tags, links, `<title>`, `<base>`, JSON-LD) and decides when it has seen enough:
 *
 * - at `</head>` (or `<body>`) when the head held structured metadata (Open Graph, Twitter card
 *   or JSON-LD): sites that publish it publish all of it there. One exception: an Open Graph
 *   article without a published time and without JSON-LD in the head (dev.to, many CMSs) keeps
 *   its author and date in a JSON-LD block in the body;
 * - otherwise it goes on into the body, where some sites put their JSON-LD, until a JSON-LD block
 *   ends or the caller's budget runs out;
 * - at `</html>`.
 *
 * When done it pauses the tokenizer, so the rest of a written chunk is never tokenized.
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
  /** Flushes the tokenizer and answers what was collected. */
  finish(): RawHead;
}

export interface HeadScanOptions {
  /** Called on the first charset declared in the markup (the byte reader may restart with it). */
  onCharset?: (label: string) => void;
}

const STRUCTURED = /^(?:og:|twitter:)/;

export function createHeadScan(opts: HeadScanOptions = {}): HeadScan {
  const raw: RawHead = {
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
  let done = false;
  let headClosed = false;
  let structured = false;
  let svgDepth = 0;
  let capture: "title" | "jsonld" | null = null;
  let buffer = "";

  const finishScan = () => {
    done = true;
    parser.pause();
  };
  const closeHead = () => {
    if (headClosed) return;
    headClosed = true;
    const articleWithoutDate =
      raw.meta.get("og:type")?.trim().toLowerCase() === "article" &&
      !raw.meta.has("article:published_time") &&
      raw.jsonLd.length === 0;
    if (structured && !articleWithoutDate) finishScan();
  };

  const setMeta = (key: string, value: string) => {
    if (!raw.meta.has(key)) raw.meta.set(key, value);
    if (!structured && STRUCTURED.test(key)) structured = true;
  };

  const declareCharset = (label: string) => {
    if (raw.charset !== null || label === "") return;
    raw.charset = label;
    opts.onCharset?.(label);
  };

  const onMeta = (a: Record<string, string>) => {
    if (a.charset !== undefined) declareCharset(a.charset.trim());
    const value = (a.content ?? a.value ?? "").trim();
    if (a["http-equiv"]?.toLowerCase() === "content-type") {
      const m = /charset\s*=\s*["']?([^"';\s]+)/i.exec(value);
      if (m?.[1]) declareCharset(m[1]);
    }
    if (value === "") return;
    for (const attr of ["property", "name"]) {
      const keys = a[attr];
      if (keys) for (const key of keys.toLowerCase().split(/\s+/)) if (key) setMeta(key, value);
    }
    if (a.itemprop) setMeta(`itemprop:${a.itemprop.trim().toLowerCase()}`, value);
  };

  const onLink = (a: Record<string, string>) => {
    const href = a.href?.trim();
    if (!href || !a.rel) return;
    const rels = a.rel.toLowerCase().split(/\s+/);
    if (rels.includes("canonical")) raw.canonical ??= href;
    if (rels.includes("icon")) raw.icon ??= href;
    if (rels.includes("apple-touch-icon") || rels.includes("apple-touch-icon-precomposed")) raw.appleTouchIcon ??= href;
    if (rels.includes("image_src")) raw.imageSrc ??= href;
    if (rels.includes("alternate") && a.type?.trim().toLowerCase() === "application/json+oembed") raw.oembedJson ??= href;
  };

  const parser = new Parser(
    {
      onopentag(name, a) {
        switch (name) {
          case "meta":
            return onMeta(a);
          case "link":
            return onLink(a);
          case "title":
            if (svgDepth === 0 && raw.title === null) {
              capture = "title";
              buffer = "";
            }
            return;
          case "script":
            if (a.type?.trim().toLowerCase() === "application/ld+json") {
              capture = "jsonld";
              buffer = "";
            }
            return;
          case "base":
            if (a.href?.trim()) raw.base ??= a.href.trim();
            return;
          case "svg":
            svgDepth++;
            return;
          case "body":
            return closeHead();
        }
      },
      ontext(text) {
        if (capture !== null) buffer += text;
      },
      onclosetag(name) {
        switch (name) {
          case "title":
            if (capture === "title") {
              raw.title = buffer;
              capture = null;
            }
            return;
          case "script":
            if (capture === "jsonld") {
              raw.jsonLd.push(buffer);
              capture = null;
              structured = true;
              // JSON-LD found in the body is what we went on reading for
              if (headClosed) finishScan();
            }
            return;
          case "svg":
            if (svgDepth > 0) svgDepth--;
            return;
          case "head":
            return closeHead();
          case "html":
            return finishScan();
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );

  return {
    write(text) {
      if (!done) parser.write(text);
      return done;
    },
    get done() {
      return done;
    },
    finish() {
      if (!done) {
        done = true;
        parser.end();
      }
      // a title cut off by the budget is still the title
      if (capture === "title" && raw.title === null) raw.title = buffer;
      return raw;
    },
  };
}
