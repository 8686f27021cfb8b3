/** The Lab's style sheet (sent in a nonce'd `<style>`) and its one script (served at `/lab.js`). */

export const LAB_CSS = `
:root { color-scheme: light dark; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; line-height: 1.45; }
body { margin: 0; background: Canvas; color: CanvasText; }
header, main { max-width: 56rem; margin: 0 auto; padding: 1rem 1.5rem; }
header { border-bottom: 1px solid color-mix(in srgb, CanvasText 15%, transparent); }
h1 { font-size: 1.5rem; margin: .5rem 0; }
h2 { font-size: 1.15rem; margin: 2rem 0 .75rem; }
h3 { font-size: 1rem; margin: 1.25rem 0 .5rem; }
a { color: LinkText; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .9em; }
.muted { opacity: .75; }
.paste { display: flex; gap: .5rem; flex-wrap: wrap; align-items: end; }
.paste label { display: flex; flex-direction: column; gap: .25rem; flex: 1 1 24rem; font-weight: 600; }
input[type=url] { font: inherit; padding: .5rem .6rem; border-radius: 6px; border: 1px solid #8c959f; }
button { font: inherit; padding: .5rem 1rem; border-radius: 6px; border: 1px solid #8c959f; cursor: pointer; background: ButtonFace; color: ButtonText; }
button.primary { background: #0969da; border-color: #0969da; color: #fff; }
input:focus-visible, button:focus-visible, a:focus-visible, summary:focus-visible { outline: 3px solid #0969da; outline-offset: 2px; }
form.inline { display: inline-block; margin: .75rem .5rem 0 0; }
.notice { padding: .75rem 1rem; border-radius: 8px; margin: 1rem 0; border: 1px solid; }
.notice.info { border-color: #1f883d; }
.notice.error { border-color: #cf222e; }
.verdict { padding: .5rem .9rem; border-radius: 8px; border-left: 6px solid; margin: .75rem 0; }
.verdict.ok { border-color: #1f883d; }
.verdict.bad { border-color: #cf222e; }
.verdict p { margin: .25rem 0; }
.verdict ul { margin: .25rem 0; }
.bad-text { color: #cf222e; }
.card { max-width: 36rem; border: 1px solid color-mix(in srgb, CanvasText 20%, transparent); border-radius: 10px; padding: 1rem 1.1rem; }
.card-error { border-color: #cf222e; }
.card-head { display: flex; align-items: center; gap: .5rem; }
.card-title { font-size: 1.1rem; margin: 0; }
.card-entity img, .mention-entity img { width: 20px; height: 20px; border-radius: 4px; vertical-align: middle; }
.card-primary, .card-secondary { margin: .35rem 0; }
.card-secondary { opacity: .8; font-size: .95rem; }
.card-body p { margin: .5rem 0; white-space: pre-line; }
.card-embed img { max-width: 100%; border-radius: 6px; margin-top: .5rem; }
.card-foot { display: flex; align-items: center; gap: .5rem; margin-top: .75rem; font-size: .9rem; opacity: .85; }
.card-avatar img { width: 24px; height: 24px; border-radius: 50%; vertical-align: middle; }
.card-identifier img { width: 16px; height: 16px; vertical-align: middle; }
.pill { display: inline-block; padding: 0 .5rem; border-radius: 999px; font-size: .85rem; font-weight: 600; }
.pill-plain { border: 1px solid #8c959f; }
.swatch { display: inline-block; width: 1em; height: 1em; border-radius: 3px; vertical-align: middle; border: 1px solid #8c959f; }
.blocked { font-style: italic; color: #cf222e; }
.missing { font-style: italic; opacity: .7; }
.mention { display: inline-flex; align-items: center; gap: .35rem; padding: 0 .35rem; border-radius: 4px; background: color-mix(in srgb, CanvasText 8%, transparent); }
.mention-identifier { opacity: .75; }
.mention-title { font-weight: 600; text-decoration: underline; text-decoration-color: color-mix(in srgb, CanvasText 35%, transparent); }
table.attrs { border-collapse: collapse; margin: 1rem 0; font-size: .9rem; }
table.attrs caption { text-align: left; font-weight: 600; margin-bottom: .25rem; }
table.attrs th, table.attrs td { border: 1px solid color-mix(in srgb, CanvasText 20%, transparent); padding: .25rem .5rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
details.raw pre { overflow: auto; max-height: 24rem; padding: .75rem; border-radius: 6px; background: color-mix(in srgb, CanvasText 6%, transparent); }
ol.pushes { list-style: none; padding: 0; }
li.push { border-left: 6px solid; padding: .25rem .9rem; margin: .75rem 0; }
li.push.ok { border-color: #1f883d; }
li.push.bad { border-color: #cf222e; }
.pushed { font-weight: 600; }
`;

/**
 * Progressive enhancement: without it the page still works (reload to see new pushes); with it,
 * each push the emulator receives re-renders the list in place (the region is aria-live).
 */
export const LAB_JS = `"use strict";
(() => {
  const list = document.getElementById("pushes-list");
  if (!list || !("EventSource" in window)) return;
  const events = new EventSource("/events");
  events.addEventListener("push", async () => {
    const res = await fetch("/pushes", { cache: "no-store" });
    if (res.ok) list.innerHTML = await res.text();
  });
})();
`;
