import {
  type Attribute,
  type Rgb,
  datetime,
  dev,
  enumValue,
  hexToRgb,
  image,
  plainText,
  title,
} from "../../notion/attributes.js";
import { UnfurlError } from "../../http/errors.js";
import { MESSAGES, type GitHubApi } from "./api.js";
import { excerpt, labelColor, plural } from "./format.js";

/**
 * Pull request previews: one GraphQL query with everything the card shows, and a pure mapping to
 * attributes laid out like Notion's own GitHub previews (state pill first, people and numbers in
 * the subheadings, the description as body).
 */

/** Labels beyond this crowd out the state pill. */
export const MAX_LABELS = 5;

export const PULL_REQUEST_QUERY = /* GraphQL */ `
  query PullRequestPreview($owner: String!, $repo: String!, $number: Int!) {
    repository(owner: $owner, name: $repo) {
      nameWithOwner
      pullRequest(number: $number) {
        number
        title
        state
        isDraft
        merged
        mergedAt
        updatedAt
        additions
        deletions
        changedFiles
        baseRefName
        headRefName
        reviewDecision
        bodyText
        author {
          login
          avatarUrl(size: 80)
        }
        labels(first: ${MAX_LABELS}) {
          nodes {
            name
            color
          }
        }
        comments {
          totalCount
        }
        commits(last: 1) {
          nodes {
            commit {
              statusCheckRollup {
                state
              }
            }
          }
        }
      }
    }
  }
`;

type PullRequestState = "OPEN" | "CLOSED" | "MERGED";
type ReviewDecision = "APPROVED" | "CHANGES_REQUESTED" | "REVIEW_REQUIRED";
type StatusState = "EXPECTED" | "ERROR" | "FAILURE" | "PENDING" | "SUCCESS";

/** The query's answer, with GitHub's nullability. */
export interface PullRequestNode {
  number: number;
  title: string;
  state: PullRequestState;
  isDraft: boolean;
  merged: boolean;
  mergedAt: string | null;
  updatedAt: string;
  additions: number;
  deletions: number;
  changedFiles: number;
  baseRefName: string;
  headRefName: string;
  reviewDecision: ReviewDecision | null;
  bodyText: string;
  /** null when the author's account was deleted (GitHub shows "ghost"). */
  author: { login: string; avatarUrl: string } | null;
  labels: { nodes: ({ name: string; color: string } | null)[] | null } | null;
  comments: { totalCount: number };
  commits: { nodes: ({ commit: { statusCheckRollup: { state: StatusState } | null } } | null)[] | null };
}

interface PullRequestAnswer {
  repository: { nameWithOwner: string; pullRequest: PullRequestNode | null } | null;
}

export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
}

export async function fetchPullRequest(
  api: GitHubApi,
  token: string,
  ref: PullRequestRef,
  signal?: AbortSignal,
): Promise<{ nameWithOwner: string; pullRequest: PullRequestNode }> {
  const data = await api.graphql<PullRequestAnswer>(token, PULL_REQUEST_QUERY, { ...ref }, signal);
  const pullRequest = data.repository?.pullRequest;
  // GitHub reports a missing object as a NOT_FOUND error; a bare null means the same thing
  if (!data.repository || !pullRequest) throw new UnfurlError(404, MESSAGES.notFound);
  return { nameWithOwner: data.repository.nameWithOwner, pullRequest };
}

/** GitHub's Primer colours, so the pills read like the ones on github.com. */
const GREEN = hexToRgb("#1f883d");
const RED = hexToRgb("#cf222e");
const PURPLE = hexToRgb("#8250df");
const GREY = hexToRgb("#59636e");
const AMBER = hexToRgb("#9a6700");

function stateLabel(pr: PullRequestNode): [string, Rgb] {
  if (pr.merged || pr.state === "MERGED") return ["Merged", PURPLE];
  if (pr.state === "CLOSED") return ["Closed", RED];
  return pr.isDraft ? ["Draft", GREY] : ["Open", GREEN];
}

const REVIEW: Record<ReviewDecision, [string, Rgb]> = {
  APPROVED: ["Approved", GREEN],
  CHANGES_REQUESTED: ["Changes requested", RED],
  REVIEW_REQUIRED: ["Review required", AMBER],
};

const CHECKS: Record<StatusState, [string, Rgb]> = {
  SUCCESS: ["Checks passing", GREEN],
  FAILURE: ["Checks failing", RED],
  ERROR: ["Checks errored", RED],
  PENDING: ["Checks pending", AMBER],
  EXPECTED: ["Checks pending", AMBER],
};

function labelAttributes(pr: PullRequestNode): Attribute[] {
  const seen = new Set<string>();
  const labels = (pr.labels?.nodes ?? []).filter((l): l is { name: string; color: string } => {
    if (!l || l.name.trim() === "" || seen.has(l.name.toLowerCase())) return false;
    seen.add(l.name.toLowerCase());
    return true;
  });
  return labels
    .slice(0, MAX_LABELS)
    .map((l, i) => enumValue(`label-${i + 1}`, "Label", l.name, "primary", labelColor(l.color)));
}

export function pullRequestAttributes(nameWithOwner: string, pr: PullRequestNode, developerName: string): Attribute[] {
  const [state, stateColor] = stateLabel(pr);
  const review = pr.reviewDecision ? REVIEW[pr.reviewDecision] : undefined;
  const rollup = pr.commits.nodes?.at(-1)?.commit.statusCheckRollup;
  const checks = rollup ? CHECKS[rollup.state] : undefined;
  const body = excerpt(pr.bodyText);
  const login = pr.author?.login ?? "ghost";

  return [
    title(pr.title),
    plainText("identifier", "Pull request", `${nameWithOwner}#${pr.number}`, "identifier"),
    enumValue("state", "State", state, "primary", stateColor),
    ...(review ? [enumValue("review", "Review", review[0], "primary", review[1])] : []),
    ...(checks ? [enumValue("checks", "Checks", checks[0], "primary", checks[1])] : []),
    ...labelAttributes(pr),
    plainText("branches", "Branches", `${pr.baseRefName} ← ${pr.headRefName}`, "secondary"),
    plainText(
      "changes",
      "Changes",
      `+${pr.additions} −${pr.deletions} in ${plural(pr.changedFiles, "file")}`,
      "secondary",
    ),
    plainText("comments", "Comments", plural(pr.comments.totalCount, "comment"), "secondary"),
    pr.merged && pr.mergedAt
      ? datetime("merged_at", "Merged", pr.mergedAt, "secondary")
      : datetime("updated_at", "Updated", pr.updatedAt, "secondary"),
    ...(pr.author ? [image("author_avatar", "Author avatar", pr.author.avatarUrl, "avatar")] : []),
    plainText("author", "Author", `@${login}`, "avatar"),
    ...(body ? [plainText("body", "Description", body, "body")] : []),
    dev(developerName),
  ];
}
