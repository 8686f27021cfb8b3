import { z } from "zod";
import { type Attribute, datetime, dev, enumValue, plainText, title } from "../../notion/attributes.js";
import { lineExcerpt } from "./file.js";
import { COLORS, personAttributes, plural, restPerson } from "./format.js";
import { gistKey } from "./keys.js";
import type { LinkKind } from "./linkKind.js";
import { END, LOGIN, type GitHubSite, escapeRegex, param } from "./urls.js";

/**
 * Gist previews: `https://gist.github.com/<user>/<id>` on github.com; on GHES `https://gist.HOST/…`
 * (subdomain isolation) or `HOST/gist/…`. One REST call; the first file's opening lines are the body.
 */

const EXCERPT_LINES = 8;
/** Kept of the first file's text: its opening lines are all the preview shows. */
const MAX_TEXT_CHARS = 4096;

const gistSchema = z
  .object({
    id: z.string(),
    description: z.string().nullable(),
    public: z.boolean(),
    updated_at: z.string(),
    owner: z.object({ login: z.string(), avatar_url: z.string().nullish() }).nullish(),
    files: z.record(
      z.string(),
      z.object({ filename: z.string().optional(), language: z.string().nullish(), content: z.string().optional() }).nullable(),
    ),
  })
  .transform(({ files, ...gist }) => {
    const list = Object.entries(files).flatMap(([name, f]) => (f ? [{ name: f.filename ?? name, language: f.language ?? null }] : []));
    const first = Object.values(files).find((f) => f !== null);
    return { ...gist, files: list, firstText: first?.content?.slice(0, MAX_TEXT_CHARS) ?? null };
  });
type GistJson = z.infer<typeof gistSchema>;

export function gistAttributes(gist: GistJson, developerName: string): Attribute[] {
  const first = gist.files[0];
  const owner = gist.owner?.login;
  const body = gist.firstText ? lineExcerpt(gist.firstText, 1, EXCERPT_LINES) : "";
  return [
    title(gist.description?.trim() || first?.name || `Gist ${gist.id}`),
    plainText("identifier", "Gist", `${owner ? `${owner} / ` : ""}${first?.name ?? gist.id}`, "identifier"),
    enumValue("visibility", "Visibility", gist.public ? "Public" : "Secret", "primary", gist.public ? COLORS.grey : COLORS.amber),
    ...(first?.language ? [enumValue("language", "Language", first.language, "primary")] : []),
    plainText("files", "Files", plural(gist.files.length, "file"), "secondary"),
    datetime("updated_at", "Updated", gist.updated_at, "secondary"),
    ...personAttributes(restPerson(gist.owner), "Owner"),
    ...(body.trim() ? [plainText("body", first?.name ?? "Content", body, "body")] : []),
    dev(developerName),
  ];
}

const gistStart = (site: GitHubSite): string => `^(?:${site.gistBases.map(escapeRegex).join("|")})`;

export const gistKind: LinkKind = {
  kind: "gist",
  name: "GitHub gist",
  pattern: (site) => String.raw`${gistStart(site)}\/(?:(?<user>${LOGIN})\/)?(?<gist>[0-9a-fA-F]{20,40}|\d{1,10})${END}`,
  samples: (site) => [`${site.gistBases[0]}/octocat/6cad326836d38bd3a7ae`, `${site.gistBases[0]}/aa5a315d61ae9438b18d#file-hello-md`],
  placeholder: { title: "Gist $<gist>", identifier: "$<gist>" },
  key: (site, p) => gistKey(site.host, param(p, "gist")),
  async unfurl(params, ctx) {
    const gist = await ctx.api.rest(ctx.caller, `/gists/${encodeURIComponent(param(params, "gist"))}`, gistSchema);
    return gistAttributes(gist, ctx.developerName);
  },
};
