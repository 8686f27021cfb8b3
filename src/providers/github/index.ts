import type { Fetch } from "../../http/outbound.js";
import type { Attribute } from "../../notion/attributes.js";
import type { LinkMatch, Provider, UnfurlContext } from "../types.js";
import { createGitHubApi } from "./api.js";
import { fetchPullRequest, pullRequestAttributes } from "./pullRequest.js";
import { gitHubSite, pullRequestMatcher, pullRequestRule } from "./urls.js";

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
}

export function createGitHubProvider(opts: GitHubProviderOptions): Provider {
  const site = gitHubSite(opts.webUrl);
  const api = createGitHubApi({ apiUrl: opts.apiUrl, graphqlUrl: opts.graphqlUrl, fetch: opts.fetch, timeoutMs: opts.timeoutMs });
  // one matcher per link kind; the first that claims a URL wins
  const matchers = [pullRequestMatcher(site)];

  const kinds: Record<string, (match: LinkMatch, ctx: UnfurlContext) => Promise<Attribute[]>> = {
    async pull_request({ params }, ctx) {
      const { accessToken } = await ctx.upstreamToken();
      const ref = { owner: param(params, "owner"), repo: param(params, "repo"), number: Number(param(params, "number")) };
      const { nameWithOwner, pullRequest } = await fetchPullRequest(api, accessToken, ref, ctx.signal);
      return pullRequestAttributes(nameWithOwner, pullRequest, opts.developerName);
    },
  };

  return {
    name: "github",
    dashboardRules: () => [pullRequestRule(site, opts.developerName)],
    match(url) {
      for (const m of matchers) {
        const found = m(url);
        if (found) return found;
      }
      return null;
    },
    async unfurl(match, ctx) {
      const kind = kinds[match.kind];
      // only our own `match` makes LinkMatches for this provider: another kind is a wiring bug
      if (!kind) throw new Error(`github provider: unknown link kind ${match.kind}`);
      return kind(match, ctx);
    },
  };
}

function param(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (value === undefined) throw new Error(`github provider: link without ${name}`);
  return value;
}
