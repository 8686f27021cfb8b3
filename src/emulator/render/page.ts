import type { LabView } from "../lab.js";
import type { Push } from "../pushes.js";
import { LAB_CSS } from "./assets.js";
import { type Html, clockTime, html } from "./html.js";
import { Palette } from "./palette.js";
import { renderPushes } from "./pushes.js";
import { renderResult } from "./result.js";

export interface LabPage {
  view: LabView;
  pushes: readonly Push[];
  csrfToken: string;
  /** The server's base URL, as the operator named it (`--server`). */
  serverUrl: string;
  workspaceName: string;
}

/**
 * The Lab's only page: plain HTML, one form per action, no framework. Its style comes in a nonce'd
 * `<style>` (colour classes are generated per answer), its one script from `/lab.js`.
 */
export function renderLabPage(page: LabPage, nonce: string): string {
  const { view, csrfToken } = page;
  const palette = new Palette();
  const result = renderResult(view.result, palette, csrfToken);
  const csrf = html`<input type="hidden" name="csrf_token" value="${csrfToken}">`;
  const body = html`<header>
  <h1>Link Preview Lab</h1>
  <p class="muted">A local stand-in for Notion, driving the server at <a href="${page.serverUrl}">${page.serverUrl}</a> in the emulated workspace “${page.workspaceName}”. State lives in memory.</p>
</header>
<main>
  <section aria-labelledby="connection-h">
    <h2 id="connection-h">Connection</h2>
    ${connection(view, csrf)}
  </section>
  <section aria-labelledby="paste-h">
    <h2 id="paste-h">Paste a link</h2>
    <form method="post" action="/preview" class="paste">
      ${csrf}
      <label>Link to preview <input type="url" name="uri" required placeholder="https://github.com/owner/repo/pull/1" value="${view.lastUri ?? ""}"></label>
      <button type="submit" class="primary">Preview</button>
    </form>
    ${view.notice ? html`<div class="notice ${view.notice.level}" role="${view.notice.level === "error" ? "alert" : "status"}">${view.notice.text}</div>` : null}
  </section>
  <section aria-labelledby="result-h">
    <h2 id="result-h">Preview</h2>
    ${result}
  </section>
  <section aria-labelledby="pushes-h">
    <h2 id="pushes-h">Pushes received (PATCH /v1/external/object)</h2>
    <div id="pushes-list" aria-live="polite">${renderPushes(page.pushes, view.result?.updatedByPush ?? null)}</div>
  </section>
</main>
<script src="/lab.js"></script>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Link Preview Lab</title><style nonce="${nonce}">${LAB_CSS}\n${palette.css()}</style></head><body>${body.value}</body></html>`;
}

function connection(view: LabView, csrf: Html): Html {
  const c = view.connection;
  if (!c) {
    return html`<p>Not connected. Previewing a link first sends the browser through the server's authorization, as Notion does.</p>`;
  }
  return html`<p>Connected since <time>${clockTime(c.connectedAt)}</time>. ${
    c.expiresAt === null ? "The access token does not expire." : html`The access token expires at <time>${clockTime(c.expiresAt)}</time>`
  }${c.refreshCount > 0 ? ` (refreshed ${c.refreshCount} time${c.refreshCount === 1 ? "" : "s"})` : ""}${c.expiresAt === null ? "" : "."}</p>
<form method="post" action="/disconnect" class="inline">${csrf}<button type="submit">Disconnect</button></form>`;
}

/** No inline script or style attribute, images from http(s) only, forms to the flow's origins only. */
export function labCsp(nonce: string, formActionOrigins: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'nonce-${nonce}'`,
    "img-src http: https:",
    "connect-src 'self'",
    // Chrome checks form-action along redirects too: Preview → the server's authorize → its login.
    `form-action ${["'self'", ...formActionOrigins].join(" ")}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
}
