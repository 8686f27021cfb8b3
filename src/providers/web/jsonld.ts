/**
 * JSON-LD (schema.org) blocks → the few facts a preview needs. Sites publish JSON-LD in every
 * shape: one object, an array, a `@graph` whose nodes point at each other by `@id` (Yoast and most
 * CMS plugins), types as arrays or full IRIs, and JSON that is not quite JSON. We read all of it
 * leniently, pick the node the page is about, and follow references one level.
 */

export interface JsonLdFacts {
  title: string | null;
  description: string | null;
  image: string | null;
  url: string | null;
  author: string | null;
  publishedAt: string | null;
  siteName: string | null;
  publisher: string | null;
  /** The main node's type in Open Graph vocabulary where one exists (`article`, `product` …). */
  type: string | null;
  video: { embedUrl: string | null; contentUrl: string | null } | null;
}

type Node = Record<string, unknown>;

const ARTICLE = new Set([
  "article", "newsarticle", "blogposting", "techarticle", "scholarlyarticle", "report", "liveblogposting",
  "analysisnewsarticle", "opinionnewsarticle", "reportagenewsarticle", "backgroundnewsarticle",
  "reviewnewsarticle", "socialmediaposting", "discussionforumposting", "advertisercontentarticle",
  "satiricalarticle", "medicalscholarlyarticle",
]);
const SOFTWARE = new Set(["softwareapplication", "webapplication", "mobileapplication", "videogame"]);
const PRODUCT = new Set(["product", "productgroup", "productmodel", "individualproduct", "vehicle", "car"]);
const WEB_PAGE = new Set([
  "webpage", "itempage", "aboutpage", "faqpage", "collectionpage", "profilepage", "qapage", "searchresultspage",
  "contactpage", "checkoutpage", "medicalwebpage", "realestatelisting",
]);
/** Other things a page can be about, after articles, products, videos and software. */
const OTHER_CONTENT = new Set([
  "recipe", "event", "book", "movie", "tvseries", "tvepisode", "course", "jobposting", "podcastepisode",
  "podcastseries", "musicrecording", "musicalbum", "musicplaylist", "dataset", "howto", "review", "creativework",
  "photograph", "imageobject", "audioobject", "localbusiness", "restaurant", "hotel", "place",
]);

/** Lower tier is better: what the page is about, then the page itself. */
function tier(types: string[]): number {
  if (types.some((t) => ARTICLE.has(t) || PRODUCT.has(t) || SOFTWARE.has(t) || t === "videoobject")) return 0;
  if (types.some((t) => OTHER_CONTENT.has(t))) return 1;
  if (types.some((t) => WEB_PAGE.has(t))) return 2;
  return 3;
}

function ogType(types: string[]): string | null {
  if (types.some((t) => ARTICLE.has(t))) return "article";
  if (types.some((t) => PRODUCT.has(t))) return "product";
  if (types.includes("videoobject")) return "video.other";
  if (types.includes("book")) return "book";
  if (types.includes("profilepage")) return "profile";
  if (types.some((t) => WEB_PAGE.has(t))) return "website";
  return types[0] ?? null;
}

export function jsonLdFacts(blocks: readonly string[]): JsonLdFacts | null {
  const nodes: Node[] = [];
  for (const block of blocks) {
    const parsed = parseLenient(block);
    if (parsed !== undefined) collect(parsed, nodes, 0);
  }
  if (nodes.length === 0) return null;
  const byId = new Map<string, Node>();
  for (const node of nodes) {
    const id = node["@id"];
    if (typeof id === "string" && !byId.has(id)) byId.set(id, node);
  }
  const deref = (v: unknown): unknown => {
    if (isNode(v) && typeof v["@id"] === "string" && Object.keys(v).length === 1) return byId.get(v["@id"]) ?? v;
    return v;
  };

  let main: Node | null = null;
  let best = 3;
  for (const node of nodes) {
    const t = tier(typesOf(node));
    if (t < best) {
      best = t;
      main = node;
    }
  }
  const website = nodes.find((n) => typesOf(n).includes("website")) ?? null;
  const types = main ? typesOf(main) : [];
  const isVideo = types.includes("videoobject");
  const pick = (key: string) => (main ? deref(first(main[key])) : undefined);
  const publisher = main ? nameOf(deref(first(main.publisher))) : null;

  return {
    title: main ? (textOf(main.headline) ?? textOf(main.name)) : null,
    description: main ? textOf(main.description) : null,
    image: main ? (imageOf(deref, main.image) ?? imageOf(deref, main.thumbnailUrl) ?? imageOf(deref, main.screenshot)) : null,
    url: main ? (urlOf(main.url) ?? urlOf(deref(main.mainEntityOfPage))) : null,
    author: nameOf(pick("author")) ?? nameOf(pick("creator")),
    publishedAt: main ? (textOf(main.datePublished) ?? textOf(main.uploadDate) ?? textOf(main.dateCreated)) : null,
    siteName: website ? textOf(website.name) : null,
    publisher,
    type: main ? ogType(types) : null,
    video: isVideo && main ? { embedUrl: urlOf(main.embedUrl), contentUrl: urlOf(main.contentUrl) } : null,
  };
}

/** JSON.parse, then again after the usual breakage: comment/CDATA wrappers, raw newlines, trailing commas. */
export function parseLenient(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const cleaned = text
      .replace(/^\s*(?:<!--|\/\*\s*<!\[CDATA\[\s*\*\/|<!\[CDATA\[)/, "")
      .replace(/(?:-->|\/\*\s*\]\]>\s*\*\/|\]\]>)\s*$/, "")
      // control characters are whitespace between tokens and invalid inside strings: spaces fit both
      // eslint-disable-next-line no-control-regex -- matching them is the point
      .replace(/[\u0000-\u001f]+/g, " ")
      .replace(/,\s*([}\]])/g, "$1");
    try {
      return JSON.parse(cleaned);
    } catch {
      return undefined;
    }
  }
}

/** Every typed node: top-level values, `@graph` members and the entity a page declares as its main one. */
function collect(value: unknown, into: Node[], depth: number): void {
  if (depth > 4) return;
  if (Array.isArray(value)) {
    for (const v of value) collect(v, into, depth + 1);
    return;
  }
  if (!isNode(value)) return;
  if (value["@type"] !== undefined) into.push(value);
  if (value["@graph"] !== undefined) collect(value["@graph"], into, depth + 1);
  for (const key of ["mainEntity", "mainEntityOfPage", "about"]) {
    const inner = value[key];
    if (isNode(inner) && inner["@type"] !== undefined) collect(inner, into, depth + 1);
  }
}

function isNode(v: unknown): v is Node {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `["Article","NewsArticle"]`, `"schema:BlogPosting"`, `"https://schema.org/Product"` → lowercase local names. */
function typesOf(node: Node): string[] {
  const raw = node["@type"];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.filter((t): t is string => typeof t === "string").map((t) => t.replace(/^.*[/#:]/, "").toLowerCase());
}

function first(v: unknown): unknown {
  return Array.isArray(v) ? v[0] : v;
}

function textOf(v: unknown): string | null {
  const value = first(v);
  if (typeof value === "string") return value.trim() || null;
  if (typeof value === "number") return String(value);
  if (isNode(value) && typeof value["@value"] === "string") return value["@value"].trim() || null;
  return null;
}

function urlOf(v: unknown): string | null {
  const value = first(v);
  if (typeof value === "string") return value.trim() || null;
  if (isNode(value)) return textOf(value.url) ?? (typeof value["@id"] === "string" ? value["@id"] : null);
  return null;
}

function nameOf(v: unknown): string | null {
  if (typeof v === "string") return v.trim() || null;
  if (!isNode(v)) return null;
  const name = textOf(v.name);
  if (name) return name;
  const given = textOf(v.givenName);
  const family = textOf(v.familyName);
  return given || family ? [given, family].filter(Boolean).join(" ") : null;
}

function imageOf(deref: (v: unknown) => unknown, v: unknown): string | null {
  const value = deref(first(v));
  if (typeof value === "string") return value.trim() || null;
  if (isNode(value)) return textOf(value.url) ?? textOf(value.contentUrl);
  return null;
}
