import type { Request, Response } from "express";
import { constantTimeEqual, pkceChallenge, randomToken } from "../secrets/tokens.js";
import { duplicatedParams, param } from "../http/duplicateParams.js";
import { setSessionCookie } from "../http/cookies.js";
import type { OAuthContext } from "./context.js";
import { sendErrorPage } from "./pages.js";
import { isAllowedRedirectUri, redirectWith } from "./redirectUri.js";
import { SESSION_COOKIE, SESSION_TTL_MS } from "./session.js";

const MAX_PARAM = 2048;

/**
 * `GET /notion/authorize`: Notion sends the user here. The client and redirect URI are checked
 * first and, when wrong, answered with an error page, never a redirect (RFC 6749 §4.1.2.1); any
 * later problem goes back to Notion as an RFC 6749 error with the `state`.
 */
export function authorize(ctx: OAuthContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const q = req.query;
    const dups = duplicatedParams(q);
    const clientId = param(q, "client_id");
    const redirectUri = param(q, "redirect_uri");
    if (dups.includes("client_id") || !clientId || !constantTimeEqual(clientId, ctx.config.oauth.clientId)) {
      return sendErrorPage(res, 400, "Unknown application", "This authorization request names an unknown client_id.");
    }
    if (
      dups.includes("redirect_uri") ||
      !redirectUri ||
      redirectUri.length > MAX_PARAM ||
      !isAllowedRedirectUri(redirectUri, ctx.config.oauth.redirectUris)
    ) {
      return sendErrorPage(res, 400, "Invalid redirect URI", "This authorization request names a redirect_uri that is not registered.");
    }

    const state = param(q, "state");
    const back = (error: string, description: string) =>
      res.redirect(303, redirectWith(redirectUri, { error, error_description: description, state }));

    if (dups.length > 0) return back("invalid_request", `Repeated parameter: ${dups.join(", ")}`);
    if (param(q, "response_type") !== "code") {
      return back("unsupported_response_type", "Only response_type=code is supported.");
    }
    const notionCode = param(q, "code");
    if (!notionCode || notionCode.length > MAX_PARAM) return back("invalid_request", "Missing Notion's code parameter.");
    if (!state || state.length > MAX_PARAM) return back("invalid_request", "Missing state parameter.");
    const scope = param(q, "scope");
    if (scope !== undefined && scope.length > MAX_PARAM) return back("invalid_scope", "The scope parameter is too long.");

    const missing = [
      ...(ctx.upstream ? [] : ["GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET"]),
      ...(ctx.notion ? [] : ["NOTION_CLIENT_ID", "NOTION_CLIENT_SECRET"]),
    ];
    if (!ctx.upstream || missing.length > 0) {
      ctx.logger.error({ missing }, "authorize refused: integration not configured");
      return back("temporarily_unavailable", `This integration is not configured yet (missing ${missing.join(", ")}).`);
    }

    const codeVerifier = randomToken(48);
    const upstreamState = randomToken();
    const sessionId = await ctx.sessions.create({
      clientId,
      redirectUri,
      state,
      notionCode,
      scope,
      codeVerifier,
      upstreamState,
    });
    setSessionCookie(res, SESSION_COOKIE, sessionId, SESSION_TTL_MS, ctx.secureCookies);
    res.set("Cache-Control", "no-store");
    res.redirect(
      303,
      ctx.upstream.authorizeUrl({
        state: upstreamState,
        codeChallenge: pkceChallenge(codeVerifier),
        redirectUri: ctx.upstreamCallbackUrl,
      }),
    );
  };
}
