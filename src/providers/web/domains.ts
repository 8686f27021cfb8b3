import { dev, plainText, title } from "../../notion/attributes.js";
import type { DashboardRule, LinkMatch } from "../types.js";

/**
 * The hosts an operator claims in `UNFURL_DOMAINS`: `docs.acme.com` (that host only) or
 * `*.acme.com` (any subdomain, at any depth, but not `acme.com` itself: list both to claim both).
 * Each becomes one regex, given to Notion's dashboard and used by `match`, so the two cannot disagree.
 */

export interface DomainPattern {
  /** As configured, lowercase: `*.acme.com`. */
  source: string;
  /** `^…$` over a URL's href, with named groups `host` and `path`. */
  regex: RegExp;
  /** A URL the rule claims, for the dashboard's samples. */
  sample: string;
}

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";

export function parseDomainPattern(input: string): DomainPattern {
  const source = input.trim().toLowerCase().replace(/\.$/, "");
  const wildcard = source.startsWith("*.");
  const name = wildcard ? source.slice(2) : source;
  let ascii: string;
  try {
    // only a bare name: a scheme, port, path, user or second wildcard would be read as something else
    if (!/^[^\s/\\:@?#*[\]%]+$/.test(name)) throw new RangeError(name);
    // IDNs become their punycode form, the way URL parsing spells a link's host
    ascii = new URL(`http://${name}/`).hostname;
  } catch {
    throw new RangeError(`UNFURL_DOMAINS: "${input}" is not a host name`);
  }
  if (!new RegExp(`^${LABEL}(?:\\.${LABEL})*$`).test(ascii) || /^[\d.]+$/.test(ascii)) {
    throw new RangeError(`UNFURL_DOMAINS: "${input}" is not a host name (use example.com or *.example.com)`);
  }
  const escaped = ascii.replace(/[.-]/g, "\\$&");
  const host = wildcard ? `(?:${LABEL}\\.)+${escaped}` : escaped;
  return {
    source,
    regex: new RegExp(String.raw`^https?:\/\/(?<host>${host})(?::\d{1,5})?(?<path>[/?#].*)?$`),
    sample: `https://${wildcard ? `docs.${ascii}` : ascii}/`,
  };
}

/** A matcher over every configured pattern; the first pattern that claims a URL wins. */
export function domainMatcher(patterns: readonly DomainPattern[]): (url: URL) => LinkMatch | null {
  return (url) => {
    for (const p of patterns) {
      const groups = p.regex.exec(url.href)?.groups;
      if (!groups?.host) continue;
      const page = new URL(url.href);
      page.hash = "";
      return { kind: "page", params: { url: page.href, host: groups.host }, resourceKey: `web:${page.href}` };
    }
    return null;
  };
}

export function domainRule(p: DomainPattern, developerName: string): DashboardRule {
  return {
    name: `Web pages on ${p.source}`,
    pattern: p.regex.source,
    samples: [p.sample, `${p.sample}docs/getting-started`, `${p.sample}blog/2024/launch?utm_source=notion#comments`],
    placeholder: [title("$<host>"), plainText("identifier", "Link", "$<host>$<path>", "identifier"), dev(developerName)],
  };
}
