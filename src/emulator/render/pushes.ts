import type { Push } from "../pushes.js";
import { type Html, clockTime, html } from "./html.js";
import { renderRawJson, renderVerdict } from "./verdict.js";

/**
 * The PATCH pushes received, newest first; also served alone at `/pushes` for the live list.
 * `shownPush`: the push the Lab's current preview was redrawn from, if any.
 */
export function renderPushes(pushes: readonly Push[], shownPush: number | null): Html {
  if (pushes.length === 0) {
    return html`<p class="muted">No pushes yet. The server sends them with <code>PATCH /v1/external/object</code> to <code>NOTION_API_URL</code>.</p>`;
  }
  return html`<ol class="pushes">${pushes.map(
    (p) => html`<li class="push ${p.status === 200 ? "ok" : "bad"}">
  <p><strong>Push #${p.id}</strong> at <time datetime="${new Date(p.at).toISOString()}">${clockTime(p.at)}</time> for <code>${
    p.inspection.uri ?? "(no uri)"
  }</code>: answered <strong>${p.status === 200 ? "200 accepted" : `${p.status} ${p.code ?? ""}`}</strong>, Notion-Version <code>${
    p.notionVersion ?? "(missing)"
  }</code>.</p>
  ${p.id === shownPush ? html`<p class="pushed">The preview above now shows this push (reload to redraw it).</p>` : null}
  ${renderVerdict(p.inspection)}
  ${renderRawJson(p.body)}
</li>`,
  )}</ol>`;
}
