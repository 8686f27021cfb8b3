import { z } from "zod";
import { type Attribute, type Rgb, datetime, dev, enumValue, plainText, title } from "../../notion/attributes.js";
import { optional } from "./errors.js";
import { COLORS, bodyAttribute, markdownToText, personAttributes, restPerson } from "./format.js";
import { releaseKey } from "./keys.js";
import type { LinkKind } from "./linkKind.js";
import { END, decodePath, param, repoOf, repoPath, repoStart } from "./urls.js";

/**
 * Release previews (`/releases/tag/<tag>`). REST has no "is latest" flag on a release, so a
 * published, non-prerelease one is compared with `/releases/latest` (shared by every release of
 * the repository on a page, and revalidated for free like the release itself).
 */

const releaseSchema = z.object({
  id: z.number(),
  tag_name: z.string(),
  name: z.string().nullable(),
  body: z.string().nullish(),
  draft: z.boolean(),
  prerelease: z.boolean(),
  published_at: z.string().nullable(),
  created_at: z.string(),
  author: z.object({ login: z.string(), avatar_url: z.string().nullish() }).nullable(),
});
type ReleaseJson = z.infer<typeof releaseSchema>;
const latestSchema = z.object({ id: z.number() });

function releaseKindLabel(release: ReleaseJson, isLatest: boolean): [string, Rgb] {
  if (release.draft) return ["Draft", COLORS.grey];
  if (release.prerelease) return ["Pre-release", COLORS.amber];
  return isLatest ? ["Latest", COLORS.green] : ["Release", COLORS.grey];
}

export function releaseAttributes(nameWithOwner: string, release: ReleaseJson, isLatest: boolean, developerName: string): Attribute[] {
  const [label, color] = releaseKindLabel(release, isLatest);
  return [
    title(release.name?.trim() || release.tag_name),
    plainText("identifier", "Release", `${nameWithOwner}@${release.tag_name}`, "identifier"),
    enumValue("release", "Release", label, "primary", color),
    plainText("tag", "Tag", release.tag_name, "secondary"),
    release.published_at
      ? datetime("published_at", "Published", release.published_at, "secondary")
      : datetime("created_at", "Created", release.created_at, "secondary"),
    ...personAttributes(restPerson(release.author)),
    ...bodyAttribute(markdownToText(release.body ?? ""), "Notes"),
    dev(developerName),
  ];
}

export const releaseKind: LinkKind = {
  kind: "release",
  name: "GitHub release",
  pattern: (site) => String.raw`${repoStart(site)}\/releases\/tag\/(?<tag>[^?#]+?)${END}`,
  samples: (site) => [`${site.origin}/octocat/hello-world/releases/tag/v1.0.0`, `${site.origin}/octo-org/octo.repo/releases/tag/2024.05.1`],
  placeholder: { title: "$<tag>", identifier: "$<owner>/$<repo>@$<tag>" },
  key: (site, p) => releaseKey(site.host, param(p, "owner"), param(p, "repo"), decodePath(param(p, "tag"))),
  async unfurl(params, ctx) {
    const tag = decodePath(param(params, "tag"));
    const base = `${repoPath(params)}/releases`;
    const release = await ctx.api.rest(ctx.caller, `${base}/tags/${encodeURIComponent(tag)}`, releaseSchema);
    const latest = release.draft || release.prerelease ? null : await optional(ctx.api.rest(ctx.caller, `${base}/latest`, latestSchema));
    const { owner, repo } = repoOf(params);
    return releaseAttributes(`${owner}/${repo}`, release, latest?.id === release.id, ctx.developerName);
  },
};
