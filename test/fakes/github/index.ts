import { createPublicKey } from "node:crypto";
import express from "express";
import { type RecordedRequest, listen, recordRequests } from "../http.js";
import type { AppState } from "./app.js";
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
import {
  type CommentFixture,
  type CommitFixture,
  type DiscussionFixture,
  type GistFixture,
  type IssueFixture,
  type JobFixture,
  type ReleaseFixture,
  type RunFixture,
  newCommit,
  newDiscussion,
  newGist,
  newIssue,
  newJob,
  newRelease,
  newRun,
  shaOf,
} from "./objects.js";
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
export type {
  CheckRunFixture,
  CommentFixture,
  CommitFixture,
  CommitStatusFixture,
  DiscussionFixture,
  GistFixture,
  IssueFixture,
  JobFixture,
  ReleaseFixture,
  RunFixture,
} from "./objects.js";
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
  addUser(user: UserInput): { token: string };
  /** An organisation: a profile without a token. */
  addOrganization(org: { id: number; login: string; name?: string | null; bio?: string | null; publicRepos?: number }): void;
  /** Who is signed in on github.com in "the browser"; `deny` makes the authorize page refuse. */
  setBrowserUser(login: string | null, opts?: { deny?: boolean }): void;
  /** The token stops working at once (REST and GraphQL answer 401 Bad credentials). */
  revokeToken(token: string): void;
  addRepository(repo: RepositoryInput): void;
  /** Changes a repository's metadata (description, stars, SSO enforcement …). */
  updateRepository(owner: string, repo: string, patch: Partial<RepositoryInput>): void;
  /** Adds a pull request with realistic defaults (numbered after the last one unless given). */
  addPullRequest(owner: string, repo: string, input?: PullRequestInput): PullRequestFixture;
  /** Patches a pull request (`{state: "MERGED"}` also sets merged/mergedAt); bumps `updatedAt`. */
  updatePullRequest(owner: string, repo: string, number: number, patch: PullRequestInput): PullRequestFixture;
  getPullRequest(owner: string, repo: string, number: number): PullRequestFixture | undefined;
  addIssue(owner: string, repo: string, input?: Partial<IssueFixture>): IssueFixture;
  addDiscussion(owner: string, repo: string, input?: Partial<DiscussionFixture>): DiscussionFixture;
  addCommit(owner: string, repo: string, input?: Partial<CommitFixture>): CommitFixture;
  /** A file's text at a ref (a branch, tag or sha name; the contents API's `ref`). */
  addFile(owner: string, repo: string, ref: string, path: string, text: string): void;
  addRelease(owner: string, repo: string, input?: Partial<ReleaseFixture>): ReleaseFixture;
  /** A workflow run with its jobs (one by default). */
  addWorkflowRun(owner: string, repo: string, input?: Partial<RunFixture>, jobs?: Partial<JobFixture>[]): { run: RunFixture; jobs: JobFixture[] };
  /** An issue comment, a review comment (`review`) or a review (`review_summary`) on issue/PR `number`. */
  addComment(owner: string, repo: string, input: Pick<CommentFixture, "kind" | "number"> & Partial<CommentFixture>): CommentFixture;
  addGist(owner: string, input?: Partial<GistFixture>): GistFixture;

  /** Switches the OAuth app to GitHub App user tokens (8 h, with a refresh token) or back. */
  setExpiringTokens(on: boolean): void;
  /**
   * Plays a GitHub App with one installation: JWTs signed by `privateKeyPem`'s key (issuer
   * `appId`) get installation tokens, which see public repositories only.
   */
  enableApp(opts: { appId: string; privateKeyPem: string; installationId: number }): void;
  /** Installation tokens issued so far. */
  installationTokensIssued(): number;
  /** Rate-limit points a login has spent on a resource (`304`s are free, as on GitHub). */
  rateLimitUsed(login: string, resource: "core" | "graphql"): number;

  setFailure(mode: FailureMode, opts?: FailureOptions): void;
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[];
  /** GraphQL requests refused as invalid against GitHub's schema; tests assert it stays empty. */
  readonly invalidQueries: InvalidQuery[];
  close(): Promise<void>;
}

export interface UserInput {
  id: number;
  login: string;
  name?: string | null;
  avatarUrl?: string;
  bio?: string | null;
  company?: string | null;
  location?: string | null;
  publicRepos?: number;
  followers?: number;
}

export interface RepositoryInput {
  owner: string;
  name: string;
  private?: boolean;
  collaborators?: string[];
  description?: string | null;
  language?: string | null;
  topics?: string[];
  stars?: number;
  forks?: number;
  pushedAt?: string;
  /** `internal` repositories are private to outsiders. */
  visibility?: "public" | "private" | "internal";
  archived?: boolean;
  fork?: boolean;
  ssoEnforced?: boolean;
}

export async function startFakeGitHub(opts: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const clientId = opts.clientId ?? "fake-github-client-id";
  const clientSecret = opts.clientSecret ?? "fake-github-client-secret";
  const requests: RecordedRequest[] = [];
  const invalidQueries: InvalidQuery[] = [];
  const failures = createFailures();
  const rateLimits = createRateLimits();
  let browser: BrowserUser = { login: null, deny: false };
  const oauthApp = { clientId, clientSecret, expiringTokens: opts.expiringTokens ?? false };
  let githubApp: AppState | null = null;
  let nextId = 1_000_000;

  // the world needs the URL, the URL needs a listening server: the handler reads it late
  const world = createWorld("http://placeholder.invalid");
  const app = express();
  app.disable("x-powered-by");
  app.use(express.json(), express.urlencoded({ extended: false }));
  app.use(recordRequests(requests));
  app.use(failures.middleware);
  app.use(oauthRoutes(world, oauthApp, () => browser));
  app.use("/api/v3", restRoutes(world, rateLimits, () => githubApp));
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

    addUser({ id, login, name = null, avatarUrl = avatarFor(id), bio = null, company = null, location = null, publicRepos = 8, followers = 20 }) {
      const user: FakeUser = { id, login, name, avatarUrl, type: "User", bio, company, location, publicRepos, followers, createdAt: "2011-01-25T18:44:36Z" };
      world.users.set(login.toLowerCase(), user);
      const token = newToken("ghp");
      world.tokens.set(token, login.toLowerCase());
      return { token };
    },
    addOrganization({ id, login, name = null, bio = null, publicRepos = 12 }) {
      world.users.set(login.toLowerCase(), {
        id,
        login,
        name,
        avatarUrl: avatarFor(id),
        type: "Organization",
        bio,
        company: null,
        location: null,
        publicRepos,
        followers: 0,
        createdAt: "2015-03-01T12:00:00Z",
      });
    },
    setBrowserUser(login, { deny = false } = {}) {
      browser = { login, deny };
    },
    revokeToken(token) {
      world.tokens.delete(token);
    },
    addRepository(input) {
      const visibility = input.visibility ?? (input.private ? "private" : "public");
      world.repositories.set(repoKey(input.owner, input.name), {
        owner: input.owner,
        name: input.name,
        private: visibility !== "public",
        collaborators: input.collaborators ?? [],
        createdAt: gitHubTime(new Date("2020-01-01T00:00:00Z")),
        description: input.description ?? null,
        language: input.language ?? null,
        topics: input.topics ?? [],
        stars: input.stars ?? 0,
        forks: input.forks ?? 0,
        pushedAt: input.pushedAt ?? "2024-05-01T12:00:00Z",
        visibility,
        archived: input.archived ?? false,
        fork: input.fork ?? false,
        ssoEnforced: input.ssoEnforced ?? false,
        pullRequests: new Map(),
        issues: new Map(),
        discussions: new Map(),
        commits: new Map(),
        files: new Map(),
        releases: [],
        runs: new Map(),
        jobs: new Map(),
        comments: new Map(),
      });
    },
    updateRepository(owner, name, patch) {
      const repo = repository(owner, name);
      const { private: isPrivate, visibility, ...rest } = patch;
      Object.assign(repo, rest);
      if (visibility !== undefined || isPrivate !== undefined) {
        repo.visibility = visibility ?? (isPrivate ? "private" : "public");
        repo.private = repo.visibility !== "public";
      }
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
    addIssue(owner, name, input = {}) {
      const repo = repository(owner, name);
      // issues and pull requests share one sequence of numbers
      const number = input.number ?? Math.max(0, ...repo.issues.keys(), ...repo.pullRequests.keys()) + 1;
      const issue = newIssue(number, input, repo.owner);
      repo.issues.set(number, issue);
      return structuredClone(issue);
    },
    addDiscussion(owner, name, input = {}) {
      const repo = repository(owner, name);
      const discussion = newDiscussion(input.number ?? Math.max(0, ...repo.discussions.keys()) + 1, input, repo.owner);
      repo.discussions.set(discussion.number, discussion);
      return structuredClone(discussion);
    },
    addCommit(owner, name, input = {}) {
      const repo = repository(owner, name);
      const commit = newCommit({ sha: input.sha ?? shaOf(`${owner}/${name}:${repo.commits.size}:${input.message ?? ""}`), ...input }, repo.owner);
      repo.commits.set(commit.sha, commit);
      return structuredClone(commit);
    },
    addFile(owner, name, ref, path, text) {
      const repo = repository(owner, name);
      const files = repo.files.get(ref) ?? new Map<string, string>();
      files.set(path, text);
      repo.files.set(ref, files);
    },
    addRelease(owner, name, input = {}) {
      const repo = repository(owner, name);
      const release = newRelease(input.id ?? nextId++, input, repo.owner);
      repo.releases.push(release);
      return structuredClone(release);
    },
    addWorkflowRun(owner, name, input = {}, jobs = [{}]) {
      const repo = repository(owner, name);
      const run = newRun(input.id ?? nextId++, input, repo.owner);
      repo.runs.set(run.id, run);
      const made = jobs.map((j) => newJob(j.id ?? nextId++, run.id, j));
      for (const job of made) repo.jobs.set(job.id, job);
      return structuredClone({ run, jobs: made });
    },
    addComment(owner, name, input) {
      const repo = repository(owner, name);
      const comment: CommentFixture = { id: nextId++, author: repo.owner, body: "Looks good to me!", createdAt: "2024-05-02T16:00:00Z", ...input };
      repo.comments.set(comment.id, comment);
      return structuredClone(comment);
    },
    addGist(owner, input = {}) {
      const gist = newGist(input.id ?? shaOf(`gist:${owner}:${world.gists.size}`).slice(0, 32), input, owner);
      world.gists.set(gist.id, gist);
      return structuredClone(gist);
    },

    setExpiringTokens(on) {
      oauthApp.expiringTokens = on;
    },
    enableApp({ appId, privateKeyPem, installationId }) {
      githubApp = { appId, publicKey: createPublicKey(privateKeyPem), installationId, issued: 0 };
    },
    installationTokensIssued: () => githubApp?.issued ?? 0,
    rateLimitUsed: (login, resource) => rateLimits.used(login, resource),

    setFailure: failures.set,
    requests,
    invalidQueries,
    close: server.close,
  };
}
