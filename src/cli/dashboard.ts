import type { Config } from "../config.js";
import { UPSTREAM_CALLBACK_PATH } from "../oauth/paths.js";
import type { DashboardRule, Provider } from "../providers/types.js";

/** Everything an operator types into Notion's integration dashboard (and GitHub's), from the config. */
export interface DashboardValues {
  oauthAuthorizeUrl: string;
  oauthTokenUrl: string;
  oauthClientId: string;
  oauthClientSecret: string;
  deletedTokenCallbackUrl: string;
  unfurlCallbackUrl: string;
  unfurlDomains: string[];
  urlRules: DashboardRule[];
  githubCallbackUrl: string;
}

export function dashboardValues(config: Config, providers: readonly Provider[]): DashboardValues {
  const base = config.publicUrl;
  return {
    oauthAuthorizeUrl: `${base}/notion/authorize`,
    oauthTokenUrl: `${base}/notion/token`,
    oauthClientId: config.oauth.clientId,
    oauthClientSecret: config.oauth.clientSecret,
    deletedTokenCallbackUrl: `${base}/notion/deleted`,
    unfurlCallbackUrl: `${base}/notion/unfurl`,
    unfurlDomains: [...new Set([rootDomain(new URL(config.github.webUrl).hostname), ...config.unfurl.domains.map((d) => rootDomain(d.replace(/^\*\./, "")))])],
    urlRules: providers.flatMap((p) => p.dashboardRules()),
    githubCallbackUrl: `${base}${UPSTREAM_CALLBACK_PATH}`,
  };
}

/**
 * Notion verifies a root domain; for `ghe.acme.com` that is `acme.com`. Two labels are kept,
 * three for the common two-part public suffixes (`acme.co.uk`).
 */
function rootDomain(host: string): string {
  const labels = host.split(".");
  if (labels.length <= 2 || /^\d+$/.test(labels.at(-1) ?? "")) return host;
  const twoPart = /^(co|com|net|org|gov|ac|edu)$/.test(labels.at(-2) ?? "") && (labels.at(-1)?.length ?? 0) === 2;
  return labels.slice(twoPart ? -3 : -2).join(".");
}

export function formatDashboard(v: DashboardValues): string {
  const rows: [string, string][] = [
    ["OAuth Authorize URL", v.oauthAuthorizeUrl],
    ["OAuth Token URL", v.oauthTokenUrl],
    ["OAuth Client ID", v.oauthClientId],
    ["OAuth Client Secret", v.oauthClientSecret],
    ["OAuth Scopes", "(leave empty)"],
    ["Deleted Token Callback URL", v.deletedTokenCallbackUrl],
    ["Unfurl Callback URL", v.unfurlCallbackUrl],
    ["Unfurl URL Domain(s)", v.unfurlDomains.join(", ")],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = ["Notion integration dashboard (Capabilities → Link Previews):", ""];
  for (const [k, val] of rows) lines.push(`  ${k.padEnd(width)}  ${val}`);
  lines.push("", "URL matching and placeholder rules:");
  for (const rule of v.urlRules) {
    lines.push("", `  Name:     ${rule.name}`, `  Pattern:  ${rule.pattern}`);
    for (const s of rule.samples) lines.push(`  Sample:   ${s}`);
    lines.push(`  Placeholder attributes:`, ...JSON.stringify(rule.placeholder, null, 2).split("\n").map((l) => `    ${l}`));
  }
  lines.push("", "GitHub OAuth app (Settings → Developer settings):", `  Authorization callback URL  ${v.githubCallbackUrl}`);
  return lines.join("\n");
}
