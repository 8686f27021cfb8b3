import { type Attribute, datetime, dev, enumValue, plainText, title } from "../../notion/attributes.js";
import { UnfurlError } from "../../http/errors.js";
import { MESSAGES } from "./api.js";
import { COLORS, bodyAttribute, personAttributes, plural } from "./format.js";
import { discussionKey } from "./keys.js";
import type { LinkKind } from "./linkKind.js";
import { AUTHOR, type AuthorAnswer } from "./selections.js";
import { END, MAX_GRAPHQL_INT, NUMBER, param, repoOf, repoStart } from "./urls.js";

/** Discussion previews: category, answered state (in Q&A categories), upvotes, comments. */

const DISCUSSION_QUERY = /* GraphQL */ `
  query DiscussionPreview($owner: String!, $repo: String!, $number: Int!) {
    repository(owner: $owner, name: $repo) {
      nameWithOwner
      discussion(number: $number) {
        number
        title
        closed
        isAnswered
        upvoteCount
        updatedAt
        bodyText
        category {
          name
          isAnswerable
        }
        ${AUTHOR}
        comments {
          totalCount
        }
      }
    }
  }
`;

export interface DiscussionNode {
  number: number;
  title: string;
  closed: boolean;
  isAnswered: boolean | null;
  upvoteCount: number;
  updatedAt: string;
  bodyText: string;
  category: { name: string; isAnswerable: boolean };
  author: AuthorAnswer;
  comments: { totalCount: number };
}

interface DiscussionAnswer {
  repository: { nameWithOwner: string; discussion: DiscussionNode | null } | null;
}

export function discussionAttributes(nameWithOwner: string, d: DiscussionNode, developerName: string): Attribute[] {
  return [
    title(d.title),
    plainText("identifier", "Discussion", `${nameWithOwner}#${d.number}`, "identifier"),
    enumValue("category", "Category", d.category.name, "primary", COLORS.blue),
    ...(d.category.isAnswerable
      ? [d.isAnswered ? enumValue("answered", "Answer", "Answered", "primary", COLORS.green) : enumValue("answered", "Answer", "Unanswered", "primary", COLORS.grey)]
      : []),
    ...(d.closed ? [enumValue("state", "State", "Closed", "primary", COLORS.purple)] : []),
    plainText("upvotes", "Upvotes", plural(d.upvoteCount, "upvote"), "secondary"),
    plainText("comments", "Comments", plural(d.comments.totalCount, "comment"), "secondary"),
    datetime("updated_at", "Updated", d.updatedAt, "secondary"),
    ...personAttributes(d.author),
    ...bodyAttribute(d.bodyText),
    dev(developerName),
  ];
}

export const discussionKind: LinkKind = {
  kind: "discussion",
  name: "GitHub discussion",
  pattern: (site) => String.raw`${repoStart(site)}\/discussions\/(?<number>${NUMBER})${END}`,
  samples: (site) => [
    `${site.origin}/octocat/hello-world/discussions/56`,
    `${site.origin}/octo-org/octo.repo/discussions/3#discussioncomment-123`,
  ],
  placeholder: { title: "Discussion #$<number>", identifier: "$<owner>/$<repo>#$<number>" },
  accept: (p) => Number(p["number"]) <= MAX_GRAPHQL_INT,
  key: (site, p) => discussionKey(site.host, param(p, "owner"), param(p, "repo"), param(p, "number")),
  async unfurl(params, ctx) {
    const variables = { ...repoOf(params), number: Number(param(params, "number")) };
    const data = await ctx.api.graphql<DiscussionAnswer>(ctx.caller, DISCUSSION_QUERY, variables);
    const discussion = data.repository?.discussion;
    if (!data.repository || !discussion) throw new UnfurlError(404, MESSAGES.notFound);
    return discussionAttributes(data.repository.nameWithOwner, discussion, ctx.developerName);
  },
};
