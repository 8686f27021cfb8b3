import { type Attribute, type Rgb, datetime, dev, enumValue, plainText, title } from "../../notion/attributes.js";
import { UnfurlError } from "../../http/errors.js";
import { MESSAGES } from "./api.js";
import { type StatusState, checksAttribute } from "./checks.js";
import { PULL_COMMENT_ANCHORS, fetchAnchoredComment, withComment } from "./comment.js";
import { COLORS, bodyAttribute, labelAttributes, personAttributes, plural } from "./format.js";
import { pullKey } from "./keys.js";
import type { KindContext, LinkKind } from "./linkKind.js";
import { AUTHOR, type AuthorAnswer, LABELS, type LabelsAnswer } from "./selections.js";
import { MAX_GRAPHQL_INT, NUMBER, type Params, endWithAnchors, param, repoOf, repoStart } from "./urls.js";

/**
 * Pull request previews: one GraphQL query with everything the card shows, and a pure mapping to
 * attributes laid out like Notion's own GitHub previews (state pill first, people and numbers in
 * the subheadings, the description as body). Tabs (`/files`, `/changes`, `/commits`, `/checks`)
 * preview the pull request; a comment anchor previews that comment within it.
 */

/** The fields of a pull request preview; the issue query asks for them too (issue links may be PRs). */
export const PULL_REQUEST_FIELDS = /* GraphQL */ `
  fragment PullRequestFields on PullRequest {
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
    ${AUTHOR}
    ${LABELS}
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
`;

export const PULL_REQUEST_QUERY = /* GraphQL */ `
  query PullRequestPreview($owner: String!, $repo: String!, $number: Int!) {
    repository(owner: $owner, name: $repo) {
      nameWithOwner
      pullRequest(number: $number) {
        ...PullRequestFields
      }
    }
  }
  ${PULL_REQUEST_FIELDS}
`;

type PullRequestState = "OPEN" | "CLOSED" | "MERGED";
type ReviewDecision = "APPROVED" | "CHANGES_REQUESTED" | "REVIEW_REQUIRED";

/** The fragment's answer, with GitHub's nullability. */
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
  author: AuthorAnswer;
  labels: LabelsAnswer;
  comments: { totalCount: number };
  commits: { nodes: ({ commit: { statusCheckRollup: { state: StatusState } | null } } | null)[] | null };
}

interface PullRequestAnswer {
  repository: { nameWithOwner: string; pullRequest: PullRequestNode | null } | null;
}

export async function fetchPullRequest(
  params: Params,
  ctx: KindContext,
): Promise<{ nameWithOwner: string; pullRequest: PullRequestNode }> {
  const variables = { ...repoOf(params), number: Number(param(params, "number")) };
  const data = await ctx.api.graphql<PullRequestAnswer>(ctx.caller, PULL_REQUEST_QUERY, variables);
  const pullRequest = data.repository?.pullRequest;
  // GitHub reports a missing object as a NOT_FOUND error; a bare null means the same thing
  if (!data.repository || !pullRequest) throw new UnfurlError(404, MESSAGES.notFound);
  return { nameWithOwner: data.repository.nameWithOwner, pullRequest };
}

function stateLabel(pr: PullRequestNode): [string, Rgb] {
  if (pr.merged || pr.state === "MERGED") return ["Merged", COLORS.purple];
  if (pr.state === "CLOSED") return ["Closed", COLORS.red];
  return pr.isDraft ? ["Draft", COLORS.grey] : ["Open", COLORS.green];
}

const REVIEW: Record<ReviewDecision, [string, Rgb]> = {
  APPROVED: ["Approved", COLORS.green],
  CHANGES_REQUESTED: ["Changes requested", COLORS.red],
  REVIEW_REQUIRED: ["Review required", COLORS.amber],
};

export function pullRequestAttributes(nameWithOwner: string, pr: PullRequestNode, developerName: string): Attribute[] {
  const [state, stateColor] = stateLabel(pr);
  const review = pr.reviewDecision ? REVIEW[pr.reviewDecision] : undefined;
  return [
    title(pr.title),
    plainText("identifier", "Pull request", `${nameWithOwner}#${pr.number}`, "identifier"),
    enumValue("state", "State", state, "primary", stateColor),
    ...(review ? [enumValue("review", "Review", review[0], "primary", review[1])] : []),
    ...checksAttribute(pr.commits.nodes?.at(-1)?.commit.statusCheckRollup?.state),
    ...labelAttributes(pr.labels?.nodes ?? []),
    plainText("branches", "Branches", `${pr.baseRefName} ← ${pr.headRefName}`, "secondary"),
    plainText("changes", "Changes", `+${pr.additions} −${pr.deletions} in ${plural(pr.changedFiles, "file")}`, "secondary"),
    plainText("comments", "Comments", plural(pr.comments.totalCount, "comment"), "secondary"),
    pr.merged && pr.mergedAt
      ? datetime("merged_at", "Merged", pr.mergedAt, "secondary")
      : datetime("updated_at", "Updated", pr.updatedAt, "secondary"),
    ...personAttributes(pr.author),
    ...bodyAttribute(pr.bodyText),
    dev(developerName),
  ];
}

/** The tabs of a pull request page; `/commits/<sha>` is a commit link, not a tab. */
const TABS = String.raw`(?:\/(?:files|changes|checks)(?:\/[^?#]*)?|\/commits)?`;

export const pullRequestKind: LinkKind = {
  kind: "pull_request",
  name: "GitHub pull request",
  pattern: (site) => String.raw`${repoStart(site)}\/pull\/(?<number>${NUMBER})${TABS}${endWithAnchors(PULL_COMMENT_ANCHORS)}`,
  samples: (site) => [
    `${site.origin}/octocat/hello-world/pull/42`,
    `${site.origin}/octocat/hello-world/pull/42/files`,
    `${site.origin}/octo-org/octo.repo/pull/7?notification_referrer_id=1#issuecomment-1`,
    `${site.origin}/octo-org/octo.repo/pull/7#discussion_r12345`,
  ],
  placeholder: { title: "Pull request #$<number>", identifier: "$<owner>/$<repo>#$<number>" },
  accept: (p) => Number(p["number"]) <= MAX_GRAPHQL_INT,
  key: (site, p) => pullKey(site.host, param(p, "owner"), param(p, "repo"), param(p, "number")),
  async unfurl(params, ctx) {
    const [{ nameWithOwner, pullRequest }, comment] = await Promise.all([
      fetchPullRequest(params, ctx),
      fetchAnchoredComment(params, ctx),
    ]);
    return withComment(pullRequestAttributes(nameWithOwner, pullRequest, ctx.developerName), comment);
  },
};
