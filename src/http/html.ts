/**
 * Text made safe for HTML: element content and double- or single-quoted attribute values. One
 * function for every page we render (the consent pages, the emulator's Lab), so a fix reaches all.
 */
export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/**
 * The headers of every HTML page we serve, beside its own Content-Security-Policy: never framed
 * (a consent or Lab form clicked through a disguise), never sniffed, no referrer (our URLs carry
 * codes and states), never cached (pages carry CSRF tokens and who is signed in).
 */
export const HTML_PAGE_HEADERS: Readonly<Record<string, string>> = {
  "Content-Type": "text/html; charset=utf-8",
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
};
