import { z } from "zod";
import { type Attribute, datetime, dev, plainText, title } from "../../notion/attributes.js";
import { optional } from "./errors.js";
import { type CheckRun, type CombinedStatus, checksAttribute, rollup } from "./checks.js";
import { bodyAttribute, personAttributes, plural, restPerson } from "./format.js";
import { commitKey } from "./keys.js";
import type { KindContext, LinkKind } from "./linkKind.js";
import { END, NUMBER, SHA, type Params, param, repoOf, repoPath, repoStart } from "./urls.js";

/**
 * Commit previews, for `/commit/<sha>` and `/pull/<n>/commits/<sha>`: the commit, its combined
 * status and its check runs are three REST calls made at once. The commit itself never changes,
 * so revisits cost three `304`s, which GitHub does not count.
 */

/** Check runs read per commit: enough to find one failing among a large matrix. */
const MAX_CHECK_RUNS = 100;

const commitSchema = z.object({
  sha: z.string(),
  commit: z.object({
    message: z.string(),
    author: z.object({ name: z.string().optional(), date: z.string().optional() }).nullable(),
    committer: z.object({ date: z.string().optional() }).nullable(),
  }),
  // `{}` when the git author is no GitHub account
  author: z.object({ login: z.string().optional(), avatar_url: z.string().optional() }).nullable(),
  stats: z.object({ additions: z.number().optional(), deletions: z.number().optional() }).optional(),
  // only the count is shown: each file is kept as an empty object
  files: z.array(z.object({})).optional(),
});
type CommitJson = z.infer<typeof commitSchema>;

const statusSchema = z.object({ state: z.string(), total_count: z.number() });
const checkRunsSchema = z.object({
  total_count: z.number(),
  check_runs: z.array(z.object({ status: z.string(), conclusion: z.string().nullable() })),
});

export function commitAttributes(
  nameWithOwner: string,
  commit: CommitJson,
  checks: { status: CombinedStatus | null; checkRuns: readonly CheckRun[] },
  developerName: string,
  pull?: string,
): Attribute[] {
  const [headline = "", ...rest] = commit.commit.message.split("\n");
  const date = commit.commit.author?.date ?? commit.commit.committer?.date;
  const { additions, deletions } = commit.stats ?? {};
  const person = commit.author?.login ? restPerson({ login: commit.author.login, avatar_url: commit.author.avatar_url }) : null;
  return [
    title(headline.trim() || commit.sha.slice(0, 7)),
    plainText("identifier", "Commit", `${nameWithOwner}@${commit.sha.slice(0, 7)}${pull ? ` (#${pull})` : ""}`, "identifier"),
    ...checksAttribute(rollup(checks.status, checks.checkRuns)),
    ...(additions !== undefined && deletions !== undefined
      ? [plainText("changes", "Changes", `+${additions} −${deletions}${commit.files ? ` in ${plural(commit.files.length, "file")}` : ""}`, "secondary")]
      : []),
    ...(date ? [datetime("committed_at", "Committed", date, "secondary")] : []),
    ...(person ? personAttributes(person) : [plainText("author", "Author", commit.commit.author?.name ?? "unknown", "avatar")]),
    ...bodyAttribute(rest.join("\n"), "Message"),
    dev(developerName),
  ];
}

async function unfurlCommit(params: Params, ctx: KindContext): Promise<Attribute[]> {
  const base = `${repoPath(params)}/commits/${encodeURIComponent(param(params, "sha"))}`;
  const [commit, status, runs] = await Promise.all([
    ctx.api.rest(ctx.caller, base, commitSchema),
    // checks are extra: a token that may not read them (a GitHub App without `checks`) still previews
    optional(ctx.api.rest(ctx.caller, `${base}/status`, statusSchema)),
    optional(ctx.api.rest(ctx.caller, `${base}/check-runs?per_page=${MAX_CHECK_RUNS}`, checkRunsSchema)),
  ]);
  const { owner, repo } = repoOf(params);
  return commitAttributes(`${owner}/${repo}`, commit, { status, checkRuns: runs?.check_runs ?? [] }, ctx.developerName, params["pull"]);
}

export const commitKind: LinkKind = {
  kind: "commit",
  name: "GitHub commit",
  pattern: (site) => String.raw`${repoStart(site)}\/(?:commit|pull\/(?<pull>${NUMBER})\/commits)\/(?<sha>${SHA})${END}`,
  samples: (site) => [
    `${site.origin}/octocat/hello-world/commit/7fd1a60b01f91b314f59955a4e4d4e80d8edf11d`,
    `${site.origin}/octo-org/octo.repo/pull/7/commits/7fd1a60`,
  ],
  placeholder: { title: "Commit $<sha>", identifier: "$<owner>/$<repo>@$<sha>" },
  key: (site, p) => commitKey(site.host, param(p, "owner"), param(p, "repo"), param(p, "sha")),
  unfurl: unfurlCommit,
};
