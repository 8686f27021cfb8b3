/**
 * Notion unfurl attributes as code: the types of the protocol's attribute objects and one small
 * typed builder per sub-type. Builders only shape data; `validateAttributes` checks a whole set.
 */

export type Section =
  | "title"
  | "primary"
  | "secondary"
  | "identifier"
  | "entity"
  | "avatar"
  | "body"
  | "embed"
  | "background";

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

export type InlineValue =
  | { title: { value: string; section: Section } }
  | { plain_text: { value: string; section: Section } }
  | { enum: { value: string; color?: Rgb; section: Section } }
  | { date: { value: string; section: Section } }
  | { datetime: { value: string; section: Section } }
  | { color: { value: Rgb; section: Section } };

export type EmbedSubType = "image" | "video" | "audio" | "html" | "pdf";

export type EmbedValue = { src_url: string } & Partial<Record<EmbedSubType, { section: Section }>>;

export type Attribute =
  | { id: string; name: string; type: "inline"; inline: InlineValue }
  | { id: string; name: string; type: "embed"; embed: EmbedValue }
  | { id: string; name: string; type: "relation"; relation: { uri: string; mention: { section: Section } } };

export const title = (value: string, id = "title", name = "Title"): Attribute => ({
  id,
  name,
  type: "inline",
  inline: { title: { value, section: "title" } },
});

export const plainText = (id: string, name: string, value: string, section: Section): Attribute => ({
  id,
  name,
  type: "inline",
  inline: { plain_text: { value, section } },
});

export const enumValue = (id: string, name: string, value: string, section: Section, color?: Rgb): Attribute => ({
  id,
  name,
  type: "inline",
  inline: { enum: color ? { value, color, section } : { value, section } },
});

/** `value` is a Date or an ISO string; kept as `YYYY-MM-DD`. */
export const date = (id: string, name: string, value: Date | string, section: Section): Attribute => ({
  id,
  name,
  type: "inline",
  inline: { date: { value: toIso(value).slice(0, 10), section } },
});

export const datetime = (id: string, name: string, value: Date | string, section: Section): Attribute => ({
  id,
  name,
  type: "inline",
  inline: { datetime: { value: toIso(value), section } },
});

export const color = (id: string, name: string, value: Rgb, section: Section): Attribute => ({
  id,
  name,
  type: "inline",
  inline: { color: { value, section } },
});

export const embed = (id: string, name: string, subType: EmbedSubType, srcUrl: string, section: Section): Attribute => ({
  id,
  name,
  type: "embed",
  embed: { src_url: srcUrl, [subType]: { section } },
});

export const image = (id: string, name: string, srcUrl: string, section: Section): Attribute =>
  embed(id, name, "image", srcUrl, section);

export const relation = (id: string, name: string, uri: string, section: Section): Attribute => ({
  id,
  name,
  type: "relation",
  relation: { uri, mention: { section } },
});

/** The `dev` attribute every set must carry: the company behind the integration. */
export const dev = (developerName: string): Attribute => plainText("dev", "Developer Name", developerName, "secondary");

/** `#rrggbb` → `{r,g,b}`; GitHub label colours come as bare hex. */
export function hexToRgb(hex: string): Rgb {
  const clean = hex.replace(/^#/, "");
  if (!/^[0-9a-f]{6}$/i.test(clean)) throw new RangeError(`not a hex colour: ${hex}`);
  return {
    r: Number.parseInt(clean.slice(0, 2), 16),
    g: Number.parseInt(clean.slice(2, 4), 16),
    b: Number.parseInt(clean.slice(4, 6), 16),
  };
}

function toIso(value: Date | string): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a date: ${String(value)}`);
  return d.toISOString();
}
