import { type Attribute, date, datetime, dev, embed, image, plainText, title } from "../../notion/attributes.js";
import { LIMITS } from "../../notion/validate.js";
import { excerpt } from "../excerpt.js";
import type { Metadata } from "./metadata.js";
import type { OEmbedFacts } from "./oembed.js";

/**
 * A page's metadata (and oEmbed, when the page offers it) → the preview: title; the link as
 * identifier; the site's icon as entity; site name, date and author in the subheadings; the
 * description as body; and one large embed: a video player, a video file, an oEmbed photo or
 * the page's image, in that order.
 */

export interface PageFacts {
  metadata: Metadata;
  oembed: OEmbedFacts | null;
}

/** Notion shows a few lines of body text; more is noise in a preview. */
const BODY_CHARS = 600;

export function pageAttributes(page: PageFacts, pageUrl: string, developerName: string): Attribute[] {
  const { metadata: m, oembed: o } = page;
  const link = new URL(pageUrl);
  const published = m.publishedAt;
  const author = m.author ?? o?.authorName ?? null;
  const description = m.description ? excerpt(m.description, BODY_CHARS) : null;
  const icon = usable(m.favicon, false);
  const media = mediaAttribute(page);

  return [
    title(excerpt(m.title ?? o?.title ?? link.hostname, LIMITS.title - 1)),
    plainText("identifier", "Link", excerpt(`${link.host}${link.pathname === "/" ? "" : link.pathname}`, 200), "identifier"),
    ...(icon ? [image("favicon", "Site icon", icon, "entity")] : []),
    plainText("site", "Site", excerpt(m.siteName ?? o?.providerName ?? link.hostname, 200), "secondary"),
    ...(published
      ? [published.length === 10 ? date("published", "Published", published, "secondary") : datetime("published", "Published", published, "secondary")]
      : []),
    ...(author ? [plainText("author", "Author", excerpt(author, 200), "avatar")] : []),
    ...(description ? [plainText("description", "Description", description, "body")] : []),
    ...(media ? [media] : []),
    dev(developerName),
  ];
}

/** Frames and players must be https (Notion is, and browsers block mixed frames); images may be upgraded. */
function usable(url: string | null | undefined, httpsOnly: boolean): string | null {
  if (!url || url.length > LIMITS.url) return null;
  if (httpsOnly && !url.startsWith("https://")) return null;
  return url;
}

function mediaAttribute({ metadata: m, oembed: o }: PageFacts): Attribute | null {
  if (m.video) {
    const url = usable(m.video.url, true);
    if (url) return embed("media", "Video", m.video.kind === "player" ? "html" : "video", url, "embed");
  }
  if (o?.embed) {
    const url = usable(o.embed.url, o.embed.kind === "html");
    if (url) return embed("media", o.embed.kind === "html" ? "Embed" : "Image", o.embed.kind, url, "embed");
  }
  const picture = usable(m.image ?? o?.thumbnailUrl, false);
  return picture ? image("media", "Image", picture, "embed") : null;
}
