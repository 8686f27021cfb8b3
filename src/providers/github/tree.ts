import { type Attribute, dev, plainText, title } from "../../notion/attributes.js";
import { type Contents, fetchContents, isFile } from "./contents.js";
import { fileAttributes } from "./file.js";
import { plural } from "./format.js";
import { treeKey } from "./keys.js";
import type { LinkKind } from "./linkKind.js";
import { END, param, repoOf, repoStart } from "./urls.js";

/** Directory previews (`/tree/<ref>` and `/tree/<ref>/<path>`): what the directory holds. */

const MAX_NAMES = 20;

/** `contents` is the directory's listing, or the one entry a symlink or submodule is. */
export function treeAttributes(nameWithOwner: string, ref: string, path: string, contents: Contents, developerName: string): Attribute[] {
  const entries = Array.isArray(contents) ? contents : [contents];
  const dirs = entries.filter((e) => e.type === "dir").sort((a, b) => a.name.localeCompare(b.name));
  const others = entries.filter((e) => e.type !== "dir").sort((a, b) => a.name.localeCompare(b.name));
  const names = [...dirs.map((d) => `${d.name}/`), ...others.map((f) => f.name)];
  const listed = names.slice(0, MAX_NAMES).join("  ");
  return [
    title(path ? path.slice(path.lastIndexOf("/") + 1) : nameWithOwner),
    plainText("identifier", "Path", path ? `${path}/` : `${nameWithOwner}@${ref}`, "identifier"),
    plainText("ref", "Ref", `${nameWithOwner}@${ref}`, "secondary"),
    plainText("entries", "Entries", `${plural(dirs.length, "folder")}, ${plural(others.length, "file")}`, "secondary"),
    ...(listed ? [plainText("body", "Contents", names.length > MAX_NAMES ? `${listed}  …` : listed, "body")] : []),
    dev(developerName),
  ];
}

export const treeKind: LinkKind = {
  kind: "tree",
  name: "GitHub directory",
  pattern: (site) => String.raw`${repoStart(site)}\/tree\/(?<ref>[^/?#]+)(?:\/(?<path>[^?#]*[^/?#]))?${END}`,
  samples: (site) => [`${site.origin}/octocat/hello-world/tree/main`, `${site.origin}/octo-org/octo.repo/tree/v1.2.0/src/lib`],
  placeholder: { title: "$<owner>/$<repo>", identifier: "$<owner>/$<repo>@$<ref>" },
  key: (site, p) => treeKey(site.host, param(p, "owner"), param(p, "repo"), p["path"] ? `${param(p, "ref")}/${p["path"]}` : param(p, "ref")),
  async unfurl(params, ctx) {
    const { ref, path, contents } = await fetchContents(params, ctx, false);
    const { owner, repo } = repoOf(params);
    return isFile(contents)
      ? fileAttributes(`${owner}/${repo}`, ref, contents, {}, ctx.developerName)
      : treeAttributes(`${owner}/${repo}`, ref, path, contents, ctx.developerName);
  },
};
