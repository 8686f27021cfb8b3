import type { Rgb } from "../../notion/attributes.js";

/**
 * Colours of enum pills, colour swatches and backgrounds become classes in the page's one nonce'd
 * style sheet: the CSP allows no inline `style` attributes. Channels are clamped to integers, so
 * no attribute value can reach the CSS as text.
 */
export class Palette {
  private readonly rules = new Map<string, string>();

  /** A class that paints this colour as a background, with readable text on it. */
  classFor(rgb: Rgb): string {
    const [r, g, b] = [rgb.r, rgb.g, rgb.b].map(channel) as [number, number, number];
    const name = `rgb-${r}-${g}-${b}`;
    // Rec. 709 luma picks black or white text for the pill.
    const text = 0.2126 * r + 0.7152 * g + 0.0722 * b > 150 ? "#1f2328" : "#ffffff";
    this.rules.set(name, `.${name}{background:rgb(${r} ${g} ${b});color:${text}}`);
    return name;
  }

  css(): string {
    return [...this.rules.values()].join("\n");
  }
}

const channel = (v: number): number => (Number.isFinite(v) ? Math.min(255, Math.max(0, Math.round(v))) : 0);

/** `{r,g,b}` from untrusted JSON, or null. */
export function readRgb(value: unknown): Rgb | null {
  if (typeof value !== "object" || value === null) return null;
  const { r, g, b } = value as Record<string, unknown>;
  return typeof r === "number" && typeof g === "number" && typeof b === "number" ? { r, g, b } : null;
}
