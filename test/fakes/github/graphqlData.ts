import { GraphQLError } from "graphql";
import {
  type ActorFixture,
  type FakeRepository,
  type FakeUser,
  type PullRequestFixture,
  type World,
  actorFor,
  canSee,
  repoKey,
  stableId,
} from "./fixtures.js";
import type { DiscussionFixture, IssueFixture } from "./objects.js";

/**
 * The fixture world as GitHub's GraphQL objects: root fields are functions of their arguments,
 * everything below is plain data (graphql-js's default resolver reads properties, and calls a
 * property that is a function with the field's arguments, which is how connections honour
 * `first`/`last`). Interfaces and unions resolve through `__typename`.
 */

export interface RateLimitInfo {
  limit: number;
  remaining: number;
  used: number;
  resetAt: string;
}

/** GitHub reports a missing or invisible object this way: the field is null, the error typed. */
const notFound = (message: string) => new GraphQLError(message, { extensions: { type: "NOT_FOUND" } });

/** Opaque, stable global ids in the style of GitHub's (`PR_…`, `R_…`). */
const nodeId = (prefix: string, key: string) => `${prefix}_${Buffer.from(key).toString("base64url")}`;

type PageArgs = { first?: number | null; last?: number | null };

function connection<T>(items: T[]) {
  return ({ first, last }: PageArgs = {}) => {
    const nodes =
      typeof first === "number"
        ? items.slice(0, first)
        : typeof last === "number"
          ? items.slice(Math.max(0, items.length - last))
          : items;
    return {
      totalCount: items.length,
      nodes,
      edges: nodes.map((node, i) => ({ cursor: Buffer.from(`cursor:${i}`).toString("base64"), node })),
      pageInfo: { hasNextPage: nodes.length < items.length, hasPreviousPage: false, startCursor: null, endCursor: null },
    };
  };
}

export function userObject(world: World, user: FakeUser) {
  return {
    __typename: "User",
    id: nodeId("U", user.login),
    databaseId: user.id,
    login: user.login,
    name: user.name,
    avatarUrl: user.avatarUrl,
    url: `${world.webUrl}/${user.login}`,
    resourcePath: `/${user.login}`,
    createdAt: "2011-01-25T18:44:36Z",
    updatedAt: "2024-01-01T00:00:00Z",
  };
}

function actorObject(actor: ActorFixture) {
  return { ...actor, id: nodeId(actor.__typename.charAt(0), actor.login), resourcePath: `/${actor.login}` };
}

function repositoryObject(world: World, repo: FakeRepository) {
  const url = `${world.webUrl}/${repo.owner}/${repo.name}`;
  const self = {
    __typename: "Repository",
    id: nodeId("R", repoKey(repo.owner, repo.name)),
    databaseId: stableId(repoKey(repo.owner, repo.name)),
    name: repo.name,
    nameWithOwner: `${repo.owner}/${repo.name}`,
    owner: actorObject(actorFor(world, repo.owner)),
    isPrivate: repo.private,
    visibility: repo.private ? "PRIVATE" : "PUBLIC",
    description: null,
    url,
    resourcePath: `/${repo.owner}/${repo.name}`,
    createdAt: repo.createdAt,
    updatedAt: repo.createdAt,
    pullRequest: ({ number }: { number: number }) => {
      const pr = repo.pullRequests.get(number);
      if (!pr) throw notFound(`Could not resolve to a PullRequest with the number of ${number}.`);
      return pullRequestObject(world, repo, pr, self);
    },
    pullRequests: (args: PageArgs) =>
      connection([...repo.pullRequests.values()].map((pr) => pullRequestObject(world, repo, pr, self)))(args),
    issue: ({ number }: { number: number }) => {
      const issue = repo.issues.get(number);
      if (!issue) throw notFound(`Could not resolve to an Issue with the number of ${number}.`);
      return issueObject(world, repo, issue, self);
    },
    issueOrPullRequest: ({ number }: { number: number }) => {
      const issue = repo.issues.get(number);
      if (issue) return issueObject(world, repo, issue, self);
      const pr = repo.pullRequests.get(number);
      if (pr) return pullRequestObject(world, repo, pr, self);
      throw notFound(`Could not resolve to an issue or pull request with the number of ${number}.`);
    },
    discussion: ({ number }: { number: number }) => {
      const discussion = repo.discussions.get(number);
      if (!discussion) throw notFound(`Could not resolve to a Discussion with the number of ${number}.`);
      return discussionObject(world, repo, discussion, self);
    },
  };
  return self;
}

const authorOf = (world: World, login: string | null) => (login ? actorObject(actorFor(world, login)) : null);

function issueObject(world: World, repo: FakeRepository, issue: IssueFixture, repository: object) {
  const url = `${world.webUrl}/${repo.owner}/${repo.name}/issues/${issue.number}`;
  const key = `${repoKey(repo.owner, repo.name)}#${issue.number}`;
  return {
    __typename: "Issue",
    id: nodeId("I", key),
    number: issue.number,
    title: issue.title,
    body: issue.body,
    bodyText: markdownToText(issue.body),
    state: issue.state,
    // without `enableDuplicate`, GitHub reports a duplicate as NOT_PLANNED
    stateReason: ({ enableDuplicate }: { enableDuplicate?: boolean | null } = {}) =>
      issue.stateReason === "DUPLICATE" && !enableDuplicate ? "NOT_PLANNED" : issue.stateReason,
    closed: issue.state === "CLOSED",
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
    url,
    resourcePath: new URL(url).pathname,
    author: authorOf(world, issue.author),
    repository,
    labels: connection(issue.labels.map((l) => ({ __typename: "Label", id: nodeId("LA", `${key}:${l.name}`), name: l.name, color: l.color, description: l.description ?? null }))),
    assignees: connection(issue.assignees.map((login) => ({ ...actorObject(actorFor(world, login)), __typename: "User" }))),
    milestone: issue.milestone ? { __typename: "Milestone", id: nodeId("MI", `${key}:${issue.milestone}`), title: issue.milestone, number: 1, state: "OPEN" } : null,
    comments: connection(Array.from({ length: issue.commentCount }, (_, i) => ({ __typename: "IssueComment", id: nodeId("IC", `${key}:${i}`), body: `Comment ${i + 1}` }))),
  };
}

function discussionObject(world: World, repo: FakeRepository, d: DiscussionFixture, repository: object) {
  const url = `${world.webUrl}/${repo.owner}/${repo.name}/discussions/${d.number}`;
  const key = `${repoKey(repo.owner, repo.name)}#d${d.number}`;
  return {
    __typename: "Discussion",
    id: nodeId("D", key),
    number: d.number,
    title: d.title,
    body: d.body,
    bodyText: markdownToText(d.body),
    closed: d.closed,
    isAnswered: d.answerable ? d.answered : false,
    upvoteCount: d.upvotes,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    url,
    resourcePath: new URL(url).pathname,
    author: authorOf(world, d.author),
    repository,
    category: {
      __typename: "DiscussionCategory",
      id: nodeId("DIC", `${key}:${d.category}`),
      name: d.category,
      emoji: d.answerable ? ":pray:" : ":speech_balloon:",
      isAnswerable: d.answerable,
      slug: d.category.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
    },
    comments: connection(Array.from({ length: d.commentCount }, (_, i) => ({ __typename: "DiscussionComment", id: nodeId("DC", `${key}:${i}`), body: `Reply ${i + 1}` }))),
  };
}

function pullRequestObject(world: World, repo: FakeRepository, pr: PullRequestFixture, repository: object) {
  const url = `${world.webUrl}/${repo.owner}/${repo.name}/pull/${pr.number}`;
  const key = `${repoKey(repo.owner, repo.name)}#${pr.number}`;
  const rollup = pr.checkState ? { id: nodeId("SCR", key), state: pr.checkState } : null;
  const commit = {
    __typename: "Commit",
    id: nodeId("C", pr.headSha),
    oid: pr.headSha,
    abbreviatedOid: pr.headSha.slice(0, 7),
    message: pr.title,
    url: `${world.webUrl}/${repo.owner}/${repo.name}/commit/${pr.headSha}`,
    statusCheckRollup: rollup,
  };
  return {
    __typename: "PullRequest",
    id: nodeId("PR", key),
    number: pr.number,
    title: pr.title,
    body: pr.body,
    bodyText: markdownToText(pr.body),
    state: pr.state,
    isDraft: pr.isDraft,
    merged: pr.merged,
    mergedAt: pr.mergedAt,
    closed: pr.state !== "OPEN",
    closedAt: pr.closedAt,
    createdAt: pr.createdAt,
    updatedAt: pr.updatedAt,
    additions: pr.additions,
    deletions: pr.deletions,
    changedFiles: pr.changedFiles,
    baseRefName: pr.baseRefName,
    headRefName: pr.headRefName,
    headRefOid: pr.headSha,
    reviewDecision: pr.reviewDecision,
    url,
    permalink: url,
    resourcePath: new URL(url).pathname,
    author: pr.author ? actorObject(pr.author) : null,
    repository,
    labels: connection(
      pr.labels.map((l) => ({
        __typename: "Label",
        id: nodeId("LA", `${key}:${l.name}`),
        name: l.name,
        color: l.color,
        description: l.description ?? null,
        url: `${world.webUrl}/${repo.owner}/${repo.name}/labels/${encodeURIComponent(l.name)}`,
      })),
    ),
    comments: connection(
      Array.from({ length: pr.commentCount }, (_, i) => ({
        __typename: "IssueComment",
        id: nodeId("IC", `${key}:${i}`),
        body: `Comment ${i + 1}`,
        createdAt: pr.updatedAt,
        author: pr.author ? actorObject(pr.author) : null,
      })),
    ),
    commits: connection([{ __typename: "PullRequestCommit", id: nodeId("PRC", `${key}:${pr.headSha}`), commit }]),
    statusCheckRollup: rollup,
  };
}

/** Rough stand-in for GitHub's rendered `bodyText`: markdown syntax dropped, text kept. */
function markdownToText(markdown: string): string {
  return markdown
    .replace(/^#{1,6}\s+/gm, "")
    .replace(/(\*\*|__|\*|_|`)/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
}

/** The root value for one request, as seen by `viewer`. */
export function rootValue(world: World, viewer: FakeUser, rateLimit: RateLimitInfo) {
  return {
    viewer: () => userObject(world, viewer),
    user: ({ login }: { login: string }) => {
      const user = world.users.get(login.toLowerCase());
      if (!user) throw notFound(`Could not resolve to a User with the login of '${login}'.`);
      return userObject(world, user);
    },
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const repo = world.repositories.get(repoKey(owner, name));
      // a private repository the viewer cannot see is indistinguishable from a missing one
      if (!repo || !canSee(repo, viewer)) {
        throw notFound(`Could not resolve to a Repository with the name '${owner}/${name}'.`);
      }
      return repositoryObject(world, repo);
    },
    rateLimit: () => ({ ...rateLimit, cost: 1, nodeCount: 1 }),
  };
}
