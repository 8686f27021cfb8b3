import { createServer, type AddressInfo } from "node:net";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { dev, enumValue, image, plainText, relation, title, color, embed } from "../src/notion/attributes.js";
import { inspectEnvelope, isValid } from "../src/emulator/envelope.js";
import { startEmulator, type Emulator } from "../src/emulator/index.js";
import { readAttributes } from "../src/emulator/render/attributes.js";
import { renderAttributeTable, renderCard, renderMention } from "../src/emulator/render/card.js";
import { Palette } from "../src/emulator/render/palette.js";
import { createOutboundFetch } from "../src/http/outbound.js";
import { Browser } from "./helpers/notionDance.js";

const draw = (set: unknown) => {
  const palette = new Palette();
  const { shown, unreadable } = readAttributes(set);
  return { card: renderCard(shown, palette).value, mention: renderMention(shown, palette).value, table: renderAttributeTable(shown, unreadable).value, css: palette.css() };
};

describe("the Lab's drawing of an attribute set", () => {
  it("lays the card out by sections and the mention as entity, identifier, title", () => {
    const { card, mention, css } = draw([
      title("Speed up widgets"),
      enumValue("state", "State", "Open", "primary", { r: 31, g: 136, b: 61 }),
      plainText("branch", "Branch", "main ← fast", "primary"),
      dev("Acme Corp"),
      plainText("body", "Body", "Line one\nLine two", "body"),
      image("icon", "GitHub", "https://github.githubassets.com/favicon.ico", "entity"),
      plainText("number", "Number", "acme/widgets#42", "identifier"),
      image("avatar", "octocat", "https://avatars.example/u/1", "avatar"),
      embed("shot", "Screenshot", "image", "https://img.example/shot.png", "embed"),
      embed("demo", "Demo", "video", "https://video.example/v.mp4", "embed"),
      relation("issue", "Fixes", "https://github.com/acme/widgets/issues/1", "secondary"),
      color("bg", "Background", { r: 250, g: 250, b: 250 }, "background"),
    ]);
    expect(card).toMatch(/<h4 class="card-title">Speed up widgets<\/h4>/);
    expect(card).toMatch(/<p class="card-primary"><span class="pill rgb-31-136-61">Open<\/span><span class="dot" aria-hidden="true"> · <\/span>main ← fast<\/p>/);
    expect(card).toContain('<p class="card-secondary">Acme Corp');
    expect(card).toContain('<a href="https://github.com/acme/widgets/issues/1"');
    expect(card).toContain('<div class="card-body"><p>Line one\nLine two</p></div>');
    expect(card).toContain('<img src="https://img.example/shot.png" alt="Screenshot"');
    expect(card).toContain('<a href="https://video.example/v.mp4" rel="noreferrer noopener" target="_blank">Demo (video embed)</a>');
    expect(card).toContain('<span class="card-avatar"><img src="https://avatars.example/u/1" alt="octocat"');
    expect(card).toContain('<span class="card-identifier">acme/widgets#42</span>');
    expect(card).toMatch(/^<article class="card rgb-250-250-250"/);
    expect(css).toContain(".rgb-31-136-61{background:rgb(31 136 61);color:#ffffff}");
    expect(css).toContain(".rgb-250-250-250{background:rgb(250 250 250);color:#1f2328}");
    expect(mention).toMatch(/^<span class="mention"><span class="mention-entity"><img src="https:\/\/github.githubassets.com\/favicon.ico"[^>]*><\/span><span class="mention-identifier">acme\/widgets#42<\/span><span class="mention-title">Speed up widgets<\/span><\/span>$/);
  });

  it("escapes every value and loads or links only absolute http(s) URLs", () => {
    const { card, mention, table } = draw([
      title(`<script>alert(1)</script>`),
      dev(`"><img src=x onerror=alert(2)>`),
      image("entity", "bad", "javascript:alert(3)", "entity"),
      image("pic", "data", "data:image/png;base64,AAAA", "embed"),
      embed("frame", "Frame", "html", "javascript:alert(4)", "embed"),
      relation("rel", "Rel", "javascript:alert(5)", "primary"),
    ]);
    for (const html of [card, mention, table]) {
      expect(html).not.toMatch(/<script|<img src=x|src="javascript|src="data:|href="javascript/);
    }
    expect(card).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(card).toContain("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;");
    expect(card).toContain("image “bad” not shown: src_url is not an absolute http(s) URL");
    expect(card).toContain("html “Frame” not shown");
  });

  it("draws what it can of an invalid set, lets a later id override an earlier one, and clamps colours", () => {
    const { card, table, css } = draw([
      title("First"),
      { id: "title", name: "Title", type: "inline", inline: { title: { value: "Second", section: "title" } } },
      { id: "odd", type: "inline", inline: { enum: { value: "x", section: "primary", color: { r: 999, g: -4, b: 12.6 } } } },
      { nonsense: true },
      "not even an object",
    ]);
    expect(card).toContain("Second");
    expect(card).not.toContain("First");
    expect(css).toContain(".rgb-255-0-13{");
    expect(table).toContain("(2 unreadable, not drawn)");
  });
});

describe("inspectEnvelope", () => {
  const ok = { uri: "https://x.test/1", operations: [{ path: ["attributes"], set: [title("T"), dev("D")] }] };

  it("passes a valid set or error operation and lists every problem otherwise", () => {
    expect(isValid(inspectEnvelope(ok, "https://x.test/1"))).toBe(true);
    expect(inspectEnvelope({ uri: "https://x.test/1", operations: [{ path: ["error"], set: { status: 404, message: "Not found" } }] })).toEqual({
      kind: "error",
      uri: "https://x.test/1",
      status: 404,
      message: "Not found",
      problems: [],
    });
    expect(inspectEnvelope(ok, "https://x.test/2").problems).toEqual(["uri should be the requested https://x.test/2; got https://x.test/1"]);
    expect(inspectEnvelope([ok]).kind).toBe("malformed");
    expect(inspectEnvelope({ uri: "nope", operations: [] }).problems).toHaveLength(2);
    expect(inspectEnvelope({ ...ok, operations: [{ path: ["attributes"], set: [title("T")] }] }).problems).toEqual([
      expect.stringContaining('attribute "dev": missing'),
    ]);
  });
});

describe("the Lab without a running server", () => {
  let emu: Emulator | undefined;
  const outbound = createOutboundFetch();
  afterEach(async () => {
    await emu?.close();
  });
  afterAll(() => outbound.close());

  it("says the server is unreachable instead of failing", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    emu = await startEmulator({
      port: 0,
      server: { url: `http://127.0.0.1:${port}`, clientId: "client-id", clientSecret: "x".repeat(32) },
      notion: { clientId: "n", clientSecret: "s" },
      fetch: outbound.fetch,
    });
    const browser = new Browser();
    const page = await (await browser.get(`${emu.url}/`)).text();
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(page)?.[1] ?? "";
    const pasted = await browser.postForm(`${emu.url}/preview`, { csrf_token: csrf, uri: "https://github.com/a/b/pull/1" });
    const state = new URL(pasted.headers.get("location") ?? "").searchParams.get("state");
    const back = await browser.get(`${emu.callbackUrl}?code=c&state=${state}`);
    expect(back.status).toBe(303);
    const after = await (await browser.get(`${emu.url}/`)).text();
    expect(after).toContain(`The server is unreachable: could not reach http://127.0.0.1:${port}/notion/token (ECONNREFUSED); is the server running?`);
    expect(after).toContain('role="alert"');
  });
});
