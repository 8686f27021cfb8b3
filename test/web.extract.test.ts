import { describe, expect, it } from "vitest";
import { parseContentType } from "../src/fetch/client.js";
import { extract } from "../src/providers/web/extract.js";
import { jsonLdFacts, parseLenient } from "../src/providers/web/jsonld.js";
import { normalizeDate, toMetadata } from "../src/providers/web/metadata.js";
import { readHead } from "../src/providers/web/readHead.js";
import { FIELDS, loadCorpus, type CorpusPage } from "./fixtures/web/corpus.js";

const corpus = loadCorpus();

/**
 * Fields the corpus publishes where the extractor, by design, does not look: JSON-LD in the body
 * of a page whose head already had Open Graph (`website`), or past the byte budget. Listed so the
 * test says so out loud, and checked to still be gaps so the list cannot go stale.
 */
const KNOWN_GAPS: Record<string, string[]> = {
  "wiki-article": ["author", "publishedAt"],
  "big-no-structured-jsonld-at-end": ["title", "author", "publishedAt", "type"],
};

function chunks(bytes: Buffer, size: number): Buffer[] {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  return parts;
}

describe("the extraction corpus", () => {
  it("has at least 50 pages across every category, big ones included", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(50);
    const categories = new Set(corpus.map((p) => p.category));
    for (const c of ["news", "blog", "product", "docs", "video", "jsonld", "legacy-charset", "malformed", "big"]) {
      expect(categories, c).toContain(c);
    }
    const big = corpus.filter((p) => p.bytes.length >= 500_000);
    expect(big.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...big.map((p) => p.bytes.length))).toBeGreaterThanOrEqual(2_000_000);
  });

  it.each(corpus.map((p) => [p.name, p] as [string, CorpusPage]))("%s: extract(html) matches the golden", (_name, page) => {
    const got = extract(page.html, page.url);
    const gaps = KNOWN_GAPS[page.name] ?? [];
    for (const field of FIELDS) {
      if (gaps.includes(field)) expect(got[field], `${field} is a known gap`).not.toEqual(page.expected[field]);
      else expect(got[field], field).toEqual(page.expected[field]);
    }
  });

  it.each(corpus.map((p) => [p.name, p] as [string, CorpusPage]))(
    "%s: the byte path (charset sniffing, chunked) agrees with the string path",
    async (_name, page) => {
      const fromString = extract(page.html, page.url);
      const [, charset] = parseContentType(page.contentType);
      // one chunk, and 1-byte chunks: multi-byte characters split at every possible place
      for (const size of [page.bytes.length, 1]) {
        if (size === 1 && page.bytes.length > 100_000) continue;
        const head = await readHead(chunks(page.bytes, size), { headerCharset: charset });
        expect(toMetadata(head.raw, page.url)).toEqual(fromString);
      }
    },
  );

  it("reads 0.5–2 MB pages up to the chunk where their metadata ends, never past the budget", async () => {
    const chunk = 16 * 1024;
    const budget = 256 * 1024;
    for (const page of corpus.filter((p) => p.bytes.length >= 500_000)) {
      // where the metadata ends: the head, or the body's first JSON-LD when the head has none
      const head = page.bytes.indexOf("</head>");
      const firstLd = page.bytes.indexOf("</script>", page.bytes.indexOf("application/ld+json"));
      const structuredHead = /og:|twitter:|ld\+json/.test(page.bytes.subarray(0, head).toString("latin1"));
      const end = structuredHead ? head + "</head>".length : firstLd > 0 && firstLd < budget ? firstLd : budget;
      const read = await readHead(chunks(page.bytes, chunk));
      expect(read.bytes, page.name).toBeGreaterThanOrEqual(Math.min(end, budget));
      expect(read.bytes, page.name).toBeLessThanOrEqual(Math.min(end + chunk, budget));
    }
  });
});

describe("extract", () => {
  const base = "https://example.test/a/b.html";

  it("never looks past the budget", () => {
    const html = `<html><head><title>t</title>${"<!-- pad -->".repeat(100)}<meta property="og:title" content="late"></head></html>`;
    expect(extract(html, base, { budget: 200 }).title).toBe("t");
    expect(extract(html, base).title).toBe("late");
  });

  it("keeps only http(s) URLs and resolves them against <base href> and the page", () => {
    const got = extract(
      `<head><base href="/static/"><meta property="og:image" content="javascript:alert(1)">
       <meta name="twitter:image" content="img/x.png"><link rel="icon" href="data:image/png;base64,AAAA">
       <link rel="apple-touch-icon" href="../touch.png"></head>`,
      base,
    );
    expect(got.image).toBe("https://example.test/static/img/x.png");
    expect(got.favicon).toBe("https://example.test/touch.png");
  });

  it("classifies video: players versus files, and ignores Flash", () => {
    const video = (tags: string) => extract(`<head>${tags}</head>`, base).video;
    expect(video('<meta property="og:video" content="https://v.test/embed/1"><meta property="og:video:type" content="text/html">')).toEqual({
      url: "https://v.test/embed/1",
      kind: "player",
    });
    expect(video('<meta property="og:video" content="https://v.test/a.webm?x=1">')).toEqual({ url: "https://v.test/a.webm?x=1", kind: "file" });
    expect(video('<meta property="og:video" content="https://v.test/p.swf"><meta property="og:video:type" content="application/x-shockwave-flash">')).toBeNull();
  });
});

describe("the head scanner tokenizes as HTML does", () => {
  const title = (html: string) => extract(html, "https://example.test/").title;

  it("honours quotes, comments, raw text and first-of-duplicate attributes", () => {
    expect(title('<meta content="a > b" property="og:title">')).toBe("a > b");
    expect(title('<!-- <meta property="og:title" content="no"> --><title>yes</title>')).toBe("yes");
    expect(title(`<script>var s = "<meta property='og:title' content='no'>";</SCRIPT ><meta property="og:title" content="yes">`)).toBe("yes");
    expect(title('<noscript><meta property="og:title" content="no"></noscript><title>yes</title>')).toBe("yes");
    expect(title("<meta property=og:title content=unquoted/value>")).toBe("unquoted/value");
    expect(title('<meta property="og:title" property="og:description" content="first">')).toBe("first");
    expect(title('<style>p::after{content:"</title>"}</style><title>a &amp; b</title>')).toBe("a & b");
  });

  it("resolves constructs cut off by the end of the page like a browser", () => {
    expect(title("<title>Half a title")).toBe("Half a title");
    expect(title('<title>t</title><meta property="og:title" content="never closed')).toBe("t");
    expect(title("<title>t</title><!-- unterminated comment <meta property=og:title content=x>")).toBe("t");
  });
});

describe("JSON-LD", () => {
  it("parses the usual breakage: comment wrappers, raw newlines, trailing commas; gives up on garbage", () => {
    expect(parseLenient('<!-- {"a": "x\ny",} -->')).toEqual({ a: "x y" });
    expect(parseLenient('/*<![CDATA[*/{"a":[1,2,],}/*]]>*/')).toEqual({ a: [1, 2] });
    expect(parseLenient("{not json")).toBeUndefined();
  });

  it("picks the content node over pages and sites, and follows @id references", () => {
    const facts = jsonLdFacts([
      JSON.stringify({
        "@graph": [
          { "@type": "WebPage", "@id": "p", name: "Page" },
          { "@type": ["Thing", "schema:BlogPosting"], headline: "Post", author: { "@id": "#me" }, image: { "@id": "#img" } },
          { "@type": "Person", "@id": "#me", givenName: "Ada", familyName: "Lovelace" },
          { "@type": "ImageObject", "@id": "#img", contentUrl: "/i.png" },
          { "@type": "http://schema.org/WebSite", name: "Site" },
        ],
      }),
    ]);
    expect(facts).toMatchObject({ title: "Post", author: "Ada Lovelace", image: "/i.png", siteName: "Site", type: "article" });
  });
});

describe("normalizeDate", () => {
  it("answers days as YYYY-MM-DD and instants in UTC, whatever the server's time zone", () => {
    expect(normalizeDate("2024-03-05")).toBe("2024-03-05");
    expect(normalizeDate("2024-03-05T10:00:00+0100")).toBe("2024-03-05T09:00:00.000Z");
    expect(normalizeDate("2024-03-05 10:00")).toBe("2024-03-05T10:00:00.000Z");
    expect(normalizeDate("Tue, 05 Mar 2024 16:20:00 GMT")).toBe("2024-03-05T16:20:00.000Z");
    expect(normalizeDate("March 5, 2024")).toBe("2024-03-05");
  });

  it("refuses what is not a plausible date", () => {
    for (const bad of ["2024-02-30", "yesterday", "1850-01-01", "", "12345678901234"]) expect(normalizeDate(bad), bad).toBeNull();
  });
});
