import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGuardedFetcher, type GuardedFetcher } from "../src/fetch/client.js";
import { UnfurlError } from "../src/http/errors.js";
import type { Attribute } from "../src/notion/attributes.js";
import { assertValidAttributes } from "../src/notion/validate.js";
import type { LinkMatch, Provider, UnfurlContext } from "../src/providers/types.js";
import { parseDomainPattern } from "../src/providers/web/domains.js";
import { createWebProvider } from "../src/providers/web/index.js";
import type { Account, Grant } from "../src/store/types.js";
import { loadCorpus } from "./fixtures/web/corpus.js";
import { html, redirect, startPageServer, type PageServer } from "./fixtures/web/server.js";

let server: PageServer;
let fetcher: GuardedFetcher;
let provider: Provider;

const ARTICLE = `<!doctype html><html><head><meta charset="utf-8"><title>Launch week | Acme Blog</title>
<meta property="og:title" content="Launch week: five features in five days">
<meta property="og:description" content="Everything we shipped, from webhooks to the new CLI.">
<meta property="og:image" content="/img/launch.png"><meta property="og:site_name" content="Acme Blog">
<meta property="og:type" content="article"><meta property="article:published_time" content="2024-05-06T09:00:00Z">
<meta name="author" content="Jo Park"><link rel="icon" href="/favicon.png"></head><body><p>…</p></body></html>`;

let etag = '"v1"';
let articleBody = ARTICLE;

beforeAll(async () => {
  server = await startPageServer({
    "/blog/launch": (req, res) => {
      if (req.headers["if-none-match"] === etag) return void res.writeHead(304, { etag }).end();
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", etag }).end(articleBody);
    },
    "/video": html(`<head><meta property="og:title" content="Demo"><meta property="og:video" content="https://player.example.test/embed/42">
      <meta property="og:video:type" content="text/html"><meta property="og:image" content="https://img.example.test/42.jpg"></head>`),
    "/oembed-page": (_req, res) =>
      html(`<head><title>Talk</title><link rel="alternate" type="application/json+oembed" href="http://docs.acme.test:${server.port}/oembed.json?u=1"></head>`)(_req, res),
    "/oembed.json": (_req, res) =>
      void res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({ type: "video", version: "1.0", author_name: "Sam", provider_name: "TalkTube", html: '<iframe width="560" src="https://talks.example.test/embed/7?a=1&amp;b=2"></iframe>' }),
      ),
    "/bare": html("<p>no metadata at all</p>"),
    "/shift-jis": (_req, res) => {
      const page = loadCorpus().find((p) => p.name === "news-shift-jis");
      res.writeHead(200, { "content-type": "text/html" }).end(page?.bytes);
    },
    "/gone": (_req, res) => void res.writeHead(410, { "content-type": "text/html" }).end("gone"),
    "/private": (_req, res) => void res.writeHead(403, { "content-type": "text/html" }).end("login"),
    "/broken": (_req, res) => void res.writeHead(500, { "content-type": "text/html" }).end("oops"),
    "/pdf": (_req, res) => void res.writeHead(200, { "content-type": "application/pdf" }).end("%PDF-1.7"),
    "/to-internal": (_req, res) => redirect(`http://10.0.0.5:${server.port}/admin`)(_req, res),
    "/slow": () => {},
  });
  fetcher = createGuardedFetcher({
    allowPrivate: true,
    allowedPorts: [server.port],
    timeoutMs: 1_500,
    resolve: async (host) => (host.endsWith(".acme.test") ? ["127.0.0.1"] : Promise.reject(new Error(`unknown host ${host}`))),
  });
  provider = createWebProvider({ domains: ["*.acme.test", "acme-status.test"], developerName: "Acme Corp", fetcher });
});

afterAll(async () => {
  await fetcher.close();
  await server.close();
});

function context(accountId = "account-1"): UnfurlContext {
  const account: Account = { id: accountId, provider: "github", externalId: "1", login: "octocat", avatarUrl: null, createdAt: 0, updatedAt: 0 };
  const grant: Grant = {
    id: `grant-${accountId}`,
    accountId,
    clientId: "notion",
    notionWorkspaceId: null,
    notionWorkspaceName: null,
    notionBotId: null,
    upstreamTokenSealed: "",
    notionTokenSealed: "",
    createdAt: 0,
  };
  return {
    grant,
    account,
    upstreamToken: () => Promise.reject(new Error("public pages need no upstream token")),
    signal: AbortSignal.timeout(5_000),
  };
}

const url = (path: string) => server.url("docs.acme.test", path);

async function unfurl(path: string, ctx = context()): Promise<Attribute[]> {
  const match = provider.match(new URL(url(path)));
  if (!match) throw new Error(`no match for ${path}`);
  return assertValidAttributes(await provider.unfurl(match, ctx));
}

async function failure(path: string): Promise<{ status: number; message: string }> {
  try {
    await unfurl(path);
  } catch (err) {
    if (err instanceof UnfurlError) return { status: err.status, message: err.message };
    throw err;
  }
  throw new Error(`${path} unfurled`);
}

const byId = (set: Attribute[]) => Object.fromEntries(set.map((a) => [a.id, a]));

describe("web provider: matching", () => {
  const match = (u: string): LinkMatch | null => provider.match(new URL(u));

  it("claims configured hosts only: exact names and subdomains of wildcards, not lookalikes", () => {
    expect(match("https://docs.acme.test/guide#intro")).toMatchObject({ kind: "page", params: { url: "https://docs.acme.test/guide" } });
    expect(match("https://a.b.acme.test/")).not.toBeNull();
    expect(match("https://DOCS.ACME.TEST/x")).not.toBeNull();
    expect(match("https://acme-status.test/incidents/1")).not.toBeNull();
    for (const u of [
      "https://acme.test/", // the wildcard does not claim the apex
      "https://docs.acme.test.evil.test/",
      "https://evilacme.test/",
      "https://evil.test/?u=https://docs.acme.test/",
      "https://docs.acme.test@evil.test/",
      "https://status.acme-status.test/",
      "http://127.0.0.1/",
    ]) {
      expect(match(u), u).toBeNull();
    }
  });

  it("gives Notion one rule per domain whose regex and samples agree with match", () => {
    const rules = provider.dashboardRules();
    expect(rules.map((r) => r.name)).toEqual(["Web pages on *.acme.test", "Web pages on acme-status.test"]);
    for (const rule of rules) {
      const regex = new RegExp(rule.pattern);
      for (const sample of rule.samples) {
        expect(regex.test(sample), sample).toBe(true);
        expect(match(sample), sample).not.toBeNull();
      }
      expect(assertValidAttributes(rule.placeholder.map((a) => a))).toHaveLength(3);
    }
  });

  it("refuses patterns that are not host names", () => {
    for (const bad of ["http://acme.test", "*.", "acme.test/path", "10.0.0.1", "*.*.acme.test", "a b.test"]) {
      expect(() => parseDomainPattern(bad), bad).toThrow(/UNFURL_DOMAINS/);
    }
    expect(parseDomainPattern("Bücher.Example.").regex.test("https://xn--bcher-kva.example/")).toBe(true);
  });
});

describe("web provider: previews", () => {
  it("maps a page's metadata to a valid attribute set", async () => {
    const set = byId(await unfurl("/blog/launch"));
    expect(set.title).toMatchObject({ inline: { title: { value: "Launch week: five features in five days" } } });
    expect(set.description).toMatchObject({ inline: { plain_text: { value: "Everything we shipped, from webhooks to the new CLI.", section: "body" } } });
    expect(set.site).toMatchObject({ inline: { plain_text: { value: "Acme Blog", section: "secondary" } } });
    expect(set.published).toMatchObject({ inline: { datetime: { value: "2024-05-06T09:00:00.000Z" } } });
    expect(set.author).toMatchObject({ inline: { plain_text: { value: "Jo Park" } } });
    expect(set.favicon).toMatchObject({ embed: { src_url: url("/favicon.png"), image: { section: "entity" } } });
    expect(set.media).toMatchObject({ embed: { src_url: url("/img/launch.png"), image: { section: "embed" } } });
    expect(set.identifier).toMatchObject({ inline: { plain_text: { value: `docs.acme.test:${server.port}/blog/launch` } } });
    expect(set.dev).toMatchObject({ inline: { plain_text: { value: "Acme Corp" } } });
  });

  it("embeds a video player from the page's own tags, and from its oEmbed (fetched through the guard)", async () => {
    expect(byId(await unfurl("/video")).media).toMatchObject({ embed: { src_url: "https://player.example.test/embed/42", html: { section: "embed" } } });
    const talk = byId(await unfurl("/oembed-page"));
    expect(talk.media).toMatchObject({ embed: { src_url: "https://talks.example.test/embed/7?a=1&b=2", html: { section: "embed" } } });
    expect(talk.author).toMatchObject({ inline: { plain_text: { value: "Sam" } } });
    expect(talk.site).toMatchObject({ inline: { plain_text: { value: "TalkTube" } } });
  });

  it("falls back to the host name for a page without metadata, and decodes legacy charsets", async () => {
    const bare = byId(await unfurl("/bare"));
    expect(bare.title).toMatchObject({ inline: { title: { value: "docs.acme.test" } } });
    expect(bare.favicon).toMatchObject({ embed: { src_url: url("/favicon.ico") } });
    expect(byId(await unfurl("/shift-jis")).title).toMatchObject({ inline: { title: { value: "東京の桜、観測史上最も早い開花を発表" } } });
  });

  it("revalidates with the page's ETag per account, and serves a 304 from its cache", async () => {
    etag = '"v1"';
    articleBody = ARTICLE;
    const conditional = () => server.requests.filter((r) => r.path === "/blog/launch" && r.headers["if-none-match"]).length;
    const first = await unfurl("/blog/launch", context("acct-a"));
    const before = conditional();
    expect(await unfurl("/blog/launch", context("acct-a"))).toEqual(first);
    expect(conditional()).toBe(before + 1);
    // another account has its own entry: a plain request, no validator
    await unfurl("/blog/launch", context("acct-b"));
    expect(conditional()).toBe(before + 1);
    // the page changes: a new ETag, a new preview
    etag = '"v2"';
    articleBody = ARTICLE.replace("five features in five days", "six features in five days");
    expect(byId(await unfurl("/blog/launch", context("acct-a"))).title).toMatchObject({ inline: { title: { value: "Launch week: six features in five days" } } });
  });
});

describe("web provider: failures", () => {
  it("answers 404 for missing and gone pages, 403 for login walls, 503 for broken sites", async () => {
    expect(await failure("/nothing-here")).toMatchObject({ status: 404 });
    expect(await failure("/gone")).toMatchObject({ status: 404 });
    expect(await failure("/private")).toMatchObject({ status: 403 });
    expect(await failure("/broken")).toMatchObject({ status: 503 });
  });

  it("answers 422 with a clear message for refused fetches, 504 for a timeout", async () => {
    expect(await failure("/pdf")).toEqual({ status: 422, message: "This link is not a web page." });
    const internal = await failure("/to-internal");
    expect(internal.status).toBe(422);
    expect(internal.message).toMatch(/IP address/);
    expect(internal.message).not.toMatch(/10\.0\.0\.5/);
    expect(await failure("/slow")).toMatchObject({ status: 504 });
  });
});
