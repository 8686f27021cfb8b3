import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { assertValidAttributes } from "../src/notion/validate.js";
import { sha256 } from "../src/secrets/tokens.js";
import { startHarness, type Harness } from "./helpers/harness.js";
import { connect, unfurl, type Tokens } from "./helpers/notionDance.js";

let h: Harness;
let tokens: Tokens;
let prUrl: string;

const graphqlCalls = () => h.github.requests.filter((r) => r.path === "/api/graphql").length;

beforeEach(async () => {
  h = await startHarness();
  h.github.addUser({ id: 1001, login: "octocat" });
  h.github.addUser({ id: 2002, login: "hubot" });
  h.github.addRepository({ owner: "acme", name: "widgets", private: true, collaborators: ["octocat"] });
  const pr = h.github.addPullRequest("acme", "widgets", { title: "Speed up widgets", state: "OPEN" });
  prUrl = `${h.github.webUrl}/acme/widgets/pull/${pr.number}`;
  tokens = await connect(h, "octocat");
});

afterEach(async () => {
  await h.close();
});

const errorOf = (body: Record<string, unknown> | null) => (body?.operations as [{ path: string[]; set: unknown }])[0];

describe("POST /notion/unfurl", () => {
  it("refuses a missing, malformed, unknown or revoked bearer with 401 and WWW-Authenticate", async () => {
    for (const bearer of [null, "not-a-token", "x".repeat(43)]) {
      const res = await unfurl(h, bearer, { uri: prUrl });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer /);
      expect(res.body).toMatchObject({ error: "invalid_token" });
    }
    const basic = await fetch(`${h.url}/notion/unfurl`, {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from("a:b").toString("base64")}`, "content-type": "application/json" },
      body: JSON.stringify({ uri: prUrl }),
    });
    expect(basic.status).toBe(401);
  });

  it("answers malformed bodies with a 4xx JSON error and keeps serving", async () => {
    const cases: [unknown, number][] = [
      [{}, 400],
      [{ uri: 1 }, 400],
      [{ uri: "not a url" }, 400],
      [[prUrl], 400],
      ["{not json", 400],
      [{ uri: `https://x.test/${"a".repeat(1024 * 1024)}` }, 413],
    ];
    for (const [body, status] of cases) {
      const res = await unfurl(h, tokens.access_token, body);
      expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(status);
      expect(typeof res.body?.message).toBe("string");
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(js|ts):\d+/);
    }
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    expect((await unfurl(h, tokens.access_token, { uri: prUrl })).status).toBe(200);
  });

  it("answers a valid attribute set and serves revisits from the per-account cache", async () => {
    const first = await unfurl(h, tokens.access_token, { uri: prUrl });
    expect(first.status).toBe(200);
    assertValidAttributes(errorOf(first.body).set);
    expect(graphqlCalls()).toBe(1);
    const again = await unfurl(h, tokens.access_token, { uri: prUrl });
    expect(again.body).toEqual(first.body);
    expect(graphqlCalls()).toBe(1);
    // Past UNFURL_CACHE_TTL (60 s) the preview is read again.
    h.clock.advance(60_001);
    await unfurl(h, tokens.access_token, { uri: prUrl });
    expect(graphqlCalls()).toBe(2);
  });

  it("records what each grant previews, and DELETE /notion/unfurl forgets it (body or query, idempotent)", async () => {
    await unfurl(h, tokens.access_token, { uri: prUrl });
    const owner = await h.store.findGrantByToken(sha256(tokens.access_token));
    const tracked = async () => (await h.store.listTrackedUris(owner?.grantId ?? "")).map((t) => [t.uri, t.resourceKey]);
    expect(await tracked()).toEqual([[prUrl, `github:${new URL(prUrl).host}:acme/widgets#pull/1`]]);

    const viaBody = await unfurl(h, tokens.access_token, { uri: prUrl }, "DELETE");
    expect([viaBody.status, viaBody.body]).toEqual([200, {}]);
    expect(await tracked()).toEqual([]);
    // Forgotten means the preview is no longer cached: once the provider's short GraphQL reuse
    // window (10 s, for tabs of the same pull request) has passed, the next unfurl reads GitHub.
    h.clock.advance(10_001);
    await unfurl(h, tokens.access_token, { uri: prUrl });
    expect(graphqlCalls()).toBe(2);

    const viaQuery = await fetch(`${h.url}/notion/unfurl?uri=${encodeURIComponent(prUrl)}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect([viaQuery.status, await viaQuery.json()]).toEqual([200, {}]);
    expect(await tracked()).toEqual([]);
    expect((await unfurl(h, tokens.access_token, { uri: prUrl }, "DELETE")).status).toBe(200);
    expect((await unfurl(h, tokens.access_token, {}, "DELETE")).status).toBe(400);
    expect((await unfurl(h, null, { uri: prUrl }, "DELETE")).status).toBe(401);
  });

  it("shares one upstream call between identical concurrent unfurls", async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => unfurl(h, tokens.access_token, { uri: prUrl })));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(graphqlCalls()).toBe(1);
  });

  it("answers an error operation 404 for a missing pull request or one the user cannot see", async () => {
    const missing = await unfurl(h, tokens.access_token, { uri: `${h.github.webUrl}/acme/widgets/pull/999` });
    expect(missing.status).toBe(200);
    expect(errorOf(missing.body)).toEqual({ path: ["error"], set: { status: 404, message: expect.stringMatching(/not found/i) } });

    const hubot = await connect(h, "hubot");
    const hidden = await unfurl(h, hubot.access_token, { uri: prUrl });
    expect(errorOf(hidden.body).set).toMatchObject({ status: 404 });
    // Octocat's cached preview never leaks to hubot.
    await unfurl(h, tokens.access_token, { uri: prUrl });
    expect(errorOf((await unfurl(h, hubot.access_token, { uri: prUrl })).body).set).toMatchObject({ status: 404 });
  });

  it("answers an error operation for links it does not preview", async () => {
    const res = await unfurl(h, tokens.access_token, { uri: "https://example.com/acme/widgets/pull/1" });
    expect(errorOf(res.body)).toMatchObject({ path: ["error"], set: { status: 404 } });
  });

  it("answers 503 in an error operation when GitHub is down", async () => {
    h.github.setFailure("down");
    const down = await unfurl(h, tokens.access_token, { uri: prUrl });
    expect(down.status).toBe(200);
    expect(errorOf(down.body).set).toMatchObject({ status: 503 });
  });

  it("answers 429 in an error operation when the user's GitHub rate limit is used up", async () => {
    h.github.setFailure("rate_limited");
    const limited = await unfurl(h, tokens.access_token, { uri: prUrl });
    expect(errorOf(limited.body).set).toMatchObject({ status: 429 });
  });

  it("revokes the grant and answers 401 when GitHub no longer accepts the user's token", async () => {
    const githubToken = /Bearer (\S+)/.exec(String(h.github.requests.find((r) => r.path === "/api/v3/user")?.headers.authorization))?.[1];
    h.github.revokeToken(githubToken ?? "");
    const res = await unfurl(h, tokens.access_token, { uri: prUrl });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer /);
    expect((await unfurl(h, tokens.access_token, { uri: prUrl })).status).toBe(401);
  });
});


describe("DELETE /notion/deleted", () => {
  it("deletes the grant with every token and sealed secret, idempotently, even with an expired token", async () => {
    await unfurl(h, tokens.access_token, { uri: prUrl });
    h.clock.advance(2 * 3600_000); // the access token Notion still holds has expired
    const del = () => fetch(`${h.url}/notion/deleted`, { method: "DELETE", headers: { authorization: `Bearer ${tokens.access_token}` } });
    const first = await del();
    expect([first.status, await first.json()]).toEqual([200, {}]);
    const second = await del();
    expect([second.status, await second.json()]).toEqual([200, {}]);

    const db = new Database(h.dbPath, { readonly: true });
    expect(db.prepare("SELECT count(*) AS n FROM tokens").get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT count(*) AS n FROM auth_codes").get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT count(*) AS n FROM tracked_uris").get()).toEqual({ n: 0 });
    const secrets = db.prepare("SELECT upstream_token_sealed, notion_token_sealed FROM grants").all() as Record<string, string>[];
    expect(secrets.every((r) => Object.values(r).every((v) => !v.includes(".")))).toBe(true);
    db.close();
    expect((await unfurl(h, tokens.access_token, { uri: prUrl })).status).toBe(401);
  });

  it("requires a bearer", async () => {
    expect((await fetch(`${h.url}/notion/deleted`, { method: "DELETE" })).status).toBe(401);
  });
});
