import { z } from "zod";
import { UnfurlError, UpstreamAuthError } from "../../http/errors.js";
import type { Fetch } from "../../http/outbound.js";
import type { UpstreamToken } from "../types.js";
import { MESSAGES, createGitHubApi, requestJson } from "./api.js";

/**
 * The upstream half of our authorize page: GitHub's OAuth web flow with PKCE (S256). Works for an
 * OAuth app and for a GitHub App's user tokens, which also carry a refresh token and an expiry.
 */

export interface GitHubLoginOptions {
  /** GitHub web base, `https://github.com` or `https://HOST` (GHES). */
  webUrl: string;
  /** REST base, for `GET /user`. */
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  fetch: Fetch;
  timeoutMs?: number;
  /**
   * OAuth app scopes, e.g. `repo` to preview private repositories. Leave unset for a GitHub App:
   * its permissions are set on the app, and GitHub ignores the parameter.
   */
  scope?: string;
  /** Epoch ms; a parameter so expiries are testable. */
  now?: () => number;
}

export interface GitHubUser {
  /** GitHub's numeric user id as a string: the stable `external_account.key`. */
  id: string;
  login: string;
  name: string | null;
  avatarUrl: string | null;
}

export interface GitHubLogin {
  authorizeUrl(p: { state: string; codeChallenge: string; redirectUri: string }): string;
  /** Trades the code GitHub sent back for the user's token; a refused code → `UpstreamAuthError`. */
  exchangeCode(p: { code: string; codeVerifier: string; redirectUri: string }, signal?: AbortSignal): Promise<UpstreamToken>;
  /** GitHub App user tokens expire; a dead refresh token → `UpstreamAuthError`. */
  refresh(refreshToken: string, signal?: AbortSignal): Promise<UpstreamToken>;
  fetchUser(accessToken: string, signal?: AbortSignal): Promise<GitHubUser>;
}

// GitHub answers a refused exchange with HTTP 200 and these three fields
const tokenAnswer = z.union([
  z.object({ error: z.string(), error_description: z.string().optional() }),
  z.object({
    access_token: z.string().min(1),
    refresh_token: z.string().min(1).optional(),
    expires_in: z.number().int().positive().optional(),
  }),
]);

const userAnswer = z.object({
  id: z.number().int(),
  login: z.string().min(1),
  name: z.string().nullish(),
  avatar_url: z.string().nullish(),
});

export function createGitHubLogin(opts: GitHubLoginOptions): GitHubLogin {
  const webUrl = opts.webUrl.replace(/\/+$/, "");
  const now = opts.now ?? Date.now;
  const api = createGitHubApi({ apiUrl: opts.apiUrl, fetch: opts.fetch, timeoutMs: opts.timeoutMs });

  async function tokenRequest(fields: Record<string, string>, signal?: AbortSignal): Promise<UpstreamToken> {
    const { body } = await requestJson(
      opts.fetch,
      `${webUrl}/login/oauth/access_token`,
      {
        method: "POST",
        headers: { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ client_id: opts.clientId, client_secret: opts.clientSecret, ...fields }).toString(),
      },
      { timeoutMs: opts.timeoutMs, signal },
    );
    const parsed = tokenAnswer.safeParse(body);
    if (!parsed.success) throw new UnfurlError(502, MESSAGES.badAnswer);
    const answer = parsed.data;
    if ("error" in answer) {
      throw new UpstreamAuthError(`GitHub refused the login: ${answer.error_description ?? answer.error}`);
    }
    const token: UpstreamToken = { accessToken: answer.access_token };
    if (answer.refresh_token) token.refreshToken = answer.refresh_token;
    if (answer.expires_in) token.expiresAt = now() + answer.expires_in * 1000;
    return token;
  }

  return {
    authorizeUrl({ state, codeChallenge, redirectUri }) {
      const url = new URL(`${webUrl}/login/oauth/authorize`);
      url.search = new URLSearchParams({
        client_id: opts.clientId,
        redirect_uri: redirectUri,
        state,
        code_challenge: codeChallenge,
        code_challenge_method: "S256",
        ...(opts.scope ? { scope: opts.scope } : {}),
      }).toString();
      return url.toString();
    },

    exchangeCode({ code, codeVerifier, redirectUri }, signal) {
      return tokenRequest({ code, redirect_uri: redirectUri, code_verifier: codeVerifier }, signal);
    },

    refresh(refreshToken, signal) {
      return tokenRequest({ grant_type: "refresh_token", refresh_token: refreshToken }, signal);
    },

    async fetchUser(accessToken, signal) {
      const { id, login, name, avatar_url } = await api.rest({ token: accessToken, signal }, "/user", userAnswer);
      return { id: String(id), login, name: name ?? null, avatarUrl: avatar_url ?? null };
    },
  };
}
