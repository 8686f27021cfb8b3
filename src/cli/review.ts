import type { Config } from "../config.js";
import type { DashboardValues } from "./dashboard.js";

/**
 * The Markdown packet for Notion's Link Preview review, built from the running configuration so
 * it never drifts from what is deployed. It answers the questions the review asks: data read
 * and stored, token storage and deletion, deletion callbacks, endpoint protection, claimed links.
 */
export function reviewPacket(config: Config, v: DashboardValues): string {
  const https = config.publicUrl.startsWith("https://");
  const lines = [
    `# Link Preview review packet — ${config.developerName}`,
    "",
    `Generated from the configuration of ${config.publicUrl}.`,
    "",
    "## Endpoints",
    "",
    "| Dashboard field | Value |",
    "|---|---|",
    `| OAuth Authorize URL | ${v.oauthAuthorizeUrl} |`,
    `| OAuth Token URL | ${v.oauthTokenUrl} |`,
    `| Deleted Token Callback URL | ${v.deletedTokenCallbackUrl} |`,
    `| Unfurl Callback URL | ${v.unfurlCallbackUrl} |`,
    `| Unfurl URL Domain(s) | ${v.unfurlDomains.join(", ")} |`,
    "",
    https ? "All endpoints are served over HTTPS." : "**Warning:** PUBLIC_URL is not https; Notion requires HTTPS endpoints.",
    "",
    "## Links claimed",
    "",
    "| Rule | Pattern | Sample |",
    "|---|---|---|",
    ...v.urlRules.map((r) => `| ${r.name} | \`${r.pattern.replace(/\|/g, "\\|")}\` | ${r.samples[0] ?? ""} |`),
    "",
    "## Data read",
    "",
    `- From GitHub (${config.github.webUrl}), with **the connecting user's own token**: their profile (id, login, avatar) at`,
    "  connection time, and, when they paste a link, that object only (pull request, issue, commit, file lines, release,",
    "  discussion, workflow run or job, gist, repository, profile: titles, states, labels, counts, authors, dates and a",
    "  short excerpt). A user never sees data their GitHub account cannot see; previews are cached per account only.",
    `- Scope requested from GitHub: \`${config.github.oauthScope || "(none)"}\`. Nothing is ever written to GitHub.`,
    ...(config.github.app
      ? ["- With the GitHub App configured, public repositories may be read with an installation token; private ones never."]
      : []),
    ...(config.unfurl.domains.length > 0
      ? [
          `- Pages of ${config.unfurl.domains.join(", ")}: their public metadata (Open Graph, JSON-LD, oEmbed), fetched`,
          "  through an SSRF guard (public addresses only, at most 3 redirects, size and time caps).",
        ]
      : []),
    ...(config.github.webhookSecret
      ? ["- GitHub webhooks (signature-checked): only to learn which previews changed; payload content is never shown."]
      : []),
    "",
    "## Data stored",
    "",
    "- Account: GitHub numeric id, login, avatar URL.",
    "- Grant: Notion workspace id and name, bot id, the GitHub token and the Notion token — both **sealed** at rest",
    "  (compact JWE, `dir` + `A256GCM`, key id in the header for rotation, bound to their row and column).",
    "- Tokens we issue to Notion (access, refresh) and authorization codes: **SHA-256 hashes only**.",
    `- Access tokens live ${config.oauth.accessTokenTtl} s, refresh tokens ${config.oauth.refreshTokenTtl} s and rotate on use;`,
    "  authorization codes live 5 minutes and are single use.",
    "- Which URLs each grant previewed and a hash of the last set pushed (to keep previews live); webhook delivery ids",
    "  (7 days) and pending refresh jobs. Preview content is only held in memory, for",
    `  ${config.unfurl.cacheTtl} s.`,
    "",
    "## Deletion",
    "",
    "- `DELETE` on the Deleted Token Callback URL revokes the grant at once: its tokens, codes, sealed secrets and",
    "  tracked links are deleted in one transaction. It is idempotent and honoured even with an expired token.",
    "- `DELETE` on the Unfurl Callback URL stops tracking that link for the grant and drops its cached preview.",
    "- When GitHub revokes the user's token, the grant is revoked too and Notion gets `401` (reconnect).",
    "",
    "## Endpoint protection",
    "",
    "- Authorize: exact `client_id` and `redirect_uri` checks before anything else (errors are pages, never redirects);",
    "  GitHub login with PKCE S256 and a state bound to an HttpOnly SameSite=Lax cookie; a consent page with an",
    "  anti-CSRF token, `frame-ancestors 'none'`, `X-Frame-Options: DENY` and no caching.",
    "- Token: client authentication by body or HTTP Basic, constant-time comparison; codes consumed atomically; a",
    "  replayed code or a reused refresh token revokes the grant; RFC 6749 error JSON with `Cache-Control: no-store`.",
    "- Unfurl and deletion callbacks: bearer tokens looked up by hash; `401` with `WWW-Authenticate` otherwise;",
    "  JSON bodies capped at 64 KiB and validated; every upstream call has a deadline; errors never carry details.",
    "- Logs are structured and redact authorization headers, cookies, codes, states, tokens and client secrets.",
    "",
  ];
  return lines.join("\n");
}
