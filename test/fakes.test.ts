import { createHash, randomBytes } from "node:crypto";
import { Client } from "@notionhq/client";
import { fetch } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeGitHub, startFakeGitHub } from "./fakes/github.js";
import { type FakeNotion, startFakeNotion } from "./fakes/notion.js";

/** The fakes are the ground truth of many tests: these pin down that they behave like the real thing. */

const pkce = () => {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
};

describe("fake GitHub", () => {
  let gh: FakeGitHub;
  beforeEach(async () => {
    gh = await startFakeGitHub({ clientId: "cid", clientSecret: "csecret" });
  });
  afterEach(() => gh.close());

  const redirectUri = "http://127.0.0.1:9/auth/github/callback";

  async function authorize(challenge: string, state = "st4te"): Promise<URL> {
    const url = new URL(`${gh.webUrl}/login/oauth/authorize`);
    url.search = new URLSearchParams({
      client_id: "cid",
      redirect_uri: redirectUri,
      state,
      code_challenge: challenge,
      code_challenge_method: "S256",
    }).toString();
    const res = await fetch(url, { redirect: "manual" });
    expect(res.status).toBe(302);
    return new URL(res.headers.get("location") ?? "");
  }

  async function exchange(fields: Record<string, string>) {
    const res = await fetch(`${gh.webUrl}/login/oauth/access_token`, {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: "cid", client_secret: "csecret", redirect_uri: redirectUri, ...fields }),
    });
    expect(res.status).toBe(200); // GitHub answers refusals with 200 too
    return (await res.json()) as Record<string, unknown>;
  }

  async function graphql(token: string, query: string, variables: Record<string, unknown> = {}) {
    const res = await fetch(gh.graphqlUrl, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  }

  it("runs the OAuth web flow with PKCE S256, single-use codes, and a working token", async () => {
    gh.addUser({ id: 583231, login: "octocat", name: "The Octocat" });
    gh.setBrowserUser("octocat");
    const { verifier, challenge } = pkce();

    const back = await authorize(challenge);
    expect(back.origin + back.pathname).toBe(redirectUri);
    expect(back.searchParams.get("state")).toBe("st4te");
    const code = back.searchParams.get("code") ?? "";

    const answer = await exchange({ code, code_verifier: verifier });
    expect(answer).toMatchObject({ token_type: "bearer", scope: "" });
    expect(String(answer["access_token"])).toMatch(/^gho_/);
    expect(await exchange({ code, code_verifier: verifier })).toMatchObject({ error: "bad_verification_code" });

    const user = await fetch(`${gh.apiUrl}/user`, { headers: { Authorization: `token ${String(answer["access_token"])}` } });
    expect(user.status).toBe(200);
    expect(user.headers.get("x-ratelimit-remaining")).toMatch(/^\d+$/);
    expect(await user.json()).toMatchObject({ id: 583231, login: "octocat", name: "The Octocat", type: "User" });
  });

  it("refuses a PKCE verifier that does not match the challenge, and a wrong secret", async () => {
    gh.addUser({ id: 1, login: "octocat" });
    gh.setBrowserUser("octocat");
    const code = (await authorize(pkce().challenge)).searchParams.get("code") ?? "";
    const refused = await exchange({ code, code_verifier: pkce().verifier });
    expect(refused).toMatchObject({ error: "bad_verification_code" });
    expect(refused["error_description"]).toEqual(expect.any(String));
    expect(refused).not.toHaveProperty("access_token");

    const { verifier, challenge } = pkce();
    const code2 = (await authorize(challenge)).searchParams.get("code") ?? "";
    expect(await exchange({ code: code2, code_verifier: verifier, client_secret: "nope" })).toMatchObject({
      error: "incorrect_client_credentials",
    });
  });

  it("demands PKCE S256 and a known client at authorize, and can play a user who denies", async () => {
    gh.addUser({ id: 1, login: "octocat" });
    gh.setBrowserUser("octocat", { deny: true });
    const plain = await fetch(
      `${gh.webUrl}/login/oauth/authorize?client_id=cid&redirect_uri=${encodeURIComponent(redirectUri)}&code_challenge=x&code_challenge_method=plain`,
      { redirect: "manual" },
    );
    expect(plain.status).toBe(400);
    const unknown = await fetch(`${gh.webUrl}/login/oauth/authorize?client_id=other`, { redirect: "manual" });
    expect(unknown.status).toBe(404);
    const denied = await authorize(pkce().challenge);
    expect(denied.searchParams.get("error")).toBe("access_denied");
    expect(denied.searchParams.get("state")).toBe("st4te");
  });

  it("refuses and records a query that is invalid against GitHub's schema", async () => {
    const { token } = gh.addUser({ id: 1, login: "octocat" });
    const res = await graphql(token, `{ repository(owner: "a", name: "b") { pullRequest(number: 1) { nope } } }`);
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty("data");
    expect(res.body["errors"]).toEqual([
      expect.objectContaining({ message: expect.stringContaining("nope"), locations: expect.any(Array) }),
    ]);
    const syntax = await graphql(token, `{ repository(`);
    expect(syntax.body["errors"]).toHaveLength(1);
    expect(gh.invalidQueries).toHaveLength(2);
    expect(gh.invalidQueries[0]?.query).toContain("nope");
  });

  it("hides a private repository from a non-collaborator with GitHub's NOT_FOUND shape", async () => {
    const owner = gh.addUser({ id: 1, login: "acme-dev" });
    const member = gh.addUser({ id: 2, login: "member" });
    const stranger = gh.addUser({ id: 3, login: "stranger" });
    gh.addRepository({ owner: "acme", name: "secret", private: true, collaborators: ["acme-dev", "Member"] });
    gh.addPullRequest("acme", "secret", { title: "Secret plan" });
    const query = `query($o: String!, $n: String!) { repository(owner: $o, name: $n) { pullRequest(number: 1) { title } } }`;
    const variables = { o: "acme", n: "secret" };

    for (const { token } of [owner, member]) {
      expect((await graphql(token, query, variables)).body).toEqual({ data: { repository: { pullRequest: { title: "Secret plan" } } } });
    }
    const hidden = await graphql(stranger.token, query, variables);
    expect(hidden.status).toBe(200);
    expect(hidden.headers.get("x-ratelimit-resource")).toBe("graphql");
    expect(hidden.body).toEqual({
      data: { repository: null },
      errors: [
        {
          type: "NOT_FOUND",
          path: ["repository"],
          locations: [{ line: 1, column: 35 }],
          message: "Could not resolve to a Repository with the name 'acme/secret'.",
        },
      ],
    });

    const missingPr = await graphql(owner.token, query.replace("number: 1", "number: 9"), variables);
    expect(missingPr.body).toMatchObject({
      data: { repository: { pullRequest: null } },
      errors: [{ type: "NOT_FOUND", path: ["repository", "pullRequest"], message: "Could not resolve to a PullRequest with the number of 9." }],
    });
    expect(gh.invalidQueries).toEqual([]);
  });

  it("answers 401 Bad credentials for a revoked token, on both APIs", async () => {
    const { token } = gh.addUser({ id: 1, login: "octocat" });
    gh.revokeToken(token);
    const res = await graphql(token, "{ viewer { login } }");
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: "Bad credentials", documentation_url: "https://docs.github.com/graphql" });
    const rest = await fetch(`${gh.apiUrl}/user`, { headers: { Authorization: `Bearer ${token}` } });
    expect(rest.status).toBe(401);
    expect(await rest.json()).toMatchObject({ message: "Bad credentials", documentation_url: "https://docs.github.com/rest" });
  });

  it("keeps merged pull requests consistent and plays down and slow", async () => {
    gh.addUser({ id: 1, login: "octocat" });
    gh.addRepository({ owner: "octocat", name: "hello" });
    const pr = gh.addPullRequest("octocat", "hello", { isDraft: true });
    expect(pr).toMatchObject({ number: 1, state: "OPEN", isDraft: true, merged: false, author: { login: "octocat", __typename: "User" } });
    const merged = gh.updatePullRequest("octocat", "hello", 1, { state: "MERGED" });
    expect(merged).toMatchObject({ merged: true, isDraft: false, mergedAt: merged.updatedAt });

    gh.setFailure("down");
    const down = await fetch(gh.graphqlUrl, { method: "POST" });
    expect(down.status).toBe(502);
    expect(down.headers.get("content-type")).toMatch(/text\/html/);

    gh.setFailure("slow", { delayMs: 300 });
    const started = Date.now();
    await expect(fetch(`${gh.apiUrl}/user`, { signal: AbortSignal.timeout(50) })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(250);
    gh.setFailure(null);
    expect((await fetch(`${gh.apiUrl}/user`)).status).toBe(401);
    expect(gh.requests.at(-1)).toMatchObject({ method: "GET", path: "/api/v3/user" });
  });
});

describe("fake Notion", () => {
  let notion: FakeNotion;
  beforeEach(async () => {
    notion = await startFakeNotion({ clientId: "notion-id", clientSecret: "notion-secret" });
  });
  afterEach(() => notion.close());

  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
  const tokenCall = (headers: Record<string, string>, body: unknown) =>
    fetch(`${notion.url}/v1/oauth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
  const external_account = { key: "583231", name: "octocat" };

  it("requires HTTP Basic client auth on the token endpoint", async () => {
    const code = notion.issueCode();
    const none = await tokenCall({}, { grant_type: "authorization_code", code, external_account });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ object: "error", status: 401, code: "unauthorized" });
    const wrong = await tokenCall({ Authorization: basic("notion-id", "nope") }, { grant_type: "authorization_code", code, external_account });
    expect(wrong.status).toBe(401);
    expect(notion.tokens).toEqual([]);
  });

  it("trades a code once, checks external_account, and works with @notionhq/client", async () => {
    const code = notion.issueCode({ workspace: { name: "Docs" } });
    const missing = await tokenCall({ Authorization: basic("notion-id", "notion-secret") }, { grant_type: "authorization_code", code });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ object: "error", code: "validation_error" });

    const client = new Client({ baseUrl: notion.url });
    const answer = await client.oauth.token({
      client_id: "notion-id",
      client_secret: "notion-secret",
      grant_type: "authorization_code",
      code,
      external_account,
    });
    expect(answer).toMatchObject({ token_type: "bearer", workspace_name: "Docs", owner: { type: "workspace", workspace: true } });
    expect(notion.tokens).toEqual([expect.objectContaining({ accessToken: answer.access_token, externalAccount: external_account })]);

    const again = await tokenCall({ Authorization: basic("notion-id", "notion-secret") }, { grant_type: "authorization_code", code, external_account });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ code: "invalid_grant" });
    expect(notion.tokenRequests.map((r) => r.status)).toEqual([400, 200, 400]);
  });

  it("takes PATCH /v1/external/object with an issued token and Notion-Version, and plays scripted answers", async () => {
    const client = new Client({ baseUrl: notion.url });
    const { access_token } = await client.oauth.token({
      client_id: "notion-id",
      client_secret: "notion-secret",
      grant_type: "authorization_code",
      code: notion.issueCode(),
      external_account,
    });
    const envelope = {
      uri: "https://github.com/o/r/pull/1",
      operations: [
        {
          path: ["attributes"],
          set: [
            { id: "title", name: "Title", type: "inline", inline: { title: { value: "Hi", section: "title" } } },
            { id: "dev", name: "Developer Name", type: "inline", inline: { plain_text: { value: "Acme", section: "secondary" } } },
          ],
        },
      ],
    };
    const patch = (token: string, headers: Record<string, string> = { "Notion-Version": "2021-08-16" }, body: unknown = envelope) =>
      fetch(`${notion.url}/v1/external/object`, {
        method: "PATCH",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...headers },
        body: JSON.stringify(body),
      });

    expect((await patch("ntn_unknown")).status).toBe(401);
    expect((await patch(access_token, {})).status).toBe(400);
    notion.queuePatchResponse({ status: 429, headers: { "Retry-After": "1" }, body: { object: "error", status: 429, code: "rate_limited", message: "slow down" } });
    const limited = await patch(access_token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect((await patch(access_token)).status).toBe(200);
    expect((await patch(access_token, undefined, { ...envelope, operations: [{ path: ["attributes"], set: [] }] })).status).toBe(400);

    const seen = await notion.waitForPatches(5, 1000);
    expect(seen.map((p) => p.status)).toEqual([401, 400, 429, 200, 400]);
    expect(seen[3]).toMatchObject({ token: access_token, notionVersion: "2021-08-16", body: envelope });
  });
});
