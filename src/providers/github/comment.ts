import { z } from "zod";
import type { Attribute } from "../../notion/attributes.js";
import type { KindContext } from "./linkKind.js";
import { bodyAttribute, markdownToText, personAttributes, restPerson } from "./format.js";
import { type Params, param, repoPath } from "./urls.js";

/**
 * Links to one comment of a pull request or issue (`#issuecomment-1`, `#discussion_r2`, `#r2` in
 * the files tab, `#pullrequestreview-3`): the preview is the conversation's, with that comment's
 * author and text instead of the description. GraphQL cannot look a comment up by the number in
 * the link, so the comment is one REST call beside the conversation's query.
 */

/** Fragment alternatives for `endWithAnchors`, each with its named group. */
export const ISSUE_COMMENT_ANCHOR = String.raw`issuecomment-(?<issueComment>\d{1,20})`;
export const PULL_COMMENT_ANCHORS = [
  ISSUE_COMMENT_ANCHOR,
  String.raw`(?:discussion_)?r(?<reviewComment>\d{1,20})`,
  String.raw`pullrequestreview-(?<review>\d{1,20})`,
];

const user = z.object({ login: z.string(), avatar_url: z.string().nullish() }).nullable();
const commentSchema = z.object({ body: z.string().nullish(), user });
const reviewSchema = z.object({ body: z.string().nullish(), state: z.string(), user });

const REVIEW_VERBS: Record<string, string> = {
  APPROVED: "approved",
  CHANGES_REQUESTED: "requested changes",
  COMMENTED: "reviewed",
  DISMISSED: "reviewed (dismissed)",
  PENDING: "is reviewing",
};

interface AnchoredComment {
  author: { login: string; avatar_url?: string | null } | null;
  body: string;
  verb: string;
}

/** The comment the link points at, or null when it points at the conversation itself. */
export async function fetchAnchoredComment(params: Params, ctx: KindContext): Promise<AnchoredComment | null> {
  const base = repoPath(params);
  const { issueComment, reviewComment, review } = params;
  if (issueComment) {
    const c = await ctx.api.rest(ctx.caller, `${base}/issues/comments/${issueComment}`, commentSchema);
    return { author: c.user, body: c.body ?? "", verb: "commented" };
  }
  if (reviewComment) {
    const c = await ctx.api.rest(ctx.caller, `${base}/pulls/comments/${reviewComment}`, commentSchema);
    return { author: c.user, body: c.body ?? "", verb: "commented on the code" };
  }
  if (review) {
    const r = await ctx.api.rest(ctx.caller, `${base}/pulls/${param(params, "number")}/reviews/${review}`, reviewSchema);
    return { author: r.user, body: r.body ?? "", verb: REVIEW_VERBS[r.state] ?? "reviewed" };
  }
  return null;
}

/** The conversation's attributes with the comment's author and text in place of the description. */
export function withComment(attributes: Attribute[], comment: AnchoredComment | null): Attribute[] {
  if (!comment) return attributes;
  const replaced = new Set(["author_avatar", "author", "body"]);
  const kept = attributes.filter((a) => !replaced.has(a.id));
  const devAt = kept.findIndex((a) => a.id === "dev");
  const added = [
    ...personAttributes(restPerson(comment.author), "Comment author", comment.verb),
    ...bodyAttribute(markdownToText(comment.body), "Comment"),
  ];
  return [...kept.slice(0, devAt), ...added, ...kept.slice(devAt)];
}
