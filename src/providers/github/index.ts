import type { Clock } from "../../clock.js";
import type { Fetch } from "../../http/outbound.js";
import type { Provider } from "../types.js";
import { createGitHubApi } from "./api.js";
import type { InstallationTokens } from "./appAuth.js";
import { createCallerFor } from "./credentials.js";
import { GITHUB_KINDS } from "./kinds.js";
import { compileKinds } from "./linkKind.js";
import { gitHubSite } from "./urls.js";

/**
 * The GitHub provider: links on the configured GitHub (github.com or GHES), read through the API
 * with the user's own token, so a preview shows exactly what that user may see.
 */

export interface GitHubProviderOptions {
  webUrl: string;
  apiUrl: string;
  graphqlUrl?: string;
  developerName: string;
  fetch: Fetch;
  timeoutMs?: number;
  clock?: Clock;
  /** Requests in flight per GitHub account; default 4. */
  maxConcurrent?: number;
  /** How long GraphQL answers are reused; default 10 s. */
  graphqlTtlMs?: number;
  /** A GitHub App installation that reads public repositories instead of the user's token. */
  installation?: InstallationTokens;
}

export function createGitHubProvider(opts: GitHubProviderOptions): Provider {
  const site = gitHubSite(opts.webUrl);
  const api = createGitHubApi({
    apiUrl: opts.apiUrl,
    graphqlUrl: opts.graphqlUrl,
    fetch: opts.fetch,
    timeoutMs: opts.timeoutMs,
    clock: opts.clock,
    maxConcurrent: opts.maxConcurrent,
    graphqlTtlMs: opts.graphqlTtlMs,
  });
  const kinds = compileKinds(site, GITHUB_KINDS);
  const callerFor = createCallerFor(api, opts.installation);

  return {
    name: "github",
    dashboardRules: () => kinds.rules(opts.developerName),
    match: (url) => kinds.match(url)?.match ?? null,
    async unfurl(match, ctx) {
      const kind = kinds.byName(match.kind);
      // only our own `match` makes LinkMatches for this provider: another kind is a wiring bug
      if (!kind) throw new Error(`github provider: unknown link kind ${match.kind}`);
      const caller = await callerFor(match.params, ctx);
      return kind.unfurl(match.params, { api, caller, site, developerName: opts.developerName });
    },
  };
}
