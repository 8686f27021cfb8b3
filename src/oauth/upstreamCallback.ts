import type { Request, Response } from "express";
import { UpstreamAuthError } from "../http/errors.js";
import { clearSessionCookie, readCookie, setSessionCookie } from "../http/cookies.js";
import { param } from "../http/duplicateParams.js";
import { constantTimeEqual, randomToken } from "../secrets/tokens.js";
import type { OAuthContext } from "./context.js";
import { sendConsentPage, sendErrorPage } from "./pages.js";
import { redirectWith } from "./redirectUri.js";
import { CONSENT_PATH } from "./paths.js";
import { SESSION_COOKIE, SESSION_TTL_MS } from "./session.js";


/**
 * `GET /auth/github/callback`: the browser is back from the upstream login. The `state` must be
 * the one bound to this browser's pending authorization (login CSRF); then the code is
 * exchanged (PKCE), the user read, and the consent page shown.
 */
export function upstreamCallback(ctx: OAuthContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const sessionId = readCookie(req, SESSION_COOKIE);
    const pending = sessionId ? await ctx.sessions.get(sessionId) : null;
    if (!sessionId || !pending || !ctx.upstream) {
      return sendErrorPage(res, 400, "Sign-in expired", "This sign-in is no longer pending: it expired or was already used.");
    }
    const state = param(req.query, "state");
    if (!state || !constantTimeEqual(state, pending.upstreamState)) {
      return sendErrorPage(res, 400, "Sign-in could not be verified", "The sign-in answer does not belong to this browser session.");
    }
    // From here the session is ours: consume it so the upstream code cannot be replayed here.
    await ctx.sessions.take(sessionId);
    const back = (error: string, description: string) => {
      clearSessionCookie(res, SESSION_COOKIE, ctx.secureCookies);
      res.redirect(303, redirectWith(pending.redirectUri, { error, error_description: description, state: pending.state }));
    };

    const upstreamError = param(req.query, "error");
    const code = param(req.query, "code");
    if (upstreamError || !code) return back("access_denied", `${ctx.upstream.displayName} sign-in was cancelled.`);

    let token, user;
    try {
      const signal = AbortSignal.timeout(15_000);
      token = await ctx.upstream.exchangeCode({ code, codeVerifier: pending.codeVerifier, redirectUri: ctx.upstreamCallbackUrl }, signal);
      user = await ctx.upstream.fetchUser(token.accessToken, signal);
    } catch (err) {
      if (err instanceof UpstreamAuthError) return back("access_denied", `${ctx.upstream.displayName} did not accept the sign-in.`);
      ctx.logger.error({ err }, "upstream login failed");
      return back("temporarily_unavailable", `${ctx.upstream.displayName} could not be reached; please try again.`);
    }

    const csrfToken = randomToken();
    const nextId = await ctx.sessions.create({ ...pending, upstream: { token, user }, csrfToken });
    setSessionCookie(res, SESSION_COOKIE, nextId, SESSION_TTL_MS, ctx.secureCookies);
    sendConsentPage(res, {
      action: CONSENT_PATH,
      csrfToken,
      developerName: ctx.config.developerName,
      upstreamName: ctx.upstream.displayName,
      login: user.login,
      avatarUrl: user.avatarUrl,
      reads: ctx.upstream.reads,
      formAction: [new URL(pending.redirectUri).origin],
    });
  };
}
