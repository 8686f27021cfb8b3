import { type Attribute, dev, enumValue, plainText, title } from "../../notion/attributes.js";
import { type ContentFile, fetchContents, isFile } from "./contents.js";
import { plural, languageOf } from "./format.js";
import { fileKey } from "./keys.js";
import type { LinkKind } from "./linkKind.js";
import { treeAttributes } from "./tree.js";
import { type Params, endWithAnchors, param, repoOf, repoStart } from "./urls.js";

/**
 * File previews (`/blob/<ref>/<path>`, optionally `#L10` or `#L10-L20`): the path, the ref, the
 * language and the selected lines (or the first few) as the body.
 */

/** Lines shown when the link selects none, and at most when it selects many. */
const DEFAULT_LINES = 8;
const MAX_LINES = 30;
/** Stays well under the validator's plain-text limit. */
const MAX_EXCERPT_CHARS = 1500;

/** Lines `start`–`end` (1-based, inclusive), common indentation removed, capped. */
export function lineExcerpt(text: string, start: number, end: number): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  if (text.endsWith("\n")) lines.pop();
  const from = Math.max(1, Math.min(start, end));
  const to = Math.min(Math.max(start, end), from + MAX_LINES - 1, lines.length);
  const picked = lines.slice(from - 1, to).map((l) => l.replace(/\s+$/, ""));
  const indents = picked.filter((l) => l.trim() !== "").map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0);
  const indent = indents.length > 0 ? Math.min(...indents) : 0;
  const out = picked.map((l) => l.slice(indent)).join("\n");
  return out.length > MAX_EXCERPT_CHARS ? `${out.slice(0, MAX_EXCERPT_CHARS).replace(/\n[^\n]*$/, "")}\n…` : out;
}

export function fileAttributes(nameWithOwner: string, ref: string, file: ContentFile, params: Params, developerName: string): Attribute[] {
  const start = params["start"] ? Number(params["start"]) : undefined;
  const end = params["end"] ? Number(params["end"]) : start;
  const lines = start === undefined ? "" : end === start ? `#L${start}` : `#L${start}-L${end}`;
  const language = languageOf(file.path);
  const lineCount = file.text === null ? undefined : file.text.split("\n").length - (file.text.endsWith("\n") ? 1 : 0);
  const body = file.text === null ? "" : lineExcerpt(file.text, start ?? 1, end ?? DEFAULT_LINES);
  return [
    title(file.name),
    plainText("identifier", "Path", `${file.path}${lines}`, "identifier"),
    ...(language ? [enumValue("language", "Language", language, "primary")] : []),
    plainText("ref", "Ref", `${nameWithOwner}@${ref}`, "secondary"),
    plainText("size", "Size", lineCount === undefined ? `Binary or large file, ${plural(file.size, "byte")}` : plural(lineCount, "line"), "secondary"),
    ...(body.trim() ? [plainText("body", start === undefined ? "Beginning" : "Selected lines", body, "body")] : []),
    dev(developerName),
  ];
}

const LINES = String.raw`L(?<start>\d{1,7})(?:C\d+)?(?:-L(?<end>\d{1,7})(?:C\d+)?)?`;

export const fileKind: LinkKind = {
  kind: "file",
  name: "GitHub file",
  pattern: (site) => String.raw`${repoStart(site)}\/blob\/(?<ref>[^/?#]+)\/(?<path>[^?#]*[^/?#])${endWithAnchors([LINES])}`,
  samples: (site) => [
    `${site.origin}/octocat/hello-world/blob/main/README.md`,
    `${site.origin}/octo-org/octo.repo/blob/v1.2.0/src/index.ts#L10-L20`,
  ],
  placeholder: { title: "$<path>", identifier: "$<owner>/$<repo>@$<ref>" },
  key: (site, p) => fileKey(site.host, param(p, "owner"), param(p, "repo"), `${param(p, "ref")}/${param(p, "path")}`),
  async unfurl(params, ctx) {
    const { ref, path, contents } = await fetchContents(params, ctx, true);
    const { owner, repo } = repoOf(params);
    // GitHub redirects a blob link of a directory to its tree
    return isFile(contents)
      ? fileAttributes(`${owner}/${repo}`, ref, contents, params, ctx.developerName)
      : treeAttributes(`${owner}/${repo}`, ref, path, contents, ctx.developerName);
  },
};
