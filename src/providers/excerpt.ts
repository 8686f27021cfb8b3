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
