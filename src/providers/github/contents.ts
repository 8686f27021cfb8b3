import { z } from "zod";
import { UnfurlError } from "../../http/errors.js";
import type { KindContext } from "./linkKind.js";
import { type Params, decodePath, param, repoPath } from "./urls.js";

/**
 * Reading what `/blob/<ref>/<path>` and `/tree/<ref>/<path>` links point at, through the contents
 * API. A link does not say where a ref with slashes (`feature/x`) ends and the path begins; like
 * GitHub, we try the shortest ref first and a longer one when that finds nothing.
 */

/** Refs with more slashes than this are rare enough to answer "not found". */
const MAX_REF_SEGMENTS = 3;
/** Text kept of a file: enough for the lines a link usually selects, bounded for the cache. */
const MAX_TEXT_BYTES = 64 * 1024;

const entrySchema = z.object({ type: z.string(), name: z.string(), path: z.string(), size: z.number() });
export type ContentEntry = z.infer<typeof entrySchema>;

const fileSchema = z
  .object({
    type: z.literal("file"),
    name: z.string(),
    path: z.string(),
    size: z.number(),
    content: z.string().optional(),
    encoding: z.string().optional(),
  })
  .transform(({ content, encoding, ...file }) => ({ ...file, text: decodeText(content, encoding) }));
export type ContentFile = z.infer<typeof fileSchema>;

const contentsSchema = z.union([z.array(entrySchema), fileSchema, entrySchema]);
export type Contents = z.infer<typeof contentsSchema>;

/**
 * The file's text, or null for binary files and files too large for the contents API (GitHub
 * sends `encoding: "none"` above 1 MB). Cut at `MAX_TEXT_BYTES`, on a line end.
 */
function decodeText(content: string | undefined, encoding: string | undefined): string | null {
  if (content === undefined || encoding !== "base64") return null;
  const bytes = Buffer.from(content, "base64");
  if (bytes.subarray(0, 8000).includes(0)) return null;
  const text = bytes.subarray(0, MAX_TEXT_BYTES).toString("utf8");
  return bytes.length > MAX_TEXT_BYTES ? text.slice(0, text.lastIndexOf("\n") + 1) : text;
}

export const isFile = (c: Contents): c is ContentFile => !Array.isArray(c) && "text" in c;

export interface Located {
  ref: string;
  /** Path inside the repository; empty for the root. */
  path: string;
  contents: Contents;
}

/** `needsPath`: a blob link must leave a path after the ref; a tree link may not. */
export async function fetchContents(params: Params, ctx: KindContext, needsPath: boolean): Promise<Located> {
  const segments = [param(params, "ref"), ...(params["path"] ? params["path"].split("/") : [])].map(decodePath);
  const tries = Math.min(MAX_REF_SEGMENTS, segments.length - (needsPath ? 1 : 0));
  for (let i = 1; ; i++) {
    const ref = segments.slice(0, i).join("/");
    const path = segments.slice(i).join("/");
    const url = `${repoPath(params)}/contents/${path.split("/").map(encodeURIComponent).join("/")}?ref=${encodeURIComponent(ref)}`;
    try {
      return { ref, path, contents: await ctx.api.rest(ctx.caller, url, contentsSchema) };
    } catch (err) {
      if (i >= tries || !(err instanceof UnfurlError && err.status === 404)) throw err;
    }
  }
}
