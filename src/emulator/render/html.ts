import { escapeHtml } from "../../http/html.js";

/**
 * HTML by a tagged template that escapes every interpolated value unless it is already `Html`:
 * the Lab renders whatever a server answers, so escaping must be the default, not a habit.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Interpolation = string | number | Html | null | undefined | false | readonly Interpolation[];

const render = (value: Interpolation): string => {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
};

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  return new Html(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ""), ""));
}

/**
 * The URL when it may be loaded or linked from the page: absolute http(s) only, so a
 * `javascript:` or `data:` value an integration returns never becomes a link or an image.
 */
export function httpUrl(value: unknown): string | null {
  if (typeof value !== "string" || !/^https?:\/\//i.test(value) || !URL.canParse(value)) return null;
  return new URL(value).toString();
}

/** `14:03:07 UTC`: the Lab's lists are read while they happen, a date adds nothing. */
export const clockTime = (epochMs: number): string => `${new Date(epochMs).toISOString().slice(11, 19)} UTC`;
