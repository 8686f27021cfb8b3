import type { ServerTokens } from "./serverClient.js";

/**
 * What Notion keeps after a user connected the integration: our server's tokens, and the Notion
 * token our server got for the same connection (revoked when the user disconnects). Pure values;
 * time is a parameter.
 */
export interface Connection {
  accessToken: string;
  refreshToken: string | null;
  /** Epoch ms; null when the server gave no `expires_in` (the token is then used until refused). */
  expiresAt: number | null;
  notionToken: string | null;
  connectedAt: number;
  refreshedAt: number | null;
  refreshCount: number;
}

/** Refresh a little early: an unfurl must not carry a token that expires on the way. */
export const REFRESH_MARGIN_MS = 30_000;

export function newConnection(tokens: ServerTokens, notionToken: string | null, now: number): Connection {
  return {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresAt: expiry(tokens, now),
    notionToken,
    connectedAt: now,
    refreshedAt: null,
    refreshCount: 0,
  };
}

export const needsRefresh = (c: Connection, now: number): boolean => c.expiresAt !== null && now >= c.expiresAt - REFRESH_MARGIN_MS;

/** After `grant_type=refresh_token`; a server that does not rotate keeps the old refresh token valid. */
export function refreshedConnection(c: Connection, tokens: ServerTokens, now: number): Connection {
  return {
    ...c,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken ?? c.refreshToken,
    expiresAt: expiry(tokens, now),
    refreshedAt: now,
    refreshCount: c.refreshCount + 1,
  };
}

const expiry = (tokens: ServerTokens, now: number): number | null => (tokens.expiresIn === null ? null : now + tokens.expiresIn * 1000);
