import type { LabResult } from "../lab.js";
import { describeAnswer } from "../serverClient.js";
import { readAttributes } from "./attributes.js";
import { renderAttributeTable, renderCard, renderMention } from "./card.js";
import { type Html, clockTime, html, httpUrl } from "./html.js";
import type { Palette } from "./palette.js";
import { renderRawJson, renderVerdict } from "./verdict.js";

/** The last unfurl: what Notion would draw, the verdict, the raw answer, and "Delete preview". */
export function renderResult(result: LabResult | null, palette: Palette, csrfToken: string): Html {
  if (!result) return html`<p class="muted">Nothing previewed yet. Paste a link above.</p>`;
  const { uri, answer, inspection } = result;
  const link = httpUrl(uri);
  const heading = html`<p>The unfurl callback answered <strong>HTTP ${answer.status}</strong> for ${
    link ? html`<a href="${link}" rel="noreferrer noopener" target="_blank">${uri}</a>` : uri
  } at <time datetime="${new Date(result.at).toISOString()}">${clockTime(result.at)}</time>.</p>${
    result.updatedByPush === null ? null : html`<p class="pushed">Updated live by push #${result.updatedByPush}.</p>`
  }`;

  let body: Html;
  if (!inspection) {
    body = html`<div class="verdict bad" role="status"><p><strong>No preview</strong>: ${describeAnswer(answer)}.${
      answer.status === 401 ? " Notion would ask the user to reconnect." : ""
    }</p></div>`;
  } else if (inspection.kind === "attributes") {
    const { shown, unreadable } = readAttributes(inspection.set);
    body = html`${renderVerdict(inspection)}
<h3>Full preview</h3>
${renderCard(shown, palette)}
<h3>Mention</h3>
<p>In a sentence, ${renderMention(shown, palette)} reads like this.</p>
${renderAttributeTable(shown, unreadable)}`;
  } else {
    body = html`${renderVerdict(inspection)}${
      inspection.kind === "error" ? html`<div class="card card-error" role="note">${inspection.message} (${inspection.status})</div>` : null
    }`;
  }

  return html`${heading}
${body}
${renderRawJson(answer.body, inspection === null || inspection.kind !== "attributes")}
<form method="post" action="/delete" class="inline">
  <input type="hidden" name="csrf_token" value="${csrfToken}">
  <input type="hidden" name="uri" value="${uri}">
  <button type="submit">Delete preview</button>
</form>`;
}
