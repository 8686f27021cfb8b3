import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import { createGuardedFetcher, type GuardedFetcher } from "../fetch/client.js";
import type { Fetch } from "../http/outbound.js";
import type { RefreshUpstream } from "../oauth/upstreamTokens.js";
import { createGitHubProvider } from "./github/index.js";
import { createInstallationTokens, parseAppPrivateKey } from "./github/appAuth.js";
import { createGitHubLogin } from "./github/login.js";
import type { Provider, UpstreamLogin } from "./types.js";
import { createWebProvider } from "./web/index.js";

/**
 * The providers the configuration enables, in matching order. `fetch` reaches the configured
 * upstreams; user-supplied URLs (the web provider's pages) go through `guarded`, by default a
 * guarded fetcher built from the config, only when `UNFURL_DOMAINS` claims any host. `clock` times
 * the GitHub caches and rate-limit resets.
 */
export function buildProviders(config: Config, fetch: Fetch, guarded?: GuardedFetcher, clock?: Clock): Provider[] {
  const providers: Provider[] = [
    createGitHubProvider({
      webUrl: config.github.webUrl,
      apiUrl: config.github.apiUrl,
      graphqlUrl: config.github.graphqlUrl,
      developerName: config.developerName,
      fetch,
      clock,
      installation: config.github.app
        ? createInstallationTokens({
            appId: config.github.app.id,
            privateKey: parseAppPrivateKey(config.github.app.privateKey),
            installationId: config.github.app.installationId,
            apiUrl: config.github.apiUrl,
            fetch,
            clock,
          })
        : undefined,
    }),
  ];
  if (config.unfurl.domains.length > 0) {
    providers.push(
      createWebProvider({
        domains: config.unfurl.domains,
        developerName: config.developerName,
        fetcher:
          guarded ??
          createGuardedFetcher({
            allowPrivate: config.unfurl.fetchAllowPrivate,
            allowedPorts: config.unfurl.fetchAllowedPorts,
          }),
      }),
    );
  }
  return providers;
}

/** GitHub's OAuth web flow for the authorize page; null until GITHUB_CLIENT_ID/SECRET are set. */
export function buildUpstreamLogin(config: Config, fetch: Fetch): UpstreamLogin | null {
  const { clientId, clientSecret, webUrl, apiUrl, oauthScope } = config.github;
  if (!clientId || !clientSecret) return null;
  const login = createGitHubLogin({ webUrl, apiUrl, clientId, clientSecret, fetch, scope: oauthScope });
  return {
    displayName: new URL(webUrl).host === "github.com" ? "GitHub" : `GitHub (${new URL(webUrl).host})`,
    reads: [
      "Read your profile (login, name and avatar) to know who is connecting.",
      "Read what a link you paste points to (pull request, issue, commit, file, release, discussion, workflow run, repository or profile), as your account sees it.",
      "Keep previews you pasted up to date when they change on GitHub.",
    ],
    authorizeUrl: (p) => login.authorizeUrl(p),
    exchangeCode: (p, signal) => login.exchangeCode(p, signal),
    fetchUser: (token, signal) => login.fetchUser(token, signal),
  };
}

/**
 * Renews expiring upstream tokens (GitHub App user tokens) for `upstreamTokens`; null until
 * GITHUB_CLIENT_ID/SECRET are set.
 */
export function buildUpstreamRefresh(config: Config, fetch: Fetch, clock?: Clock): RefreshUpstream | null {
  const { clientId, clientSecret, webUrl, apiUrl } = config.github;
  if (!clientId || !clientSecret) return null;
  // expiries are computed on the same clock that `upstreamTokens` compares them with
  const login = createGitHubLogin({ webUrl, apiUrl, clientId, clientSecret, fetch, now: clock && (() => clock.now()) });
  return (refreshToken, signal) => login.refresh(refreshToken, signal);
}
