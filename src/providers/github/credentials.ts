import type { UnfurlContext } from "../types.js";
import type { Caller, GitHubApi } from "./api.js";
import type { InstallationTokens } from "./appAuth.js";
import { repositorySchema } from "./repository.js";
import { type Params, repoPath } from "./urls.js";

/**
 * Whose token reads a link. The user's own, always, unless the operator configured a GitHub App
 * installation: then links into repositories that are public (asked of GitHub with the
 * installation token, and revalidated on every preview) are read with the installation's token,
 * on its rate limit. Private and internal repositories are only ever read with the user's token,
 * so nobody sees through a preview what their own account cannot see.
 */

export type CallerFor = (params: Params, ctx: UnfurlContext) => Promise<Caller>;

export function createCallerFor(api: GitHubApi, installation?: InstallationTokens): CallerFor {
  async function userCaller(ctx: UnfurlContext): Promise<Caller> {
    const { accessToken } = await ctx.upstreamToken();
    return { token: accessToken, id: ctx.account.id, signal: ctx.signal, fresh: ctx.fresh };
  }
  if (!installation) return (_params, ctx) => userCaller(ctx);

  return async (params, ctx) => {
    try {
      const app: Caller = {
        token: await installation.token(ctx.signal),
        id: await installation.callerId(),
        signal: ctx.signal,
        fresh: ctx.fresh,
      };
      // user profiles are public; a gist link (even a secret gist's) already is its own key
      if (params["owner"] === undefined || params["repo"] === undefined) return app;
      // the repository preview's own schema: both share one cache entry and its ETag
      const repo = await api.rest(app, repoPath(params), repositorySchema);
      if (!repo.private && (repo.visibility ?? "public") === "public") return app;
    } catch {
      // the installation could not tell (not found, app misconfigured, GitHub busy): ask as the user
    }
    return userCaller(ctx);
  };
}
