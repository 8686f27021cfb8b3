import { randomBytes } from "node:crypto";
import type { Response } from "express";
import { HTML_PAGE_HEADERS, escapeHtml } from "../http/html.js";

/**
 * The few HTML pages of the authorization flow: plain, accessible, no framework. Every page is
 * unframeable, uncached, and allows only its own inline style (by nonce) and the avatar image.
 */

const STYLE = `
  :root { color-scheme: light dark; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; color: CanvasText; }
  main { max-width: 28rem; padding: 2rem; border: 1px solid color-mix(in srgb, CanvasText 15%, transparent); border-radius: 12px; }
  h1 { font-size: 1.35rem; margin: 0 0 1rem; }
  .who { display: flex; align-items: center; gap: .75rem; margin: 1rem 0; }
  .who img { width: 48px; height: 48px; border-radius: 50%; }
  ul { padding-left: 1.2rem; line-height: 1.5; }
  .actions { display: flex; gap: .75rem; margin-top: 1.5rem; }
  button { font: inherit; padding: .6rem 1.2rem; border-radius: 8px; border: 1px solid #8c959f; cursor: pointer; }
  button[value=allow] { background: #1f883d; color: #fff; border-color: #1f883d; }
  button:focus-visible { outline: 3px solid #0969da; outline-offset: 2px; }
  .muted { opacity: .75; font-size: .9rem; }
`;

interface PageOptions {
  status: number;
  title: string;
  body: string;
  /** Extra origins the page may submit its form to (a redirect after POST counts in Chrome). */
  formAction?: readonly string[];
  imgSrc?: readonly string[];
}

function sendPage(res: Response, opts: PageOptions): void {
  const nonce = randomBytes(16).toString("base64");
  const csp = [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    `img-src ${["'self'", ...(opts.imgSrc ?? [])].join(" ")}`,
    `form-action ${["'self'", ...(opts.formAction ?? [])].join(" ")}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
  res
    .status(opts.status)
    .set({ ...HTML_PAGE_HEADERS, "Content-Security-Policy": csp })
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<title>${escapeHtml(opts.title)}</title><style nonce="${nonce}">${STYLE}</style></head>` +
        `<body><main>${opts.body}</main></body></html>`,
    );
}

/** An error the user must see instead of being redirected (bad client or redirect URI, lost session). */
export function sendErrorPage(res: Response, status: number, title: string, message: string): void {
  sendPage(res, {
    status,
    title,
    body: `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p class="muted">You can close this window and try again from Notion.</p>`,
  });
}

export interface ConsentView {
  action: string;
  csrfToken: string;
  developerName: string;
  upstreamName: string;
  login: string;
  avatarUrl: string | null;
  reads: readonly string[];
  formAction: readonly string[];
}

export function sendConsentPage(res: Response, v: ConsentView): void {
  const avatar = v.avatarUrl ? new URL(v.avatarUrl) : null;
  sendPage(res, {
    status: 200,
    title: `Connect ${v.developerName} to Notion`,
    formAction: v.formAction,
    imgSrc: avatar ? [avatar.origin] : [],
    body: `
      <h1>Connect ${escapeHtml(v.upstreamName)} to Notion</h1>
      <div class="who">
        ${avatar ? `<img src="${escapeHtml(avatar.toString())}" alt="">` : ""}
        <div>Signed in to ${escapeHtml(v.upstreamName)} as <strong>@${escapeHtml(v.login)}</strong></div>
      </div>
      <p><strong>${escapeHtml(v.developerName)}</strong> will show previews of links you paste in Notion. With your permission it will:</p>
      <ul>${v.reads.map((r) => `<li>${escapeHtml(r)}</li>`).join("")}</ul>
      <p class="muted">It never writes to ${escapeHtml(v.upstreamName)}, and previews show only what your account can see. Disconnect any time from Notion’s “My connections”: your tokens are then deleted.</p>
      <form method="post" action="${escapeHtml(v.action)}">
        <input type="hidden" name="csrf_token" value="${escapeHtml(v.csrfToken)}">
        <div class="actions">
          <button type="submit" name="decision" value="allow">Allow</button>
          <button type="submit" name="decision" value="deny">Deny</button>
        </div>
      </form>`,
  });
}
