import { type Attribute, type Rgb, datetime, dev, enumValue, plainText, title } from "../../notion/attributes.js";
import { UnfurlError } from "../../http/errors.js";
import { MESSAGES } from "./api.js";
import { ISSUE_COMMENT_ANCHOR, fetchAnchoredComment, withComment } from "./comment.js";
import { COLORS, bodyAttribute, labelAttributes, personAttributes, plural } from "./format.js";
import { issueKey } from "./keys.js";
import type { KindContext, LinkKind } from "./linkKind.js";
import { PULL_REQUEST_FIELDS, type PullRequestNode, pullRequestAttributes } from "./pullRequest.js";
import { AUTHOR, type AuthorAnswer, LABELS, type LabelsAnswer } from "./selections.js";
import { MAX_GRAPHQL_INT, NUMBER, type Params, endWithAnchors, param, repoOf, repoStart } from "./urls.js";

/**
 * Issue previews: state with its reason, labels, assignees, milestone, comments, author. GitHub
 * serves `/issues/<n>` for pull requests too (it redirects), so the one query asks for either and
 * a pull request is previewed as one.
 */

const MAX_ASSIGNEES = 3;

const ISSUE_QUERY = /* GraphQL */ `
  query IssuePreview($owner: String!, $repo: String!, $number: Int!) {
    repository(owner: $owner, name: $repo) {
      nameWithOwner
      issueOrPullRequest(number: $number) {
        __typename
        ...IssueFields
        ...PullRequestFields
      }
    }
  }
  fragment IssueFields on Issue {
    number
    title
    issueState: state
    stateReason
    updatedAt
    bodyText
    ${AUTHOR}
    ${LABELS}
    assignees(first: ${MAX_ASSIGNEES}) {
      totalCount
      nodes {
        login
      }
    }
    milestone {
      title
    }
    comments {
      totalCount
    }
  }
  ${PULL_REQUEST_FIELDS}
`;

type IssueStateReason = "COMPLETED" | "NOT_PLANNED" | "REOPENED" | "DUPLICATE";

export interface IssueNode {
  __typename: "Issue";
  number: number;
  title: string;
  /** Aliased: `state` would clash with the pull request fragment's (another enum type). */
  issueState: "OPEN" | "CLOSED";
  stateReason: IssueStateReason | null;
  updatedAt: string;
  bodyText: string;
  author: AuthorAnswer;
  labels: LabelsAnswer;
  assignees: { totalCount: number; nodes: ({ login: string } | null)[] | null };
  milestone: { title: string } | null;
  comments: { totalCount: number };
}

interface IssueAnswer {
  repository: {
    nameWithOwner: string;
    issueOrPullRequest: IssueNode | (PullRequestNode & { __typename: "PullRequest" }) | null;
  } | null;
}

function stateLabel(issue: IssueNode): [string, Rgb] {
  if (issue.issueState === "OPEN") return ["Open", COLORS.green];
  if (issue.stateReason === "NOT_PLANNED") return ["Closed as not planned", COLORS.grey];
  if (issue.stateReason === "DUPLICATE") return ["Closed as duplicate", COLORS.grey];
  return ["Closed as completed", COLORS.purple];
}

export function issueAttributes(nameWithOwner: string, issue: IssueNode, developerName: string): Attribute[] {
  const [state, stateColor] = stateLabel(issue);
  const assignees = (issue.assignees.nodes ?? []).flatMap((a) => (a ? [`@${a.login}`] : []));
  const more = issue.assignees.totalCount - assignees.length;
  return [
    title(issue.title),
    plainText("identifier", "Issue", `${nameWithOwner}#${issue.number}`, "identifier"),
    enumValue("state", "State", state, "primary", stateColor),
    ...labelAttributes(issue.labels?.nodes ?? []),
    ...(assignees.length > 0
      ? [plainText("assignees", "Assignees", `${assignees.join(", ")}${more > 0 ? ` +${more}` : ""}`, "secondary")]
      : []),
    ...(issue.milestone ? [plainText("milestone", "Milestone", issue.milestone.title, "secondary")] : []),
    plainText("comments", "Comments", plural(issue.comments.totalCount, "comment"), "secondary"),
    datetime("updated_at", "Updated", issue.updatedAt, "secondary"),
    ...personAttributes(issue.author),
    ...bodyAttribute(issue.bodyText),
    dev(developerName),
  ];
}

async function fetchIssue(params: Params, ctx: KindContext): Promise<Attribute[]> {
  const variables = { ...repoOf(params), number: Number(param(params, "number")) };
  const data = await ctx.api.graphql<IssueAnswer>(ctx.caller, ISSUE_QUERY, variables);
  const node = data.repository?.issueOrPullRequest;
  if (!data.repository || !node) throw new UnfurlError(404, MESSAGES.notFound);
  const { nameWithOwner } = data.repository;
  return node.__typename === "Issue"
    ? issueAttributes(nameWithOwner, node, ctx.developerName)
    : pullRequestAttributes(nameWithOwner, node, ctx.developerName);
}

export const issueKind: LinkKind = {
  kind: "issue",
  name: "GitHub issue",
  pattern: (site) => String.raw`${repoStart(site)}\/issues\/(?<number>${NUMBER})${endWithAnchors([ISSUE_COMMENT_ANCHOR])}`,
  samples: (site) => [
    `${site.origin}/octocat/hello-world/issues/1347`,
    `${site.origin}/octo-org/octo.repo/issues/12#issuecomment-987654`,
  ],
  placeholder: { title: "Issue #$<number>", identifier: "$<owner>/$<repo>#$<number>" },
  accept: (p) => Number(p["number"]) <= MAX_GRAPHQL_INT,
  key: (site, p) => issueKey(site.host, param(p, "owner"), param(p, "repo"), param(p, "number")),
  async unfurl(params, ctx) {
    const [attributes, comment] = await Promise.all([fetchIssue(params, ctx), fetchAnchoredComment(params, ctx)]);
    return withComment(attributes, comment);
  },
};
