import type { Rgb } from "../../notion/attributes.js";
import { isRecord } from "../envelope.js";
import { readRgb } from "./palette.js";

/**
 * Attributes as the Lab draws them. The Lab shows even an invalid set (the verdict says what is
 * wrong), so this reads untrusted JSON leniently: whatever names a section and a sub-type is
 * drawn, anything else is counted as unreadable.
 */
export interface Shown {
  id: string;
  name: string;
  section: string;
  subType: string;
  /** The text of an inline value, the URL of an embed or relation. */
  text: string;
  color: Rgb | null;
}

const INLINE = ["title", "plain_text", "enum", "date", "datetime", "color"] as const;
const EMBED = ["image", "video", "audio", "html", "pdf"] as const;

/** Notion's rule: a later attribute with the same id overrides an earlier one. */
export function readAttributes(set: unknown): { shown: Shown[]; unreadable: number } {
  const items = Array.isArray(set) ? (set as unknown[]) : [];
  const byId = new Map<string, Shown>();
  let unreadable = 0;
  items.forEach((raw, index) => {
    const shown = readAttribute(raw, index);
    if (!shown) return void unreadable++;
    byId.delete(shown.id);
    byId.set(shown.id, shown);
  });
  return { shown: [...byId.values()], unreadable };
}

function readAttribute(raw: unknown, index: number): Shown | null {
  if (!isRecord(raw)) return null;
  const id = typeof raw["id"] === "string" ? raw["id"] : `#${index}`;
  const name = typeof raw["name"] === "string" ? raw["name"] : "";
  const base = { id, name };
  const inline = raw["inline"];
  if (raw["type"] === "inline" && isRecord(inline)) {
    const subType = INLINE.find((k) => isRecord(inline[k]));
    const value = subType ? (inline[subType] as Record<string, unknown>) : null;
    if (!subType || !value || typeof value["section"] !== "string") return null;
    const color = subType === "color" ? readRgb(value["value"]) : subType === "enum" ? readRgb(value["color"]) : null;
    const text = subType === "color" ? "" : typeof value["value"] === "string" ? value["value"] : JSON.stringify(value["value"]) ?? "";
    return { ...base, section: value["section"], subType, text, color };
  }
  const embed = raw["embed"];
  if (raw["type"] === "embed" && isRecord(embed)) {
    const subType = EMBED.find((k) => isRecord(embed[k]));
    const target = subType ? (embed[subType] as Record<string, unknown>) : null;
    if (!subType || !target || typeof target["section"] !== "string") return null;
    return { ...base, section: target["section"], subType, text: typeof embed["src_url"] === "string" ? embed["src_url"] : "", color: null };
  }
  const relation = raw["relation"];
  if (raw["type"] === "relation" && isRecord(relation) && isRecord(relation["mention"])) {
    const section = relation["mention"]["section"];
    if (typeof section !== "string") return null;
    return { ...base, section, subType: "relation", text: typeof relation["uri"] === "string" ? relation["uri"] : "", color: null };
  }
  return null;
}
