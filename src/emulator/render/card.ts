import { SUB_TYPES_BY_SECTION } from "../../notion/validate.js";
import type { Section } from "../../notion/attributes.js";
import type { Shown } from "./attributes.js";
import { type Html, html, httpUrl } from "./html.js";
import type { Palette } from "./palette.js";

/**
 * The two forms Notion draws from one attribute set: the full preview card, laid out by the
 * protocol's sections, and the compact mention. Embeds other than images are drawn as links: the
 * Lab's CSP frames nothing.
 */

const SECTIONS = Object.keys(SUB_TYPES_BY_SECTION) as Section[];

type BySection = Record<Section, Shown[]>;

function bySection(shown: readonly Shown[]): BySection {
  const groups = Object.fromEntries(SECTIONS.map((s) => [s, [] as Shown[]])) as BySection;
  for (const a of shown) if ((SECTIONS as string[]).includes(a.section)) groups[a.section as Section].push(a);
  return groups;
}

function value(a: Shown, palette: Palette): Html {
  const url = httpUrl(a.text);
  switch (a.subType) {
    case "enum":
      return html`<span class="pill ${a.color ? palette.classFor(a.color) : "pill-plain"}">${a.text}</span>`;
    case "date":
    case "datetime":
      return html`<time datetime="${a.text}">${a.text}</time>`;
    case "color":
      return a.color
        ? html`<span class="swatch ${palette.classFor(a.color)}" role="img" aria-label="colour rgb(${a.color.r}, ${a.color.g}, ${a.color.b})"></span>`
        : html`<span class="blocked">unreadable colour</span>`;
    case "image":
      return url
        ? html`<img src="${url}" alt="${a.name}" referrerpolicy="no-referrer" loading="lazy">`
        : html`<span class="blocked">image “${a.name}” not shown: src_url is not an absolute http(s) URL</span>`;
    case "video":
    case "audio":
    case "html":
    case "pdf":
      return url
        ? html`<a href="${url}" rel="noreferrer noopener" target="_blank">${a.name || a.subType} (${a.subType} embed)</a>`
        : html`<span class="blocked">${a.subType} “${a.name}” not shown: src_url is not an absolute http(s) URL</span>`;
    case "relation":
      return url ? html`<a href="${url}" rel="noreferrer noopener" target="_blank">${a.text}</a>` : html`<span class="blocked">${a.text}</span>`;
    default:
      return html`${a.text}`;
  }
}

const dotted = (items: readonly Shown[], palette: Palette): Html[] =>
  items.map((a, i) => html`${i > 0 ? html`<span class="dot" aria-hidden="true"> · </span>` : null}${value(a, palette)}`);

export function renderCard(shown: readonly Shown[], palette: Palette): Html {
  const s = bySection(shown);
  const background = s.background.find((a) => a.color);
  const line = (cls: string, items: Shown[]) => (items.length ? html`<p class="${cls}">${dotted(items, palette)}</p>` : null);
  return html`<article class="${["card", background?.color ? palette.classFor(background.color) : ""].join(" ").trim()}" aria-label="Full preview">
  <div class="card-head">
    ${s.entity.length ? html`<span class="card-entity">${s.entity.map((a) => value(a, palette))}</span>` : null}
    <h4 class="card-title">${s.title.length ? dotted(s.title, palette) : html`<span class="missing">(no title)</span>`}</h4>
  </div>
  ${line("card-primary", s.primary)}
  ${line("card-secondary", s.secondary)}
  ${s.body.length ? html`<div class="card-body">${s.body.map((a) => html`<p>${value(a, palette)}</p>`)}</div>` : null}
  ${s.embed.length ? html`<div class="card-embed">${s.embed.map((a) => value(a, palette))}</div>` : null}
  ${
    s.avatar.length || s.identifier.length
      ? html`<footer class="card-foot"><span class="card-avatar">${dotted(s.avatar, palette)}</span><span class="card-identifier">${dotted(s.identifier, palette)}</span></footer>`
      : null
  }
</article>`;
}

/** The mention: entity picture, identifier, then the title, on one line. */
export function renderMention(shown: readonly Shown[], palette: Palette): Html {
  const s = bySection(shown);
  return html`<span class="mention">${s.entity.slice(0, 1).map((a) => html`<span class="mention-entity">${value(a, palette)}</span>`)}${
    s.identifier.length ? html`<span class="mention-identifier">${dotted(s.identifier, palette)}</span>` : null
  }<span class="mention-title">${s.title[0]?.text ?? "(no title)"}</span></span>`;
}

/** Every attribute in section order, as text: what the card cannot show (ids, unknown sections). */
export function renderAttributeTable(shown: readonly Shown[], unreadable: number): Html {
  const rank = (a: Shown) => {
    const i = (SECTIONS as string[]).indexOf(a.section);
    return i < 0 ? SECTIONS.length : i;
  };
  const rows = [...shown].sort((a, b) => rank(a) - rank(b));
  const shownValue = (a: Shown) => (a.color ? `rgb(${a.color.r}, ${a.color.g}, ${a.color.b})${a.text ? ` ${a.text}` : ""}` : a.text);
  return html`<table class="attrs">
  <caption>Attributes by section${unreadable ? html` <span class="bad-text">(${unreadable} unreadable, not drawn)</span>` : null}</caption>
  <thead><tr><th scope="col">Section</th><th scope="col">id</th><th scope="col">Name</th><th scope="col">Sub-type</th><th scope="col">Value</th></tr></thead>
  <tbody>${rows.map(
    (a) => html`<tr><td>${a.section}</td><td><code>${a.id}</code></td><td>${a.name}</td><td>${a.subType}</td><td>${shownValue(a)}</td></tr>`,
  )}</tbody>
</table>`;
}
