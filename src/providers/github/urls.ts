import { dev, plainText, title } from "../../notion/attributes.js";
import type { DashboardRule, LinkMatch } from "../types.js";

/**
 * Which GitHub links we claim, as pure functions of the configured web URL. The regex given to
 * Notion's dashboard and the one `match` runs are the same object, so they cannot drift apart.
 */

export interface GitHubSite {
  /** Origins whose links are ours, e.g. `https://github.com` and `https://www.github.com`. */
  origins: string[];
  /** Canonical host (with port) used in resource keys, e.g. `github.com`. */
  host: string;
}

export function gitHubSite(webUrl: string): GitHubSite {
  const url = new URL(webUrl);
  const isDotCom = url.protocol === "https:" && (url.host === "github.com" || url.host === "www.github.com");
  if (isDotCom) return { origins: ["https://github.com", "https://www.github.com"], host: "github.com" };
  return { origins: [url.origin], host: url.host };
}

/**
 * GitHub's naming rules, slightly widened: owners are alphanumerics and hyphens not at the start
 * (Enterprise Managed Users add `_shortcode`, hence `_`), at most 39 characters plus that suffix;
 * repositories are 1–100 of alphanumerics, `.`, `_`, `-`, but not `.` or `..`.
 */
const OWNER = String.raw`[A-Za-z0-9][A-Za-z0-9_-]{0,48}`;
const REPO = String.raw`(?!\.\.?(?:[/?#]|$))[A-Za-z0-9._-]{1,100}`;

/** First path segments that are GitHub's own pages, never an owner. */
const RESERVED_OWNERS = new Set([
  "about", "account", "apps", "codespaces", "collections", "dashboard", "enterprises", "explore",
  "features", "issues", "login", "logout", "marketplace", "new", "notifications", "orgs",
  "organizations", "pulls", "search", "settings", "site", "sponsors", "topics", "trending", "users",
]);

/** GraphQL's `Int` is 32-bit: a larger number cannot name a pull request. */
const MAX_NUMBER = 2 ** 31 - 1;

/** Escaped origins as one alternation: `(?:https:\/\/github\.com|https:\/\/www\.github\.com)`. */
function originPattern(site: GitHubSite): string {
  const escaped = site.origins.map((o) => o.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
  return `(?:${escaped.join("|")})`;
}

/** The tabs of a pull request page (`/files`, `/commits/<sha>` …), then any query or hash. */
const PULL_REQUEST_TAIL = String.raw`(?:\/(?:files|changes|commits|checks)(?:\/[^?#]*)?)?\/?(?:[?#].*)?`;

export function pullRequestPattern(site: GitHubSite): RegExp {
  return new RegExp(
    String.raw`^${originPattern(site)}\/(?<owner>${OWNER})\/(?<repo>${REPO})\/pull\/(?<number>[1-9]\d{0,9})${PULL_REQUEST_TAIL}$`,
  );
}

export function pullRequestKey(site: GitHubSite, owner: string, repo: string, number: number | string): string {
  return `github:${site.host}:${owner.toLowerCase()}/${repo.toLowerCase()}#pull/${number}`;
}

/** A matcher for one site, built once (the regex is compiled at construction). */
export function pullRequestMatcher(site: GitHubSite): (url: URL) => LinkMatch | null {
  const pattern = pullRequestPattern(site);
  return (url) => {
    const groups = pattern.exec(url.href)?.groups;
    if (!groups?.owner || !groups.repo || !groups.number) return null;
    const { owner, repo, number } = groups;
    if (RESERVED_OWNERS.has(owner.toLowerCase()) || Number(number) > MAX_NUMBER) return null;
    return { kind: "pull_request", params: { owner, repo, number }, resourceKey: pullRequestKey(site, owner, repo, number) };
  };
}

export function pullRequestRule(site: GitHubSite, developerName: string): DashboardRule {
  const origin = site.origins[0];
  return {
    name: "GitHub pull request",
    pattern: pullRequestPattern(site).source,
    samples: [
      `${origin}/octocat/hello-world/pull/42`,
      `${origin}/octocat/hello-world/pull/42/files`,
      `${origin}/octo-org/octo.repo/pull/7?notification_referrer_id=1#issuecomment-1`,
    ],
    placeholder: [
      title("Pull request #$<number>"),
      plainText("identifier", "Repository", "$<owner>/$<repo>#$<number>", "identifier"),
      dev(developerName),
    ],
  };
}
