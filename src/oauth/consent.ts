import { randomUUID } from "node:crypto";
import type { Request, Response } from "express";
import { NotionCodeRejected } from "../notion/oauthClient.js";
import { clearSessionCookie, readCookie } from "../http/cookies.js";
import { param } from "../http/duplicateParams.js";
import { constantTimeEqual, randomToken, sha256 } from "../secrets/tokens.js";
import type { OAuthContext } from "./context.js";
import { sealGrantSecrets } from "./grantSecrets.js";
import { sendErrorPage } from "./pages.js";
import { redirectWith } from "./redirectUri.js";
import { SESSION_COOKIE } from "./session.js";

export const AUTH_CODE_TTL_MS = 5 * 60 * 1000;

/**
 * `POST /notion/consent`: the user's Allow or Deny. The CSRF field must match the one bound to
 * this browser's session before anything happens; the session is then consumed (one answer).
 * Allow trades Notion's code for a Notion token, stores the grant with its secrets sealed, and
 * sends Notion our own single-use code.
 */
export function consent(ctx: OAuthContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const sessionId = readCookie(req, SESSION_COOKIE);
    const pending = sessionId ? await ctx.sessions.get(sessionId) : null;
    if (!sessionId || !pending?.upstream || !pending.csrfToken) {
      return sendErrorPage(res, 400, "Consent expired", "This consent request is no longer pending: it expired or was already answered.");
    }
    const csrf = param(req.body, "csrf_token");
    if (!csrf || !constantTimeEqual(csrf, pending.csrfToken)) {
      return sendErrorPage(res, 403, "Request refused", "This form was not submitted from the consent page (invalid anti-forgery token).");
    }
    const decision = param(req.body, "decision");
    if (decision !== "allow" && decision !== "deny") {
      return sendErrorPage(res, 400, "Invalid answer", "Choose Allow or Deny.");
    }
    if (!(await ctx.sessions.take(sessionId))) {
      return sendErrorPage(res, 400, "Consent expired", "This consent request was already answered.");
    }
    clearSessionCookie(res, SESSION_COOKIE, ctx.secureCookies);
    const back = (params: Record<string, string>) =>
      res.redirect(303, redirectWith(pending.redirectUri, { ...params, state: pending.state }));

    if (decision === "deny") return back({ error: "access_denied", error_description: "You denied access." });
    if (!ctx.notion) return back({ error: "temporarily_unavailable", error_description: "This integration is not configured yet." });

    const { user, token } = pending.upstream;
    let notionToken;
    try {
      notionToken = await ctx.notion.exchange({
        code: pending.notionCode,
        redirectUri: pending.redirectUri,
        externalAccount: { key: user.id, name: user.login },
      });
    } catch (err) {
      if (err instanceof NotionCodeRejected) {
        ctx.logger.warn({ notionError: err.notionCode }, "Notion refused its code");
        return back({ error: "access_denied", error_description: "Notion did not accept this connection; please connect again." });
      }
      ctx.logger.error({ err }, "Notion token exchange failed");
      return back({ error: "temporarily_unavailable", error_description: "Notion could not be reached; please try again." });
    }

    const now = ctx.clock.now();
    const account = await ctx.store.upsertAccount(
      { provider: "github", externalId: user.id, login: user.login, avatarUrl: user.avatarUrl },
      now,
    );
    const grantId = randomUUID();
    await ctx.store.createGrant(
      {
        id: grantId,
        accountId: account.id,
        clientId: pending.clientId,
        notionWorkspaceId: notionToken.workspaceId,
        notionWorkspaceName: notionToken.workspaceName,
        notionBotId: notionToken.botId,
        ...(await sealGrantSecrets(ctx.sealer, grantId, { upstream: token, notionAccessToken: notionToken.accessToken })),
      },
      now,
    );
    const code = randomToken();
    await ctx.store.createAuthCode({
      hash: sha256(code),
      grantId,
      clientId: pending.clientId,
      redirectUri: pending.redirectUri,
      expiresAt: now + AUTH_CODE_TTL_MS,
    });
    ctx.logger.info({ grantId, accountId: account.id, workspaceId: notionToken.workspaceId }, "grant created");
    back({ code });
  };
}
