import { randomBytes } from "node:crypto";
import type {
  CommentFixture,
  CommitFixture,
  DiscussionFixture,
  GistFixture,
  IssueFixture,
  JobFixture,
  ReleaseFixture,
  RunFixture,
} from "./objects.js";

/**
 * The fake GitHub's world: users and their tokens, repositories with their visibility, pull
 * requests. Plain data that tests create through the fake's fixture API; `graphqlData.ts` and
 * `rest.ts` turn it into GitHub's answer shapes.
 */

export interface FakeUser {
  id: number;
  login: string;
  name: string | null;
  avatarUrl: string;
  type: "User" | "Organization" | "Bot";
  bio: string | null;
  company: string | null;
  location: string | null;
  publicRepos: number;
  followers: number;
  createdAt: string;
  /** A GitHub App installation's identity: it sees public repositories only. */
  installation?: boolean;
}

export type ActorType = "User" | "Bot" | "Organization" | "Mannequin";

/** A pull request's author as GraphQL's `Actor` interface sees it (`__typename` picks the type). */
export interface ActorFixture {
  __typename: ActorType;
  login: string;
  avatarUrl: string;
  url: string;
}

export interface LabelFixture {
  name: string;
  /** Bare hex as GitHub stores it, e.g. `d73a4a`. */
  color: string;
  description?: string | null;
}

export type PullRequestState = "OPEN" | "CLOSED" | "MERGED";
export type ReviewDecision = "APPROVED" | "CHANGES_REQUESTED" | "REVIEW_REQUIRED";
export type StatusState = "EXPECTED" | "ERROR" | "FAILURE" | "PENDING" | "SUCCESS";

export interface PullRequestFixture {
  number: number;
  title: string;
  /** Markdown; `bodyText` in GraphQL is derived from it. */
  body: string;
  state: PullRequestState;
  isDraft: boolean;
  merged: boolean;
  mergedAt: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
  additions: number;
  deletions: number;
  changedFiles: number;
  baseRefName: string;
  headRefName: string;
  /** null: the author's account was deleted. */
  author: ActorFixture | null;
  labels: LabelFixture[];
  commentCount: number;
  reviewDecision: ReviewDecision | null;
  /** `statusCheckRollup.state` of the last commit; null: no checks ran. */
  checkState: StatusState | null;
  headSha: string;
}

/** What tests pass to `addPullRequest`/`updatePullRequest`; `author` may be just a login. */
export type PullRequestInput = Partial<Omit<PullRequestFixture, "author">> & {
  author?: string | ActorFixture | null;
};

export interface FakeRepository {
  owner: string;
  name: string;
  private: boolean;
  /** Logins that may see a private repository (the owner always may). */
  collaborators: string[];
  createdAt: string;
  description: string | null;
  language: string | null;
  topics: string[];
  stars: number;
  forks: number;
  pushedAt: string;
  visibility: "public" | "private" | "internal";
  archived: boolean;
  fork: boolean;
  /** The organization enforces SAML SSO and the token is not authorised for it. */
  ssoEnforced: boolean;
  pullRequests: Map<number, PullRequestFixture>;
  issues: Map<number, IssueFixture>;
  discussions: Map<number, DiscussionFixture>;
  /** By full sha. */
  commits: Map<string, CommitFixture>;
  /** Ref name (branch, tag or sha) → path → file text. */
  files: Map<string, Map<string, string>>;
  releases: ReleaseFixture[];
  runs: Map<number, RunFixture>;
  jobs: Map<number, JobFixture>;
  /** By id, for every kind of comment. */
  comments: Map<number, CommentFixture>;
}

export interface World {
  webUrl: string;
  apiUrl: string;
  /** By lower-cased login. */
  users: Map<string, FakeUser>;
  /** Token → lower-cased login. */
  tokens: Map<string, string>;
  /** By lower-cased `owner/name`. */
  repositories: Map<string, FakeRepository>;
  /** By id. */
  gists: Map<string, GistFixture>;
}

export const createWorld = (webUrl: string): World => ({
  webUrl,
  apiUrl: `${webUrl}/api/v3`,
  users: new Map(),
  tokens: new Map(),
  repositories: new Map(),
  gists: new Map(),
});

export const repoKey = (owner: string, name: string): string => `${owner}/${name}`.toLowerCase();

/** GitHub-looking token: `ghp_` (personal), `gho_` (OAuth), `ghu_`/`ghr_` (GitHub App user/refresh), `ghs_` (installation). */
export const newToken = (prefix: "ghp" | "gho" | "ghu" | "ghr" | "ghs"): string => `${prefix}_${randomBytes(18).toString("hex")}`;

/** GitHub's DateTime scalar: ISO 8601 without milliseconds. */
export const gitHubTime = (date = new Date()): string => date.toISOString().replace(/\.\d{3}Z$/, "Z");

export const avatarFor = (id: number): string => `https://avatars.githubusercontent.com/u/${id}?v=4`;

export function userForToken(world: World, token: string | undefined): FakeUser | undefined {
  const login = token === undefined ? undefined : world.tokens.get(token);
  return login === undefined ? undefined : world.users.get(login);
}

export function canSee(repo: FakeRepository, user: FakeUser | undefined): boolean {
  if (!repo.private) return true;
  if (!user || user.installation) return false;
  const login = user.login.toLowerCase();
  return login === repo.owner.toLowerCase() || repo.collaborators.some((c) => c.toLowerCase() === login);
}

/** A known user as an actor, or an organization-like stranger for unknown logins. */
export function actorFor(world: World, login: string): ActorFixture {
  const user = world.users.get(login.toLowerCase());
  return {
    __typename: user ? "User" : "Organization",
    login: user?.login ?? login,
    avatarUrl: user?.avatarUrl ?? avatarFor(stableId(login)),
    url: `${world.webUrl}/${user?.login ?? login}`,
  };
}

/** Deterministic fake ids for logins the fixtures never registered. */
export function stableId(text: string): number {
  let hash = 7;
  for (const ch of text.toLowerCase()) hash = (hash * 31 + ch.charCodeAt(0)) % 90_000_000;
  return 10_000_000 + hash;
}

/** Realistic defaults, so a test only states what it is about. */
export function newPullRequest(world: World, repo: FakeRepository, input: PullRequestInput = {}): PullRequestFixture {
  const number = input.number ?? Math.max(0, ...repo.pullRequests.keys()) + 1;
  const base: PullRequestFixture = {
    number,
    title: "Add dark mode to the settings page",
    body: "## Summary\n\nAdds a **dark mode** toggle to the settings page and remembers the choice.\n\nCloses #12.",
    state: "OPEN",
    isDraft: false,
    merged: false,
    mergedAt: null,
    closedAt: null,
    createdAt: "2024-05-01T09:00:00Z",
    updatedAt: "2024-05-02T15:30:00Z",
    additions: 120,
    deletions: 14,
    changedFiles: 6,
    baseRefName: "main",
    headRefName: "feature/dark-mode",
    author: actorFor(world, repo.owner),
    labels: [
      { name: "enhancement", color: "a2eeef", description: "New feature or request" },
      { name: "ui", color: "0e8a16", description: null },
    ],
    commentCount: 3,
    reviewDecision: "REVIEW_REQUIRED",
    checkState: "SUCCESS",
    headSha: randomBytes(20).toString("hex"),
  };
  return settle(world, base, input, base.updatedAt);
}

/** Applies a patch; a changed pull request gets a fresh `updatedAt` unless the patch sets one. */
export function patchPullRequest(world: World, pr: PullRequestFixture, patch: PullRequestInput): PullRequestFixture {
  return settle(world, pr, patch, gitHubTime());
}

/**
 * Keeps state, merged and the timestamps consistent the way GitHub does, so a test can say just
 * `{state: "MERGED"}` (or `{merged: true}`) and get a believable merged pull request.
 */
function settle(world: World, pr: PullRequestFixture, input: PullRequestInput, updatedAt: string): PullRequestFixture {
  const { author, ...rest } = input;
  const next: PullRequestFixture = { ...pr, updatedAt, ...rest };
  if (author !== undefined) next.author = typeof author === "string" ? actorFor(world, author) : author;
  if (input.merged === true && input.state === undefined) next.state = "MERGED";
  if (next.state === "MERGED") {
    next.merged = true;
    next.isDraft = false;
    next.mergedAt ??= next.updatedAt;
    next.closedAt ??= next.mergedAt;
  } else {
    next.merged = false;
    next.mergedAt = null;
    next.closedAt = next.state === "CLOSED" ? (next.closedAt ?? next.updatedAt) : null;
  }
  return next;
}
