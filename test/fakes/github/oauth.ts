import { createHash, randomBytes } from "node:crypto";
import { type Request, type Response, Router } from "express";
import { type World, newToken } from "./fixtures.js";
import { htmlPage } from "./pages.js";

/**
 * GitHub's OAuth web flow on the web host: `/login/oauth/authorize` (the signed-in "browser user"
 * approves at once, or denies) and `/login/oauth/access_token`, with PKCE S256 enforced and
 * GitHub's quirk of answering refusals with HTTP 200 and an `error` field.
 */

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  /** GitHub App user tokens: 8 h access tokens with a refresh token. */
  expiringTokens: boolean;
}

export interface BrowserUser {
  login: string | null;
  /** The user clicks "Cancel" on GitHub's authorize page. */
  deny: boolean;
}

const CODE_TTL_MS = 10 * 60_000;
const ACCESS_TTL_S = 8 * 3600;
const REFRESH_TTL_S = 184 * 24 * 3600;

interface PendingCode {
  login: string;
  redirectUri: string;
  challenge: string;
  expiresAt: number;
}

const ERRORS = {
  incorrect_client_credentials: "The client_id and/or client_secret passed are incorrect.",
  redirect_uri_mismatch: "The redirect_uri MUST match the registered callback URL for this application.",
  bad_verification_code: "The code passed is incorrect or expired.",
  bad_refresh_token: "The refresh token passed is incorrect or expired.",
  unsupported_grant_type: "The grant type is not supported.",
} as const;
type OAuthErrorCode = keyof typeof ERRORS;

export function oauthRoutes(world: World, app: OAuthApp, browser: () => BrowserUser): Router {
  const router = Router();
  const codes = new Map<string, PendingCode>();
  const refreshTokens = new Map<string, string>();

  router.get("/login/oauth/authorize", (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    // GitHub shows a 404 page for an unknown client, never a redirect
    if (q["client_id"] !== app.clientId) {
      htmlPage(res, 404, "Not Found", "Unknown OAuth application.");
      return;
    }
    const redirectUri = q["redirect_uri"];
    if (!redirectUri || !URL.canParse(redirectUri)) {
      htmlPage(res, 400, "Bad request", "The fake GitHub needs an absolute redirect_uri.");
      return;
    }
    if (q["code_challenge_method"] !== "S256" || !q["code_challenge"]) {
      htmlPage(res, 400, "Bad request", "The fake GitHub requires PKCE: code_challenge with code_challenge_method=S256.");
      return;
    }
    const { login, deny } = browser();
    if (!login) {
      htmlPage(res, 400, "Sign in", "No browser user: call fake.setBrowserUser(login) first.");
      return;
    }

    const back = new URL(redirectUri);
    if (deny) {
      back.searchParams.set("error", "access_denied");
      back.searchParams.set("error_description", "The user has denied your application access.");
      back.searchParams.set("error_uri", "https://docs.github.com/apps/troubleshooting-authorization-request-errors/#access-denied");
    } else {
      const code = randomBytes(10).toString("hex");
      codes.set(code, { login: login.toLowerCase(), redirectUri, challenge: q["code_challenge"], expiresAt: Date.now() + CODE_TTL_MS });
      back.searchParams.set("code", code);
    }
    if (q["state"] !== undefined) back.searchParams.set("state", q["state"]);
    res.redirect(302, back.toString());
  });

  router.post("/login/oauth/access_token", (req, res) => {
    const p = { ...(req.query as Record<string, string>), ...bodyFields(req) };
    if (p["client_id"] !== app.clientId || p["client_secret"] !== app.clientSecret) {
      return reply(req, res, oauthError("incorrect_client_credentials"));
    }
    if (p["grant_type"] === "refresh_token") {
      const login = refreshTokens.get(p["refresh_token"] ?? "");
      if (!app.expiringTokens || login === undefined) return reply(req, res, oauthError("bad_refresh_token"));
      refreshTokens.delete(p["refresh_token"] ?? "");
      return reply(req, res, issue(login));
    }
    if (p["grant_type"] !== undefined && p["grant_type"] !== "authorization_code") {
      return reply(req, res, oauthError("unsupported_grant_type"));
    }

    const pending = codes.get(p["code"] ?? "");
    codes.delete(p["code"] ?? ""); // single use, whatever happens next
    if (!pending || pending.expiresAt < Date.now()) return reply(req, res, oauthError("bad_verification_code"));
    if (p["redirect_uri"] !== pending.redirectUri) return reply(req, res, oauthError("redirect_uri_mismatch"));
    const verifier = p["code_verifier"] ?? "";
    if (createHash("sha256").update(verifier).digest("base64url") !== pending.challenge) {
      return reply(req, res, oauthError("bad_verification_code", "The code_verifier does not match the code_challenge."));
    }
    return reply(req, res, issue(pending.login));
  });

  function issue(login: string): Record<string, string | number> {
    const accessToken = newToken(app.expiringTokens ? "ghu" : "gho");
    world.tokens.set(accessToken, login);
    if (!app.expiringTokens) return { access_token: accessToken, token_type: "bearer", scope: "" };
    const refreshToken = newToken("ghr");
    refreshTokens.set(refreshToken, login);
    return {
      access_token: accessToken,
      expires_in: ACCESS_TTL_S,
      refresh_token: refreshToken,
      refresh_token_expires_in: REFRESH_TTL_S,
      token_type: "bearer",
      scope: "",
    };
  }

  return router;
}

function oauthError(error: OAuthErrorCode, description: string = ERRORS[error]) {
  return {
    error,
    error_description: description,
    error_uri: `https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#${error.replaceAll("_", "-")}`,
  };
}

/** Form-encoded or JSON bodies, as GitHub accepts both. */
function bodyFields(req: Request): Record<string, string> {
  const body: unknown = req.body;
  if (typeof body !== "object" || body === null) return {};
  return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** GitHub answers JSON only when asked (`Accept: application/json`), form-encoded otherwise. */
function reply(req: Request, res: Response, fields: Record<string, string | number>): void {
  if (req.accepts(["application/x-www-form-urlencoded", "application/json"]) === "application/json") {
    res.json(fields);
    return;
  }
  const form = new URLSearchParams(Object.entries(fields).map(([k, v]): [string, string] => [k, String(v)]));
  res.type("application/x-www-form-urlencoded").send(form.toString());
}
