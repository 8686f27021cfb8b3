import { z } from "zod";
import { type Attribute, datetime, dev, enumValue, plainText, title } from "../../notion/attributes.js";
import { COLORS, bodyAttribute, personAttributes, plural, restPerson } from "./format.js";
import { repositoryKey } from "./keys.js";
import type { LinkKind } from "./linkKind.js";
import type { GitHubSite } from "./urls.js";
import { END, param, repoPath, repoStart } from "./urls.js";

/** Repository root previews: description, language, stars, topics, visibility, last push. */

const MAX_TOPICS = 5;

export const repositorySchema = z.object({
  full_name: z.string(),
  description: z.string().nullable(),
  private: z.boolean(),
  visibility: z.string().optional(),
  archived: z.boolean().optional(),
  fork: z.boolean(),
  language: z.string().nullable(),
  stargazers_count: z.number(),
  forks_count: z.number(),
  topics: z.array(z.string()).optional(),
  pushed_at: z.string().nullable(),
  owner: z.object({ login: z.string(), avatar_url: z.string().nullish() }),
});
export type RepositoryJson = z.infer<typeof repositorySchema>;

const VISIBILITY: Record<string, string> = { public: "Public", private: "Private", internal: "Internal" };

export function repositoryAttributes(site: GitHubSite, repo: RepositoryJson, developerName: string): Attribute[] {
  const visibility = repo.visibility ?? (repo.private ? "private" : "public");
  const topics = (repo.topics ?? []).slice(0, MAX_TOPICS);
  return [
    title(repo.full_name),
    plainText("identifier", "Repository", `${site.host}/${repo.full_name}`, "identifier"),
    enumValue("visibility", "Visibility", VISIBILITY[visibility] ?? visibility, "primary", visibility === "public" ? COLORS.grey : COLORS.amber),
    ...(repo.archived ? [enumValue("archived", "Archived", "Archived", "primary", COLORS.amber)] : []),
    ...(repo.fork ? [enumValue("fork", "Fork", "Fork", "primary", COLORS.grey)] : []),
    ...(repo.language ? [enumValue("language", "Language", repo.language, "primary")] : []),
    plainText("stars", "Stars", plural(repo.stargazers_count, "star"), "secondary"),
    plainText("forks", "Forks", plural(repo.forks_count, "fork"), "secondary"),
    ...(topics.length > 0 ? [plainText("topics", "Topics", topics.join(", "), "secondary")] : []),
    ...(repo.pushed_at ? [datetime("pushed_at", "Last push", repo.pushed_at, "secondary")] : []),
    ...personAttributes(restPerson(repo.owner), "Owner"),
    ...bodyAttribute(repo.description),
    dev(developerName),
  ];
}

export const repositoryKind: LinkKind = {
  kind: "repository",
  name: "GitHub repository",
  pattern: (site) => `${repoStart(site)}${END}`,
  samples: (site) => [`${site.origin}/octocat/hello-world`, `${site.origin}/octo-org/octo.repo/?tab=readme-ov-file`],
  placeholder: { title: "$<owner>/$<repo>", identifier: "$<owner>/$<repo>" },
  key: (site, p) => repositoryKey(site.host, param(p, "owner"), param(p, "repo")),
  async unfurl(params, ctx) {
    const repo = await ctx.api.rest(ctx.caller, repoPath(params), repositorySchema);
    return repositoryAttributes(ctx.site, repo, ctx.developerName);
  },
};
