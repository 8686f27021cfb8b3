/**
 * Which GitHub links we claim, as pure functions of the configured web URL: the site, the regex
 * pieces every link kind builds its pattern from, and the few rules GitHub's names follow. Each
 * kind's pattern is one regex source used three ways (the router, Notion's dashboard rule and the
 * tests), so what we claim and what Notion sends us cannot drift apart.
 */

export interface GitHubSite {
  /** Origins whose links are ours, e.g. `https://github.com` and `https://www.github.com`. */
  origins: string[];
  /**
   * Where gists live: `https://gist.github.com`; on GHES `HOST/gist`, and `gist.HOST` with
   * subdomain isolation (not for hosts given as an IP address).
   */
  gistBases: string[];
  /** Canonical host (with port) used in resource keys, e.g. `github.com`. */
  host: string;
  /** The canonical web origin, for building links back to GitHub. */
  origin: string;
}

export function gitHubSite(webUrl: string): GitHubSite {
  const url = new URL(webUrl);
  const isDotCom = url.protocol === "https:" && (url.host === "github.com" || url.host === "www.github.com");
  if (isDotCom) {
    return {
      origins: ["https://github.com", "https://www.github.com"],
      gistBases: ["https://gist.github.com"],
      host: "github.com",
      origin: "https://github.com",
    };
  }
  const isIp = /^[\d.]+$|^\[/.test(url.hostname);
  const gistBases = [`${url.origin}/gist`, ...(isIp ? [] : [`${url.protocol}//gist.${url.host}`])];
  return { origins: [url.origin], gistBases, host: url.host, origin: url.origin };
}

/** Escapes text for a regex source (slashes too, as Notion's dashboard shows them escaped). */
export const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** `^(?:https:\/\/github\.com|https:\/\/www\.github\.com)`: the start of every web link pattern. */
export function webStart(site: GitHubSite): string {
  return `^(?:${site.origins.map(escapeRegex).join("|")})`;
}

/**
 * First path segments that are GitHub's own pages (or, on GHES, its API and asset paths), never
 * an owner. GitHub refuses these as user and organisation names.
 */
export const RESERVED_OWNERS = [
  "about", "account", "admin", "api", "apps", "assets", "codespaces", "collections", "contact", "copilot",
  "customer-stories", "dashboard", "discussions", "enterprise", "enterprises", "events", "explore", "features",
  "gist", "graphql", "issues", "join", "login", "logout", "manage", "marketplace", "new", "notifications",
  "organizations", "orgs", "password_reset", "pricing", "pulls", "raw", "readme", "search", "security",
  "sessions", "settings", "setup", "signup", "site", "sponsors", "stafftools", "stars", "team", "topics",
  "trending", "users", "watching",
] as const;

/**
 * GitHub's naming rules, slightly widened: logins are alphanumerics and hyphens not at the start
 * (Enterprise Managed Users add `_shortcode`, hence `_`), at most 39 characters plus that suffix,
 * and not one of GitHub's own pages; repositories are 1–100 of alphanumerics, `.`, `_`, `-`, but
 * not `.` or `..`. The reserved list is lower-case: GitHub's own pages are lower-case paths.
 */
export const LOGIN = String.raw`(?!(?:${RESERVED_OWNERS.join("|")})(?:[/?#]|$))[A-Za-z0-9][A-Za-z0-9_-]{0,48}`;
const REPO = String.raw`(?!\.\.?(?:[/?#]|$))[A-Za-z0-9._-]{1,100}`;

/** `owner/repo` right after the origin, with the groups every in-repository kind has. */
export function repoStart(site: GitHubSite): string {
  return String.raw`${webStart(site)}\/(?<owner>${LOGIN})\/(?<repo>${REPO})`;
}

/** Issue, pull request and discussion numbers: no leading zero. */
export const NUMBER = String.raw`[1-9]\d{0,9}`;
/** Actions run and job ids: 64-bit on GitHub, so only the digit count is bounded. */
export const ID = String.raw`[1-9]\d{0,19}`;
/**
 * The fewest hex characters a link may name a commit by: GitHub abbreviates shas to 7 (more in
 * large repositories), and links shorter than that are not commits we claim.
 */
export const MIN_SHA_HEX = 7;
/** Abbreviated or full commit ids (SHA-1, or SHA-256 repositories). */
export const SHA = String.raw`[0-9a-fA-F]{${MIN_SHA_HEX},64}`;

/** An optional trailing slash, query and fragment: what follows the part of a link that matters. */
export const END = String.raw`\/?(?:[?#].*)?$`;

/**
 * An optional trailing slash and query, then a fragment that may be one of `anchors` (each a regex
 * with its own named groups, matched whole) or anything else.
 */
export function endWithAnchors(anchors: string[]): string {
  return String.raw`\/?(?:\?[^#]*)?(?:#(?:(?:${anchors.join("|")})$|.*))?$`;
}

/** GraphQL's `Int` is 32-bit: a larger number cannot name an issue, pull request or discussion. */
export const MAX_GRAPHQL_INT = 2 ** 31 - 1;

/** The named groups of a match, without the ones that did not take part. */
export type Params = Readonly<Record<string, string>>;

/** A group the pattern guarantees; its absence is a bug in the pattern, not in the link. */
export function param(params: Params, name: string): string {
  const value = params[name];
  if (value === undefined) throw new Error(`github provider: link without ${name}`);
  return value;
}

/** Percent-decoding that keeps a malformed escape as typed rather than failing the link. */
export function decodePath(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The repository a link is in. */
export function repoOf(params: Params): { owner: string; repo: string } {
  return { owner: param(params, "owner"), repo: param(params, "repo") };
}

/** `/repos/<owner>/<repo>`: the REST path of the link's repository. */
export function repoPath(params: Params): string {
  const { owner, repo } = repoOf(params);
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
}
