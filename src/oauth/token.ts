import type { Request, Response } from "express";
import { OAuthError } from "../http/errors.js";
import { duplicatedParams, param } from "../http/duplicateParams.js";
import { constantTimeEqual, randomToken, sha256 } from "../secrets/tokens.js";
import type { NewToken } from "../store/types.js";
import type { OAuthContext } from "./context.js";
import { sameRedirectUri } from "./redirectUri.js";

/**
 * `POST /notion/token` (RFC 6749 §3.2, §4.1.3, §6). Client authentication by body or HTTP Basic
 * (not both), constant-time. Codes are consumed in one atomic statement; a replayed code or a
 * reused refresh token revokes the grant they belong to. Refresh tokens rotate.
 */
export function token(ctx: OAuthContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const body: unknown = req.body ?? {};
    const dups = duplicatedParams(body, req.query);
    if (dups.length > 0) throw new OAuthError("invalid_request", `Repeated parameter: ${dups.join(", ")}`);
    const clientId = authenticateClient(req, body, ctx);

    const grantType = param(body, "grant_type");
    if (!grantType) throw new OAuthError("invalid_request", "Missing grant_type.");
    const now = ctx.clock.now();

    if (grantType === "authorization_code") {
      const code = param(body, "code");
      const redirectUri = param(body, "redirect_uri");
      if (!code) throw new OAuthError("invalid_request", "Missing code.");
      if (!redirectUri) throw new OAuthError("invalid_request", "Missing redirect_uri.");
      const hash = sha256(code);
      const consumed = await ctx.store.consumeAuthCode(hash, now);
      if (!consumed) {
        const known = await ctx.store.findAuthCode(hash);
        if (known && known.usedAt !== null) {
          // RFC 6749 §4.1.2: a code used twice revokes every token issued from it.
          await ctx.store.revokeGrant(known.grantId, now);
          ctx.logger.warn({ grantId: known.grantId }, "authorization code replayed: grant revoked");
        }
        throw new OAuthError("invalid_grant", "The authorization code is invalid, expired or already used.");
      }
      if (consumed.clientId !== clientId) throw new OAuthError("invalid_grant", "The code was issued to another client.");
      if (!sameRedirectUri(consumed.redirectUri, redirectUri)) {
        throw new OAuthError("invalid_grant", "redirect_uri does not match the authorization request.");
      }
      return issue(res, ctx, consumed.grantId, now);
    }

    if (grantType === "refresh_token") {
      const refreshToken = param(body, "refresh_token");
      if (!refreshToken) throw new OAuthError("invalid_request", "Missing refresh_token.");
      let fresh: IssuedTokens | undefined;
      const outcome = await ctx.store.rotateRefreshToken(
        sha256(refreshToken),
        (grantId) => {
          fresh = mint(ctx, grantId, now);
          return fresh.records;
        },
        now,
      );
      if (outcome.status === "reused") ctx.logger.warn({ grantId: outcome.grantId }, "refresh token reused: grant revoked");
      if (outcome.status !== "rotated" || !fresh) throw new OAuthError("invalid_grant", "The refresh token is invalid, expired or revoked.");
      if (outcome.clientId !== clientId) {
        await ctx.store.revokeGrant(outcome.grantId, now);
        throw new OAuthError("invalid_grant", "The refresh token was issued to another client.");
      }
      return send(res, ctx, fresh);
    }

    throw new OAuthError("unsupported_grant_type", `grant_type ${grantType} is not supported.`);
  };
}

function authenticateClient(req: Request, body: unknown, ctx: OAuthContext): string {
  const basic = parseBasic(req.headers.authorization);
  const bodyId = param(body, "client_id");
  const bodySecret = param(body, "client_secret");
  if (basic && bodySecret !== undefined) {
    throw new OAuthError("invalid_request", "Use one client authentication method, not both.");
  }
  const id = basic?.id ?? bodyId;
  const secret = basic?.secret ?? bodySecret;
  if (basic && bodyId !== undefined && bodyId !== basic.id) throw new OAuthError("invalid_request", "client_id differs from the Basic credentials.");
  // Both comparisons always run, so timing does not tell which part was wrong.
  const idOk = constantTimeEqual(id ?? "", ctx.config.oauth.clientId);
  const secretOk = constantTimeEqual(secret ?? "", ctx.config.oauth.clientSecret);
  if (!id || !secret || !idOk || !secretOk) throw new OAuthError("invalid_client", "Client authentication failed.");
  return id;
}

/** RFC 7617 Basic credentials; client id and secret are form-urlencoded inside (RFC 6749 §2.3.1). */
function parseBasic(header: string | undefined): { id: string; secret: string } | null {
  const m = header ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
  if (!m?.[1]) return null;
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw new OAuthError("invalid_client", "Malformed Basic credentials.");
  try {
    return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  } catch {
    throw new OAuthError("invalid_client", "Malformed Basic credentials.");
  }
}

interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  records: NewToken[];
}

function mint(ctx: OAuthContext, grantId: string, now: number): IssuedTokens {
  const accessToken = randomToken();
  const refreshToken = randomToken();
  return {
    accessToken,
    refreshToken,
    records: [
      { hash: sha256(accessToken), grantId, kind: "access", expiresAt: now + ctx.config.oauth.accessTokenTtl * 1000 },
      { hash: sha256(refreshToken), grantId, kind: "refresh", expiresAt: now + ctx.config.oauth.refreshTokenTtl * 1000 },
    ],
  };
}

async function issue(res: Response, ctx: OAuthContext, grantId: string, now: number): Promise<void> {
  const tokens = mint(ctx, grantId, now);
  await ctx.store.insertTokens(tokens.records, now);
  send(res, ctx, tokens);
}

function send(res: Response, ctx: OAuthContext, t: IssuedTokens): void {
  res.json({
    access_token: t.accessToken,
    token_type: "bearer",
    expires_in: ctx.config.oauth.accessTokenTtl,
    refresh_token: t.refreshToken,
  });
}
