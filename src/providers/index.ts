import type { Config } from "../config.js";
import type { Fetch } from "../http/outbound.js";
import { createGitHubProvider } from "./github/index.js";
import { createGitHubLogin } from "./github/login.js";
import type { Provider, UpstreamLogin } from "./types.js";

/** The providers the configuration enables, in matching order. */
export function buildProviders(config: Config, fetch: Fetch): Provider[] {
  return [
    createGitHubProvider({
      webUrl: config.github.webUrl,
      apiUrl: config.github.apiUrl,
      graphqlUrl: config.github.graphqlUrl,
      developerName: config.developerName,
      fetch,
    }),
  ];
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
      "Read the pull requests, issues and repositories your account can see, when you paste their links.",
      "Never write to GitHub, and never show anyone data your account cannot see.",
    ],
    authorizeUrl: (p) => login.authorizeUrl(p),
    exchangeCode: (p, signal) => login.exchangeCode(p, signal),
    fetchUser: (token, signal) => login.fetchUser(token, signal),
  };
}
