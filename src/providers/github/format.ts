import { hexToRgb, type Rgb } from "../../notion/attributes.js";

/** Small text helpers shared by GitHub's link kinds. */

/**
 * A short plain-text excerpt: whitespace collapsed, cut on a word boundary near `max` characters
 * with an ellipsis. A single word longer than the budget is cut hard rather than dropped.
 */
export function excerpt(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const lastSpace = cut.lastIndexOf(" ");
  const head = lastSpace > max / 2 ? cut.slice(0, lastSpace) : cut;
  return `${head.replace(/[\s.,;:!?-]+$/, "")}…`;
}

/** `1 file`, `3 files`. */
export const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;

/** GitHub label colours are bare hex; an odd value should not cost the whole preview its label. */
export function labelColor(hex: string): Rgb | undefined {
  try {
    return hexToRgb(hex);
  } catch {
    return undefined;
  }
}
