/**
 * The one validator of Notion's unfurl attributes: every set a provider returns goes through it,
 * in tests and, cheaply, on every unfurl in development. zod checks the shape of each attribute;
 * plain code then checks what zod cannot see alone: the protocol's section × sub-type table and
 * the rules about the set as a whole (one title, the `dev` attribute, unique ids).
 *
 * Every message starts with the attribute it is about (`attribute "id" (#index)`), so a provider
 * author can find the faulty builder call without reading the JSON.
 */
import { z } from "zod";
import type { Attribute, EmbedSubType, InlineValue, Section } from "./attributes.js";

type InlineSubType = "title" | "plain_text" | "enum" | "date" | "datetime" | "color";
type SubType = InlineSubType | EmbedSubType;

/** The protocol's table, written the way the protocol page writes it: section → valid sub-types. */
export const SUB_TYPES_BY_SECTION = {
  title: ["title"],
  primary: ["enum", "date", "datetime", "plain_text"],
  secondary: ["date", "datetime", "plain_text"],
  identifier: ["image", "plain_text"],
  entity: ["color", "image"],
  avatar: ["image", "plain_text"],
  body: ["plain_text"],
  embed: ["audio", "html", "image", "pdf", "video"],
  background: ["color"],
} as const satisfies Record<Section, readonly SubType[]>;

/**
 * The table has no row for relations. Notion's only example of a relation mentions it in
 * `primary`; we also accept `secondary` and `identifier`, the other text subheadings a mention
 * can sit in. Pictures, body, embed and background cannot hold a link to another object.
 */
export const RELATION_SECTIONS: readonly Section[] = ["primary", "secondary", "identifier"];

/**
 * Length caps (in UTF-16 units, as JavaScript counts). Notion documents none; these are ours and
 * sized for what a preview can show: a heading, a line or a paragraph. A longer value is a mapping
 * bug (a whole README in a subheading), better caught here than truncated silently by Notion.
 */
export const LIMITS = {
  /** the main heading: long issue titles fit, a paragraph does not */
  title: 500,
  /** subheadings and the body text: enough for a description's first paragraphs */
  plainText: 2000,
  /** an enum is a short pill (a state, a label name: GitHub caps labels at 50) */
  enum: 100,
  /** ids and names are ours, short identifiers and field names */
  id: 100,
  name: 200,
  /** beyond this, browsers and proxies start to refuse URLs */
  url: 2048,
} as const;

const SECTIONS = Object.keys(SUB_TYPES_BY_SECTION) as Section[];
const INLINE_SUB_TYPES: readonly InlineSubType[] = ["title", "plain_text", "enum", "date", "datetime", "color"];
const EMBED_SUB_TYPES: readonly EmbedSubType[] = ["image", "video", "audio", "html", "pdf"];

// ---- zod schemas, built once at module load (the validator runs on every unfurl in development) ----

const show = (input: unknown): string => {
  const text = JSON.stringify(input);
  return text === undefined ? String(input) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

const sectionSchema = z.enum(SECTIONS, {
  error: (iss) => `must be one of the sections ${SECTIONS.join(", ")}; got ${show(iss.input)}`,
});

const text = (max: number) =>
  z.string().max(max, {
    error: (iss) => `is longer than ${max} characters (${typeof iss.input === "string" ? iss.input.length : "?"})`,
  });

const nonBlank = (max: number) => text(max).refine((s) => s.trim() !== "", { error: "must not be empty" });

// one message for every way a channel can be wrong: -1, 256 and 12.5 are the same mistake
const channelError = (iss: { input?: unknown }) =>
  iss.input === undefined ? "is required (an integer 0–255)" : `must be an integer 0–255; got ${show(iss.input)}`;
const channel = z.int({ error: channelError }).min(0, { error: channelError }).max(255, { error: channelError });
const rgbSchema = z.strictObject({
  r: channel,
  g: channel,
  b: channel,
});

/**
 * Absolute http(s) only: Notion loads `src_url` in the user's browser (img, iframe), so a relative
 * URL has no base and `javascript:`/`data:` would be an injection. The prefix test stops the WHATWG
 * parser's leniency (`https:example.com` parses as `https://example.com/`). A relation's `uri` is
 * a link Notion unfurls in turn, so it follows the same rule.
 */
const httpUrl = text(LIMITS.url).refine(
  (s) => {
    if (!/^https?:\/\//i.test(s)) return false;
    try {
      return new URL(s).hostname !== "";
    } catch {
      return false;
    }
  },
  { error: (iss) => `must be an absolute http(s) URL; got ${show(iss.input)}` },
);

const withSection = <T extends z.ZodRawShape>(shape: T) => z.strictObject({ ...shape, section: sectionSchema });

const inlineSchema = z
  .strictObject({
    title: withSection({ value: nonBlank(LIMITS.title) }).optional(),
    plain_text: withSection({ value: text(LIMITS.plainText) }).optional(),
    enum: withSection({ value: nonBlank(LIMITS.enum), color: rgbSchema.optional() }).optional(),
    date: withSection({
      value: z.iso.date({ error: (iss) => `must be a real calendar date YYYY-MM-DD; got ${show(iss.input)}` }),
    }).optional(),
    datetime: withSection({
      // zod's RFC 3339 profile of ISO 8601: date, `T`, hh:mm:ss[.fff], and `Z` or ±hh:mm
      value: z.iso
        .datetime({
          offset: true,
          error: (iss) => `must be an ISO 8601 date-time with seconds and Z or ±hh:mm; got ${show(iss.input)}`,
          abort: true,
        })
        .refine((s) => !Number.isNaN(Date.parse(s)), { error: "does not parse as a date-time" }),
    }).optional(),
    color: withSection({ value: rgbSchema }).optional(),
  })
  .superRefine((value, ctx) => {
    const present = INLINE_SUB_TYPES.filter((k) => value[k] !== undefined);
    if (present.length !== 1) {
      ctx.addIssue({
        code: "custom",
        message: `must hold exactly one sub-type of ${INLINE_SUB_TYPES.join(", ")}; found ${present.join(", ") || "none"}`,
      });
    }
  });

const sectionOnly = z.strictObject({ section: sectionSchema });

const embedSchema = z
  .strictObject({
    src_url: httpUrl,
    image: sectionOnly.optional(),
    video: sectionOnly.optional(),
    audio: sectionOnly.optional(),
    html: sectionOnly.optional(),
    pdf: sectionOnly.optional(),
  })
  .superRefine((value, ctx) => {
    const present = EMBED_SUB_TYPES.filter((k) => value[k] !== undefined);
    if (present.length !== 1) {
      ctx.addIssue({
        code: "custom",
        message: `must hold src_url and exactly one of ${EMBED_SUB_TYPES.join(", ")}; found ${present.join(", ") || "none"}`,
      });
    }
  });

const common = { id: nonBlank(LIMITS.id), name: nonBlank(LIMITS.name) };

const attributeSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({ ...common, type: z.literal("inline"), inline: inlineSchema }),
    z.strictObject({ ...common, type: z.literal("embed"), embed: embedSchema }),
    z.strictObject({
      ...common,
      type: z.literal("relation"),
      relation: z.strictObject({ uri: httpUrl, mention: sectionOnly }),
    }),
  ],
  { error: (iss) => typeProblem(iss.input) },
);

type ParsedAttribute = z.infer<typeof attributeSchema>;
type ParsedInline = z.infer<typeof inlineSchema>;

function typeProblem(input: unknown): string {
  if (typeof input === "object" && input !== null && !Array.isArray(input)) {
    return `must be "inline", "embed" or "relation"; got ${"type" in input ? show(input.type) : "none"}`;
  }
  return `must be an object with type "inline", "embed" or "relation"; got ${show(input)}`;
}

// ---- the validator ----

export type ValidationResult = { ok: true; attributes: Attribute[] } | { ok: false; errors: string[] };

/** Checks a set against the protocol; on success returns it typed (fresh copies of the inputs). */
export function validateAttributes(set: unknown): ValidationResult {
  if (!Array.isArray(set)) {
    return { ok: false, errors: [`attribute set: must be an array of attributes; got ${show(set)}`] };
  }

  const errors: string[] = [];
  const attributes: Attribute[] = [];
  const indexesById = new Map<string, number[]>();
  const titles: string[] = [];
  // an attempted title or dev that failed its shape is reported for that, not also as "missing"
  let titleAttempted = false;
  let devSeen = false;

  set.forEach((raw: unknown, index) => {
    const label = labelOf(raw, index);
    const id = idOf(raw);
    if (id !== undefined) indexesById.set(id, [...(indexesById.get(id) ?? []), index]);

    const parsed = attributeSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push(`${label}: ${describeIssue(issue)}`);
      if (id === "dev") devSeen = true;
      if (looksLikeTitle(raw)) titleAttempted = true;
      return;
    }

    const { attribute, subType, section } = normalise(parsed.data);
    if (subType === "relation") {
      if (!RELATION_SECTIONS.includes(section)) {
        errors.push(`${label}: a relation cannot be mentioned in section "${section}" (allowed: ${RELATION_SECTIONS.join(", ")})`);
      }
    } else {
      const valid: readonly SubType[] = SUB_TYPES_BY_SECTION[section];
      if (!valid.includes(subType)) {
        errors.push(`${label}: sub-type ${subType} is not valid in section "${section}" (valid there: ${valid.join(", ")})`);
      }
    }
    if (subType === "title") titles.push(attribute.id);
    if (attribute.id === "dev") {
      devSeen = true;
      errors.push(...devProblems(attribute, label));
    }
    attributes.push(attribute);
  });

  // Notion lets a later id override an earlier one; in our own sets that only ever hides a bug.
  for (const [id, indexes] of indexesById) {
    if (indexes.length > 1) {
      errors.push(`attribute "${id}": id used ${indexes.length} times (at #${indexes.join(", #")})`);
    }
  }
  if (titles.length === 0 && !titleAttempted) {
    errors.push('attribute "title": missing; every set needs exactly one inline title in section "title"');
  }
  for (const extra of titles.slice(1)) {
    errors.push(`attribute "${extra}": another title attribute after "${titles[0]}"; a set has exactly one`);
  }
  if (!devSeen) {
    errors.push(
      'attribute "dev": missing; every set needs id "dev", inline plain_text in section "secondary", naming the developer',
    );
  }

  return errors.length === 0 ? { ok: true, attributes } : { ok: false, errors };
}

/** Thrown by `assertValidAttributes`; `errors` holds every problem, the message lists them. */
export class AttributeValidationError extends Error {
  constructor(readonly errors: string[]) {
    const count = `${errors.length} problem${errors.length === 1 ? "" : "s"}`;
    super(`invalid unfurl attributes (${count}):\n- ${errors.join("\n- ")}`);
    this.name = "AttributeValidationError";
  }
}

/** For tests and development: the set typed, or an error listing every problem. */
export function assertValidAttributes(set: unknown): Attribute[] {
  const result = validateAttributes(set);
  if (!result.ok) throw new AttributeValidationError(result.errors);
  return result.attributes;
}

// ---- helpers ----

function idOf(raw: unknown): string | undefined {
  if (typeof raw !== "object" || raw === null || !("id" in raw)) return undefined;
  return typeof raw.id === "string" && raw.id.trim() !== "" ? raw.id : undefined;
}

function labelOf(raw: unknown, index: number): string {
  const id = idOf(raw);
  return id === undefined ? `attribute #${index} (no id)` : `attribute "${id}" (#${index})`;
}

/** `inline.date.value: must be …`; the path says which field of the attribute is wrong. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.map(String).join(".");
  // typos of a sub-type key (`plain-text`) land here: name the key rather than zod's wording
  const message =
    issue.code === "unrecognized_keys"
      ? `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`
      : issue.message;
  return where === "" ? message : `${where}: ${message}`;
}

function looksLikeTitle(raw: unknown): boolean {
  if (typeof raw !== "object" || raw === null || !("inline" in raw)) return false;
  return typeof raw.inline === "object" && raw.inline !== null && "title" in raw.inline;
}

function devProblems(attribute: Attribute, label: string): string[] {
  if (attribute.type !== "inline" || !("plain_text" in attribute.inline)) {
    return [`${label}: the dev attribute must be inline plain_text`];
  }
  const { value, section } = attribute.inline.plain_text;
  const problems: string[] = [];
  if (section !== "secondary") {
    problems.push(`${label}: the dev attribute must be in section "secondary"; got "${section}"`);
  }
  if (value.trim() === "") problems.push(`${label}: the dev attribute must name the developer; value is empty`);
  return problems;
}

/**
 * zod's output keeps every sub-type key optional; the checks above proved exactly one is present,
 * so rebuild the attribute in the precise `Attribute` type and report which sub-type it is.
 */
function normalise(a: ParsedAttribute): { attribute: Attribute; subType: SubType | "relation"; section: Section } {
  const { id, name } = a;
  switch (a.type) {
    case "inline": {
      const [inline, subType, section] = pickInline(a.inline);
      return { attribute: { id, name, type: "inline", inline }, subType, section };
    }
    case "embed": {
      const subType = EMBED_SUB_TYPES.find((k) => a.embed[k] !== undefined);
      const target = subType === undefined ? undefined : a.embed[subType];
      // unreachable: embedSchema rejects an embed without a sub-type
      if (subType === undefined || target === undefined) throw new Error("embed value without a sub-type");
      return { attribute: { id, name, type: "embed", embed: a.embed }, subType, section: target.section };
    }
    case "relation":
      return {
        attribute: { id, name, type: "relation", relation: a.relation },
        subType: "relation",
        section: a.relation.mention.section,
      };
  }
}

function pickInline(v: ParsedInline): [InlineValue, InlineSubType, Section] {
  if (v.title) return [{ title: v.title }, "title", v.title.section];
  if (v.plain_text) return [{ plain_text: v.plain_text }, "plain_text", v.plain_text.section];
  if (v.enum) return [{ enum: v.enum }, "enum", v.enum.section];
  if (v.date) return [{ date: v.date }, "date", v.date.section];
  if (v.datetime) return [{ datetime: v.datetime }, "datetime", v.datetime.section];
  if (v.color) return [{ color: v.color }, "color", v.color.section];
  // unreachable: inlineSchema rejects an inline value without a sub-type
  throw new Error("inline value without a sub-type");
}
