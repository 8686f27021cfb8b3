import Database from "better-sqlite3";
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { assertValidAttributes } from "../src/notion/validate.js";
import { sha256 } from "../src/secrets/tokens.js";
import { CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, startHarness, type Harness } from "./helpers/harness.js";
import {
  Browser,
  allow,
  authorizeUrl,
  codeGrant,
  connect,
  defaultAuthorizeParams,
  reachConsent,
  tokenRequest,
  unfurl,
} from "./helpers/notionDance.js";

let h: Harness;
let prUrl: string;

beforeEach(async () => {
  h = await startHarness();
  h.github.addUser({ id: 1001, login: "octocat", name: "The Octocat" });
  h.github.addUser({ id: 2002, login: "mallory" });
  h.github.addRepository({ owner: "acme", name: "widgets", private: true, collaborators: ["octocat"] });
  const pr = h.github.addPullRequest("acme", "widgets", { title: "Add flying widgets", author: "octocat" });
  prUrl = `${h.github.webUrl}/acme/widgets/pull/${pr.number}`;
});

afterEach(async () => {
  await h.close();
});

describe("the whole dance, as Notion and a browser do it", () => {
  it("authorize → GitHub → consent → token → unfurl of a private pull request", async () => {
    const { browser, consent, callback } = await reachConsent(h, "octocat");
    // Consent page: who connects, anti-framing, one form with a CSRF field and two buttons.
    expect(consent.html).toContain("@octocat");
    expect(consent.html).toContain('name="decision" value="allow"');
    expect(consent.html).toContain('name="decision" value="deny"');
    expect(callback.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(callback.headers.get("x-frame-options")).toBe("DENY");
    expect(callback.headers.get("cache-control")).toBe("no-store");

    const answer = await browser.postForm(consent.action, { [consent.csrfField]: consent.csrf, decision: "allow" });
    expect(answer.status).toBe(303);
    const location = new URL(answer.headers.get("location") ?? "");
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get("state")).toBe("notion-state-123");
    const code = location.searchParams.get("code") ?? "";
    expect(Buffer.from(code, "base64url").length).toBeGreaterThanOrEqual(32);

    // We exchanged Notion's code with Basic auth and the GitHub account as external_account.
    expect(h.notion.tokenRequests).toHaveLength(1);
    expect(h.notion.tokenRequests[0]).toMatchObject({ status: 200, externalAccount: { key: "1001", name: "octocat" } });

    const token = await tokenRequest(h, codeGrant(code));
    expect(token.status).toBe(200);
    expect(token.headers.get("cache-control")).toBe("no-store");
    expect(token.body).toMatchObject({ token_type: "bearer", expires_in: 3600 });
    expect(typeof token.body.access_token).toBe("string");
    expect(typeof token.body.refresh_token).toBe("string");

    const res = await unfurl(h, String(token.body.access_token), { uri: prUrl });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ uri: prUrl, operations: [{ path: ["attributes"] }] });
    const set = assertValidAttributes((res.body?.operations as [{ set: unknown }])[0].set);
    expect(set.find((a) => a.id === "title")).toMatchObject({ inline: { title: { value: "Add flying widgets" } } });
    expect(set.find((a) => a.id === "dev")).toMatchObject({ inline: { plain_text: { value: "Acme Corp" } } });
    expect(h.github.invalidQueries).toEqual([]);
    // The GraphQL call used octocat's own token (the one GitHub issued at login).
    const graphql = h.github.requests.filter((r) => r.path === "/api/graphql");
    expect(graphql).toHaveLength(1);
    expect(graphql[0]?.headers.authorization).toMatch(/^Bearer gho_/);
  });

  it("Deny answers access_denied with the state", async () => {
    const { browser, consent } = await reachConsent(h, "octocat");
    const res = await browser.postForm(consent.action, { [consent.csrfField]: consent.csrf, decision: "deny" });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get("location") ?? "");
    expect(location.searchParams.get("error")).toBe("access_denied");
    expect(location.searchParams.get("state")).toBe("notion-state-123");
    expect(location.searchParams.get("code")).toBeNull();
    expect(h.notion.tokenRequests).toHaveLength(0);
  });
});

describe("authorize refuses", () => {
  const expectErrorPage = async (res: Response, status = 400) => {
    expect(res.status).toBe(status);
    expect(res.headers.get("location")).toBeNull();
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
  };

  it("a wrong client_id with an error page, never a redirect", async () => {
    const params = { ...defaultAuthorizeParams(h), client_id: "someone-else" };
    await expectErrorPage(await new Browser().get(authorizeUrl(h, params)));
  });

  it("a wrong or missing redirect_uri with an error page, never a redirect", async () => {
    for (const redirect_uri of ["https://evil.example/callback", "https://www.notion.so/other", undefined]) {
      const params = { ...defaultAuthorizeParams(h), redirect_uri } as Record<string, string | undefined>;
      await expectErrorPage(await new Browser().get(authorizeUrl(h, params)));
    }
  });

  it("a repeated client_id or redirect_uri with an error page", async () => {
    const url = new URL(authorizeUrl(h, defaultAuthorizeParams(h)));
    url.searchParams.append("redirect_uri", "https://evil.example/cb");
    await expectErrorPage(await new Browser().get(url.toString()));
  });

  it("accepts the redirect URI's host and path in another case", async () => {
    const params = { ...defaultAuthorizeParams(h), redirect_uri: "https://WWW.notion.so/externalIntegrationAuthCallback" };
    const res = await new Browser().get(authorizeUrl(h, params));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toContain(`${h.github.webUrl}/login/oauth/authorize`);
  });

  it("other problems by redirecting with RFC 6749 codes and the state", async () => {
    const cases: [Record<string, string | undefined>, string][] = [
      [{ response_type: "token" }, "unsupported_response_type"],
      [{ response_type: undefined }, "unsupported_response_type"],
      [{ code: undefined }, "invalid_request"],
    ];
    for (const [change, error] of cases) {
      const res = await new Browser().get(authorizeUrl(h, { ...defaultAuthorizeParams(h), ...change }));
      expect(res.status).toBe(303);
      const location = new URL(res.headers.get("location") ?? "");
      expect(location.searchParams.get("error")).toBe(error);
      expect(location.searchParams.get("state")).toBe("notion-state-123");
    }
  });

  it("sends the browser to GitHub with PKCE S256 and a state bound to an HttpOnly, SameSite=Lax cookie", async () => {
    const browser = new Browser();
    const res = await fetch(authorizeUrl(h, defaultAuthorizeParams(h)), { redirect: "manual" });
    const to = new URL(res.headers.get("location") ?? "");
    expect(to.searchParams.get("code_challenge_method")).toBe("S256");
    expect(to.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(to.searchParams.get("state")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(to.searchParams.get("redirect_uri")).toBe(`${h.url}/auth/github/callback`);
    const cookie = res.headers.getSetCookie()[0] ?? "";
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    // A callback with another state (login CSRF) is refused without a redirect.
    await browser.get(authorizeUrl(h, defaultAuthorizeParams(h)));
    const forged = await browser.get(`${h.url}/auth/github/callback?code=x&state=forged`);
    expect(forged.status).toBe(400);
    expect(forged.headers.get("location")).toBeNull();
  });
});

describe("consent refuses", () => {
  it("a POST without the anti-CSRF field, or with another session's", async () => {
    const victim = await reachConsent(h, "octocat");
    const attacker = await reachConsent(h, "mallory");
    const without = await victim.browser.postForm(victim.consent.action, { decision: "allow" });
    expect(without.status).toBe(403);
    const foreign = await victim.browser.postForm(victim.consent.action, {
      [victim.consent.csrfField]: attacker.consent.csrf,
      decision: "allow",
    });
    expect(foreign.status).toBe(403);
    const noCookie = await new Browser().postForm(victim.consent.action, {
      [victim.consent.csrfField]: victim.consent.csrf,
      decision: "allow",
    });
    expect(noCookie.status).toBe(400);
    expect(h.notion.tokenRequests).toHaveLength(0);
    // The refusals did not consume the real session: the user can still answer.
    const ok = await victim.browser.postForm(victim.consent.action, {
      [victim.consent.csrfField]: victim.consent.csrf,
      decision: "allow",
    });
    expect(ok.status).toBe(303);
    // … once.
    const again = await victim.browser.postForm(victim.consent.action, {
      [victim.consent.csrfField]: victim.consent.csrf,
      decision: "allow",
    });
    expect(again.status).toBe(400);
  });

  it("Notion refusing its code sends access_denied back, and stores nothing", async () => {
    const params = { ...defaultAuthorizeParams(h), code: "not-a-code-notion-issued" };
    const { browser, consent } = await reachConsent(h, "octocat", params);
    const res = await browser.postForm(consent.action, { [consent.csrfField]: consent.csrf, decision: "allow" });
    const location = new URL(res.headers.get("location") ?? "");
    expect(location.searchParams.get("error")).toBe("access_denied");
    expect(location.searchParams.get("state")).toBe("notion-state-123");
  });
});

describe("token endpoint refuses", () => {
  const expectOAuthError = (res: Awaited<ReturnType<typeof tokenRequest>>, status: number, error: string) => {
    expect(res.status).toBe(status);
    expect(res.body.error).toBe(error);
    expect(typeof res.body.error_description).toBe("string");
    expect(res.headers.get("cache-control")).toBe("no-store");
  };

  it("a replayed code, and revokes the tokens issued from it", async () => {
    const { code } = await allow(h, "octocat");
    const first = await tokenRequest(h, codeGrant(code));
    expect(first.status).toBe(200);
    expect((await unfurl(h, String(first.body.access_token), { uri: prUrl })).status).toBe(200);
    expectOAuthError(await tokenRequest(h, codeGrant(code)), 400, "invalid_grant");
    expect((await unfurl(h, String(first.body.access_token), { uri: `${prUrl}/files` })).status).toBe(401);
    expectOAuthError(
      await tokenRequest(h, { grant_type: "refresh_token", refresh_token: String(first.body.refresh_token), client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
      400,
      "invalid_grant",
    );
  });

  it("all but one of 10 concurrent redemptions of one code", async () => {
    const { code } = await allow(h, "octocat");
    const answers = await Promise.all(Array.from({ length: 10 }, () => tokenRequest(h, codeGrant(code))));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 400 && a.body.error === "invalid_grant")).toHaveLength(9);
  });

  it("an expired code (5 minutes)", async () => {
    const { code } = await allow(h, "octocat");
    h.clock.advance(5 * 60_000 + 1);
    expectOAuthError(await tokenRequest(h, codeGrant(code)), 400, "invalid_grant");
  });

  it("a code issued to another client", async () => {
    const { code } = await allow(h, "octocat");
    const real = await h.store.findAuthCode(sha256(code));
    await h.store.createAuthCode({
      hash: sha256("code-of-another-client"),
      grantId: real?.grantId ?? "",
      clientId: "another-client",
      redirectUri: REDIRECT_URI,
      expiresAt: h.clock.now() + 60_000,
    });
    expectOAuthError(await tokenRequest(h, codeGrant("code-of-another-client")), 400, "invalid_grant");
  });

  it("a redirect_uri that differs from the authorization request's", async () => {
    const { code } = await allow(h, "octocat");
    expectOAuthError(
      await tokenRequest(h, { ...codeGrant(code), redirect_uri: "https://notion.so/externalIntegrationAuthCallback" }),
      400,
      "invalid_grant",
    );
  });

  it("a wrong client secret, with 401 and WWW-Authenticate", async () => {
    const { code } = await allow(h, "octocat");
    const res = await tokenRequest(h, { ...codeGrant(code), client_secret: "wrong" });
    expectOAuthError(res, 401, "invalid_client");
    expect(res.headers.get("www-authenticate")).toMatch(/^Basic/);
    const basic = Buffer.from(`${CLIENT_ID}:nope`).toString("base64");
    const { client_id: _i, client_secret: _s, ...rest } = codeGrant(code);
    expectOAuthError(await tokenRequest(h, rest, { authorization: `Basic ${basic}` }), 401, "invalid_client");
    // The code survived the failed attempts (client authentication comes first).
    const good = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64");
    expect((await tokenRequest(h, rest, { authorization: `Basic ${good}` })).status).toBe(200);
  });

  it("an unsupported grant type, a missing one, and repeated parameters", async () => {
    const auth = { client_id: CLIENT_ID, client_secret: CLIENT_SECRET };
    expectOAuthError(await tokenRequest(h, { ...auth, grant_type: "password" }), 400, "unsupported_grant_type");
    expectOAuthError(await tokenRequest(h, auth), 400, "invalid_request");
    const { code } = await allow(h, "octocat");
    const res = await fetch(`${h.url}/notion/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `${new URLSearchParams(codeGrant(code)).toString()}&code=other`,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe("invalid_request");
  });

  it("accepts JSON bodies too", async () => {
    const { code } = await allow(h, "octocat");
    const res = await fetch(`${h.url}/notion/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(codeGrant(code)),
    });
    expect(res.status).toBe(200);
  });

  it("a reused refresh token, and revokes the whole family", async () => {
    const first = await connect(h, "octocat");
    const refresh = (refresh_token: string) =>
      tokenRequest(h, { grant_type: "refresh_token", refresh_token, client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect((await unfurl(h, String(second.body.access_token), { uri: prUrl })).status).toBe(200);
    // The rotated-out token comes back: someone copied it. Everything of the grant dies.
    expectOAuthError(await refresh(first.refresh_token), 400, "invalid_grant");
    expect((await unfurl(h, String(second.body.access_token), { uri: prUrl })).status).toBe(401);
    expectOAuthError(await refresh(String(second.body.refresh_token)), 400, "invalid_grant");
  });

  it("an access token past ACCESS_TOKEN_TTL, while its refresh still works", async () => {
    const t = await connect(h, "octocat");
    h.clock.advance(3600_000);
    expect((await unfurl(h, t.access_token, { uri: prUrl })).status).toBe(401);
    const next = await tokenRequest(h, { grant_type: "refresh_token", refresh_token: t.refresh_token, client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
    expect((await unfurl(h, String(next.body.access_token), { uri: prUrl })).status).toBe(200);
  });
});

describe("at rest", () => {
  it("tokens and codes are SHA-256 hashes, secrets are JWE; no credential is readable in the file", async () => {
    const { code } = await allow(h, "octocat");
    const tokens = (await tokenRequest(h, codeGrant(code))).body;
    const db = new Database(h.dbPath, { readonly: true });
    const rows = db.prepare("SELECT hash FROM tokens").all() as { hash: string }[];
    expect(rows.map((r) => r.hash).sort()).toEqual([sha256(String(tokens.access_token)), sha256(String(tokens.refresh_token))].sort());
    expect(db.prepare("SELECT hash FROM auth_codes").all()).toEqual([{ hash: sha256(code) }]);
    const grant = db.prepare("SELECT upstream_token_sealed, notion_token_sealed FROM grants").get() as Record<string, string>;
    for (const sealed of Object.values(grant)) {
      expect(sealed.split(".")).toHaveLength(5);
      const header = JSON.parse(Buffer.from(sealed.split(".")[0] ?? "", "base64url").toString()) as Record<string, string>;
      expect(header).toMatchObject({ alg: "dir", enc: "A256GCM" });
    }
    db.close();
    const notionToken = h.notion.tokens[0]?.accessToken ?? "";
    const githubToken = /Bearer (\S+)/.exec(
      String(h.github.requests.find((r) => r.path === "/api/v3/user")?.headers.authorization),
    )?.[1];
    expect(notionToken).not.toBe("");
    expect(githubToken).toBeTruthy();
    const bytes = Buffer.concat([readFileSync(h.dbPath), readFileSync(`${h.dbPath}-wal`)]).toString("latin1");
    for (const secret of [String(tokens.access_token), String(tokens.refresh_token), code, notionToken, githubToken ?? ""]) {
      expect(bytes.includes(secret)).toBe(false);
    }
  });
});
