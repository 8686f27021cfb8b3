import { createHash, randomBytes } from "node:crypto";
import { fetch } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UnfurlError, UpstreamAuthError } from "../src/http/errors.js";
import { type GitHubLogin, createGitHubLogin } from "../src/providers/github/login.js";
import { type FakeGitHub, startFakeGitHub } from "./fakes/github.js";

const redirectUri = "http://127.0.0.1:3000/auth/github/callback";

function pkce() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

describe("GitHub login (OAuth web flow with PKCE)", () => {
  let gh: FakeGitHub;
  let login: GitHubLogin;

  async function start(expiringTokens = false) {
    gh = await startFakeGitHub({ clientId: "gh-client", clientSecret: "gh-secret", expiringTokens });
    login = createGitHubLogin({
      webUrl: gh.webUrl,
      apiUrl: gh.apiUrl,
      clientId: "gh-client",
      clientSecret: "gh-secret",
      fetch,
      timeoutMs: 2_000,
      now: () => 1_000_000,
    });
    gh.addUser({ id: 583231, login: "octocat", name: "The Octocat" });
    gh.setBrowserUser("octocat");
  }
  beforeEach(() => start());
  afterEach(() => gh.close());

  /** Plays the browser: follows the authorize URL to GitHub and returns the code it sends back. */
  async function codeFor(challenge: string, state = "s1") {
    const res = await fetch(login.authorizeUrl({ state, codeChallenge: challenge, redirectUri }), { redirect: "manual" });
    const back = new URL(res.headers.get("location") ?? "");
    expect(back.searchParams.get("state")).toBe(state);
    return back.searchParams.get("code") ?? "";
  }

  it("builds an authorize URL with the client, state and an S256 challenge", async () => {
    const url = new URL(login.authorizeUrl({ state: "abc", codeChallenge: "CHALLENGE", redirectUri }));
    expect(url.origin + url.pathname).toBe(`${gh.webUrl}/login/oauth/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: "gh-client",
      redirect_uri: redirectUri,
      state: "abc",
      code_challenge: "CHALLENGE",
      code_challenge_method: "S256",
    });
  });

  it("exchanges the code with the right verifier and fetches the user", async () => {
    const { verifier, challenge } = pkce();
    const token = await login.exchangeCode({ code: await codeFor(challenge), codeVerifier: verifier, redirectUri });
    expect(token).toEqual({ accessToken: expect.stringMatching(/^gho_/) });
    expect(await login.fetchUser(token.accessToken)).toEqual({
      id: "583231",
      login: "octocat",
      name: "The Octocat",
      avatarUrl: "https://avatars.githubusercontent.com/u/583231?v=4",
    });
    const exchange = gh.requests.find((r) => r.path === "/login/oauth/access_token");
    expect(exchange?.headers["accept"]).toBe("application/json");
    expect(exchange?.headers["content-type"]).toMatch(/^application\/x-www-form-urlencoded/);
  });

  it("refuses a wrong verifier with UpstreamAuthError carrying GitHub's description", async () => {
    const code = await codeFor(pkce().challenge);
    const failure = login.exchangeCode({ code, codeVerifier: pkce().verifier, redirectUri });
    await expect(failure).rejects.toBeInstanceOf(UpstreamAuthError);
    await expect(failure).rejects.toThrow(/code_verifier/);
  });

  it("refuses a reused code and a wrong client secret", async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    await login.exchangeCode({ code, codeVerifier: verifier, redirectUri });
    await expect(login.exchangeCode({ code, codeVerifier: verifier, redirectUri })).rejects.toThrow(/incorrect or expired/);

    const bad = createGitHubLogin({ webUrl: gh.webUrl, apiUrl: gh.apiUrl, clientId: "gh-client", clientSecret: "nope", fetch });
    const next = pkce();
    const failure = bad.exchangeCode({ code: await codeFor(next.challenge), codeVerifier: next.verifier, redirectUri });
    await expect(failure).rejects.toBeInstanceOf(UpstreamAuthError);
  });

  it("keeps a GitHub App's refresh token and expiry, and refreshes", async () => {
    await gh.close();
    await start(true);
    const { verifier, challenge } = pkce();
    const token = await login.exchangeCode({ code: await codeFor(challenge), codeVerifier: verifier, redirectUri });
    expect(token).toEqual({
      accessToken: expect.stringMatching(/^ghu_/),
      refreshToken: expect.stringMatching(/^ghr_/),
      expiresAt: 1_000_000 + 8 * 3600 * 1000,
    });
    const refreshed = await login.refresh(token.refreshToken ?? "");
    expect(refreshed.accessToken).not.toBe(token.accessToken);
    expect((await login.fetchUser(refreshed.accessToken)).login).toBe("octocat");
    await expect(login.refresh(token.refreshToken ?? "")).rejects.toBeInstanceOf(UpstreamAuthError);
  });

  it("maps a dead token to UpstreamAuthError and an outage to 503", async () => {
    await expect(login.fetchUser("gho_revoked")).rejects.toBeInstanceOf(UpstreamAuthError);
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    gh.setFailure("down");
    const failure = login.exchangeCode({ code, codeVerifier: verifier, redirectUri });
    await expect(failure).rejects.toBeInstanceOf(UnfurlError);
    await expect(failure).rejects.toMatchObject({ status: 503 });
  });
});
