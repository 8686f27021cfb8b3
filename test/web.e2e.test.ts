import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertValidAttributes } from "../src/notion/validate.js";
import { startHarness, type Harness } from "./helpers/harness.js";
import { connect, unfurl, type Tokens } from "./helpers/notionDance.js";
import { html, redirect, startPageServer, type PageServer } from "./fixtures/web/server.js";

/**
 * The whole path as Notion drives it: OAuth dance, then `POST /notion/unfurl` for a page of an
 * allowed domain, served on loopback (`FETCH_ALLOW_PRIVATE=true`, the port allowed), read through
 * the real guarded fetcher the server builds from its configuration.
 */

let pages: PageServer;
let h: Harness;
let tokens: Tokens;

const operation = (body: Record<string, unknown> | null) => (body?.operations as [{ path: string[]; set: unknown }])[0];

beforeAll(async () => {
  pages = await startPageServer({
    "/docs/start": html(`<!doctype html><html><head><meta charset="utf-8"><title>Getting started · Acme Docs</title>
      <meta property="og:title" content="Getting started"><meta property="og:description" content="Install the CLI and ship your first preview.">
      <meta property="og:image" content="/img/start.png"><meta property="og:site_name" content="Acme Docs"><link rel="icon" href="/icon.png">
      </head><body><h1>Getting started</h1></body></html>`),
    "/docs/moved": (req, res) => redirect(`http://127.0.0.1:${pages.port}/admin`)(req, res),
  });
  h = await startHarness({
    UNFURL_DOMAINS: "localhost",
    FETCH_ALLOW_PRIVATE: "true",
    FETCH_ALLOWED_PORTS: String(pages.port),
  });
  h.github.addUser({ id: 1001, login: "octocat" });
  tokens = await connect(h, "octocat");
});

afterAll(async () => {
  await h.close();
  await pages.close();
});

describe("POST /notion/unfurl for a page of an UNFURL_DOMAINS host", () => {
  it("answers a valid preview read from the page", async () => {
    const uri = `http://localhost:${pages.port}/docs/start`;
    const res = await unfurl(h, tokens.access_token, { uri });
    expect(res.status).toBe(200);
    expect(res.body?.uri).toBe(uri);
    const op = operation(res.body);
    expect(op.path).toEqual(["attributes"]);
    const set = assertValidAttributes(op.set);
    const values = Object.fromEntries(set.map((a) => [a.id, a]));
    expect(values.title).toMatchObject({ inline: { title: { value: "Getting started" } } });
    expect(values.media).toMatchObject({ embed: { src_url: `http://localhost:${pages.port}/img/start.png` } });
    expect(values.dev).toMatchObject({ inline: { plain_text: { value: "Acme Corp" } } });
    expect(pages.requests.filter((r) => r.path === "/docs/start")).toHaveLength(1);
  });

  it("answers an error operation, without fetching, for a host outside UNFURL_DOMAINS", async () => {
    const before = pages.requests.length;
    const res = await unfurl(h, tokens.access_token, { uri: `http://127.0.0.1:${pages.port}/docs/start` });
    expect(operation(res.body)).toMatchObject({ path: ["error"], set: { status: 404 } });
    expect(pages.requests.length).toBe(before);
  });

  it("answers 422 when the page redirects somewhere the guard refuses", async () => {
    const res = await unfurl(h, tokens.access_token, { uri: `http://localhost:${pages.port}/docs/moved` });
    expect(operation(res.body)).toMatchObject({ path: ["error"], set: { status: 422, message: expect.stringMatching(/IP address/) } });
    expect(pages.requests.filter((r) => r.path === "/admin")).toEqual([]);
  });
});
