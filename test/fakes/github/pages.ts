import type { Response } from "express";

/** The few HTML pages the fake GitHub shows a browser (or anyone who expected JSON). */

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export function htmlPage(res: Response, status: number, title: string, text: string): void {
  res
    .status(status)
    .type("html")
    .send(`<!DOCTYPE html><html><head><title>${escape(title)} · GitHub</title></head><body><h1>${escape(title)}</h1><p>${escape(text)}</p></body></html>`);
}

/** What GitHub's front end answers while it is down: an HTML page, whatever was asked. */
export function unicornPage(res: Response): void {
  htmlPage(res, 502, "Unicorn!", "No server is currently available to service your request. Sorry about that.");
}
