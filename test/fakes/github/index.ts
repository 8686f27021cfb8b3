import express from "express";
import { type RecordedRequest, listen, recordRequests } from "../http.js";
import { type FailureMode, type FailureOptions, createFailures } from "./failures.js";
import {
  type FakeRepository,
  type FakeUser,
  type PullRequestFixture,
  type PullRequestInput,
  avatarFor,
  createWorld,
  gitHubTime,
  newPullRequest,
  newToken,
  patchPullRequest,
  repoKey,
} from "./fixtures.js";
import { type InvalidQuery, graphqlHandler } from "./graphql.js";
import { type BrowserUser, oauthRoutes } from "./oauth.js";
import { createRateLimits } from "./rateLimit.js";
import { restRoutes } from "./rest.js";

/**
 * A fake GitHub over real HTTP, laid out like GitHub Enterprise Server: the web host at the base
 * URL, REST under `/api/v3`, GraphQL at `/api/graphql`. Tests build its world through the fixture
 * methods and read back what it was sent.
 */

export type {
  ActorFixture,
  LabelFixture,
  PullRequestFixture,
  PullRequestInput,
  PullRequestState,
  ReviewDecision,
  StatusState,
} from "./fixtures.js";
export type { FailureMode, FailureOptions } from "./failures.js";
export type { InvalidQuery } from "./graphql.js";
export type { RecordedRequest } from "../http.js";

export interface FakeGitHubOptions {
  /** The OAuth app's credentials; defaults `fake-github-client-id` / `fake-github-client-secret`. */
  clientId?: string;
  clientSecret?: string;
  /** Issue GitHub App user tokens (8 h, with a refresh token) instead of OAuth app tokens. */
  expiringTokens?: boolean;
}

export interface FakeGitHub {
  /** Base URL, e.g. `http://127.0.0.1:41234` (= `webUrl`). */
  url: string;
  /** `GITHUB_URL`. */
  webUrl: string;
  /** `GITHUB_API_URL`: `webUrl + /api/v3`. */
  apiUrl: string;
  /** `GITHUB_GRAPHQL_URL`: `webUrl + /api/graphql`. */
  graphqlUrl: string;
  clientId: string;
  clientSecret: string;

  /** Registers a user and returns a personal token for it; the user can also log in through OAuth. */
  addUser(user: { id: number; login: string; name?: string | null; avatarUrl?: string }): { token: string };
  /** Who is signed in on github.com in "the browser"; `deny` makes the authorize page refuse. */
  setBrowserUser(login: string | null, opts?: { deny?: boolean }): void;
  /** The token stops working at once (REST and GraphQL answer 401 Bad credentials). */
  revokeToken(token: string): void;
  addRepository(repo: { owner: string; name: string; private?: boolean; collaborators?: string[] }): void;
  /** Adds a pull request with realistic defaults (numbered after the last one unless given). */
  addPullRequest(owner: string, repo: string, input?: PullRequestInput): PullRequestFixture;
  /** Patches a pull request (`{state: "MERGED"}` also sets merged/mergedAt); bumps `updatedAt`. */
  updatePullRequest(owner: string, repo: string, number: number, patch: PullRequestInput): PullRequestFixture;
  getPullRequest(owner: string, repo: string, number: number): PullRequestFixture | undefined;

  setFailure(mode: FailureMode, opts?: FailureOptions): void;
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[];
  /** GraphQL requests refused as invalid against GitHub's schema; tests assert it stays empty. */
  readonly invalidQueries: InvalidQuery[];
  close(): Promise<void>;
}

export async function startFakeGitHub(opts: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const clientId = opts.clientId ?? "fake-github-client-id";
  const clientSecret = opts.clientSecret ?? "fake-github-client-secret";
  const requests: RecordedRequest[] = [];
  const invalidQueries: InvalidQuery[] = [];
  const failures = createFailures();
  const rateLimits = createRateLimits();
  let browser: BrowserUser = { login: null, deny: false };

  // the world needs the URL, the URL needs a listening server: the handler reads it late
  const world = createWorld("http://placeholder.invalid");
  const app = express();
  app.disable("x-powered-by");
  app.use(express.json(), express.urlencoded({ extended: false }));
  app.use(recordRequests(requests));
  app.use(failures.middleware);
  app.use(oauthRoutes(world, { clientId, clientSecret, expiringTokens: opts.expiringTokens ?? false }, () => browser));
  app.use("/api/v3", restRoutes(world, rateLimits));
  app.post("/api/graphql", graphqlHandler(world, rateLimits, invalidQueries));

  const server = await listen(app);
  world.webUrl = server.url;
  world.apiUrl = `${server.url}/api/v3`;

  function repository(owner: string, name: string): FakeRepository {
    const repo = world.repositories.get(repoKey(owner, name));
    if (!repo) throw new Error(`fake GitHub: no repository ${owner}/${name}; addRepository first`);
    return repo;
  }

  return {
    url: server.url,
    webUrl: server.url,
    apiUrl: world.apiUrl,
    graphqlUrl: `${server.url}/api/graphql`,
    clientId,
    clientSecret,

    addUser({ id, login, name = null, avatarUrl = avatarFor(id) }) {
      const user: FakeUser = { id, login, name, avatarUrl };
      world.users.set(login.toLowerCase(), user);
      const token = newToken("ghp");
      world.tokens.set(token, login.toLowerCase());
      return { token };
    },
    setBrowserUser(login, { deny = false } = {}) {
      browser = { login, deny };
    },
    revokeToken(token) {
      world.tokens.delete(token);
    },
    addRepository({ owner, name, private: isPrivate = false, collaborators = [] }) {
      world.repositories.set(repoKey(owner, name), {
        owner,
        name,
        private: isPrivate,
        collaborators,
        createdAt: gitHubTime(new Date("2020-01-01T00:00:00Z")),
        pullRequests: new Map(),
      });
    },
    addPullRequest(owner, name, input = {}) {
      const repo = repository(owner, name);
      const pr = newPullRequest(world, repo, input);
      repo.pullRequests.set(pr.number, pr);
      return structuredClone(pr);
    },
    updatePullRequest(owner, name, number, patch) {
      const repo = repository(owner, name);
      const pr = repo.pullRequests.get(number);
      if (!pr) throw new Error(`fake GitHub: no pull request ${owner}/${name}#${number}`);
      const next = patchPullRequest(world, pr, patch);
      repo.pullRequests.set(number, next);
      return structuredClone(next);
    },
    getPullRequest(owner, name, number) {
      const pr = world.repositories.get(repoKey(owner, name))?.pullRequests.get(number);
      return pr && structuredClone(pr);
    },

    setFailure: failures.set,
    requests,
    invalidQueries,
    close: server.close,
  };
}
