import { type Attribute, type Rgb, enumValue, hexToRgb, image, plainText } from "../../notion/attributes.js";
import { excerpt } from "../excerpt.js";

/** Small helpers shared by GitHub's link kinds: text, colours, people, labels. */

/** GitHub's Primer colours, so the pills read like the ones on github.com. */
export const COLORS = {
  green: hexToRgb("#1f883d"),
  red: hexToRgb("#cf222e"),
  purple: hexToRgb("#8250df"),
  grey: hexToRgb("#59636e"),
  amber: hexToRgb("#9a6700"),
  blue: hexToRgb("#0969da"),
} as const satisfies Record<string, Rgb>;

/**
 * Markdown as readable text, roughly: GitHub's REST answers carry raw Markdown where GraphQL has
 * `bodyText`. Drops comments, images, heading and emphasis marks; keeps link texts.
 */
export function markdownToText(markdown: string): string {
  return markdown
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/^\s{0,3}(?:#{1,6}|>|[-*+]|\d+\.)\s+/gm, "")
    .replace(/(\*\*|__|~~|`)/g, "");
}

/** `1 file`, `3 files`. */
export const plural = (count: number, one: string, many = `${one}s`): string =>
  `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;

/** `42s`, `3m 5s`, `1h 2m`: how long a run took. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

/** GitHub label colours are bare hex; an odd value should not cost the whole preview its label. */
export function labelColor(hex: string): Rgb | undefined {
  try {
    return hexToRgb(hex);
  } catch {
    return undefined;
  }
}

/** Labels beyond this crowd out the state pill. */
export const MAX_LABELS = 5;

export interface Label {
  name: string;
  color: string;
}

/** One enum pill per label (`label-1` …), blank and case-duplicate names dropped. */
export function labelAttributes(labels: readonly (Label | null)[]): Attribute[] {
  const seen = new Set<string>();
  return labels
    .filter((l): l is Label => {
      if (!l || l.name.trim() === "" || seen.has(l.name.toLowerCase())) return false;
      seen.add(l.name.toLowerCase());
      return true;
    })
    .slice(0, MAX_LABELS)
    .map((l, i) => enumValue(`label-${i + 1}`, "Label", l.name, "primary", labelColor(l.color)));
}

/** A GitHub account as GraphQL and REST both give it (REST's `avatar_url` mapped by the caller). */
export interface Person {
  login: string;
  avatarUrl: string | null;
}

/**
 * The avatar and `@login` in the avatar section. A deleted account is GitHub's "ghost"; `verb`
 * says what the person did (`@octocat commented`).
 */
export function personAttributes(person: Person | null, name = "Author", verb?: string): Attribute[] {
  const login = person?.login ?? "ghost";
  return [
    ...(person?.avatarUrl ? [image("author_avatar", `${name} avatar`, person.avatarUrl, "avatar")] : []),
    plainText("author", name, verb ? `@${login} ${verb}` : `@${login}`, "avatar"),
  ];
}

/** REST's user object → `Person`. */
export const restPerson = (user: { login: string; avatar_url?: string | null } | null | undefined): Person | null =>
  user ? { login: user.login, avatarUrl: user.avatar_url ?? null } : null;

/** The description or body as the preview's body text, when there is any. */
export function bodyAttribute(text: string | null | undefined, name = "Description"): Attribute[] {
  const body = excerpt(text ?? "");
  return body ? [plainText("body", name, body, "body")] : [];
}

const LANGUAGES: Record<string, string> = {
  c: "C", h: "C", cc: "C++", cpp: "C++", hpp: "C++", cs: "C#", css: "CSS", dart: "Dart", ex: "Elixir",
  exs: "Elixir", go: "Go", graphql: "GraphQL", hs: "Haskell", html: "HTML", java: "Java", js: "JavaScript",
  cjs: "JavaScript", mjs: "JavaScript", jsx: "JavaScript", json: "JSON", kt: "Kotlin", lua: "Lua",
  md: "Markdown", php: "PHP", py: "Python", rb: "Ruby", rs: "Rust", scala: "Scala", scss: "SCSS", sh: "Shell",
  bash: "Shell", sql: "SQL", swift: "Swift", tf: "HCL", toml: "TOML", ts: "TypeScript", mts: "TypeScript",
  cts: "TypeScript", tsx: "TypeScript", vue: "Vue", xml: "XML", yaml: "YAML", yml: "YAML", zig: "Zig",
};
const FILE_NAMES: Record<string, string> = { dockerfile: "Dockerfile", makefile: "Makefile", gemfile: "Ruby" };

/** The language GitHub would show for a file, from its name (the common ones; else undefined). */
export function languageOf(path: string): string | undefined {
  const name = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  const dot = name.lastIndexOf(".");
  return FILE_NAMES[name] ?? (dot > 0 ? LANGUAGES[name.slice(dot + 1)] : undefined);
}
