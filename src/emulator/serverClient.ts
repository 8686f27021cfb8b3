import { z } from "zod";
import type { Fetch } from "../http/outbound.js";

/**
 * Notion's calls to our server, made with what an operator types into Notion's dashboard: the
 * four URLs of the contract (docs: server-contract.md) and the client credentials we issued.
 */
export interface ServerTarget {
  authorizeUrl: string;
  tokenUrl: string;
  unfurlUrl: string;
  deletedUrl: string;
  clientId: string;
  clientSecret: string;
}

/** The dashboard values for a server at `baseUrl`, as `link-preview config` prints them. */
export function serverTarget(baseUrl: string, clientId: string, clientSecret: string): ServerTarget {
  const base = baseUrl.replace(/\/+$/, "");
  return {
    authorizeUrl: `${base}/notion/authorize`,
    tokenUrl: `${base}/notion/token`,
    unfurlUrl: `${base}/notion/unfurl`,
    deletedUrl: `${base}/notion/deleted`,
    clientId,
    clientSecret,
  };
}

/** An HTTP answer as received: JSON when it parses, the raw text otherwise. */
export interface Answer {
  status: number;
  body: unknown;
}

export interface ServerTokens {
  accessToken: string;
  refreshToken: string | null;
  /** Seconds, when the server says. */
  expiresIn: number | null;
}

/** The server could not be reached at all (not running, wrong `--server`). */
export class ServerUnreachable extends Error {
  constructor(url: string, cause: unknown) {
    super(`could not reach ${url} (${reasonOf(cause)}); is the server running?`);
    this.name = "ServerUnreachable";
  }
}

/** The token endpoint refused, or answered something that is not RFC 6749 token JSON. */
export class TokenCallFailed extends Error {
  constructor(
    readonly answer: Answer,
    reason: string,
  ) {
    super(reason);
    this.name = "TokenCallFailed";
  }
}

export interface ServerClient {
  readonly target: ServerTarget;
  /** Where Notion sends the browser: the authorize URL with Notion's parameters. */
  authorizeUrl(params: { redirectUri: string; code: string; state: string }): string;
  redeemCode(code: string, redirectUri: string): Promise<ServerTokens>;
  refresh(refreshToken: string): Promise<ServerTokens>;
  unfurl(accessToken: string, uri: string): Promise<Answer>;
  deleteUnfurl(accessToken: string, uri: string): Promise<Answer>;
  deleteToken(accessToken: string): Promise<Answer>;
}

const tokenJson = z.object({
  access_token: z.string().min(1),
  token_type: z.string().regex(/^bearer$/i, 'token_type should be "bearer"'),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.number().int().positive().optional(),
});

export function createServerClient(target: ServerTarget, fetch: Fetch, timeoutMs = 15_000): ServerClient {
  const call = async (url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<Answer> => {
    let res;
    try {
      res = await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw new ServerUnreachable(url, err);
    }
    const text = await res.text();
    return { status: res.status, body: parseJson(text) };
  };

  // Notion authenticates with client_id/client_secret in the form body, not HTTP Basic.
  const tokenCall = async (fields: Record<string, string>): Promise<ServerTokens> => {
    const answer = await call(target.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ ...fields, client_id: target.clientId, client_secret: target.clientSecret }).toString(),
    });
    if (answer.status !== 200) throw new TokenCallFailed(answer, `the token endpoint answered ${describeAnswer(answer)}`);
    const parsed = tokenJson.safeParse(answer.body);
    if (!parsed.success) {
      throw new TokenCallFailed(answer, `the token endpoint answered 200 without RFC 6749 token JSON (${parsed.error.issues.map((i) => i.message).join("; ")})`);
    }
    const t = parsed.data;
    return { accessToken: t.access_token, refreshToken: t.refresh_token ?? null, expiresIn: t.expires_in ?? null };
  };

  const withBearer = (method: string, url: string, accessToken: string, body?: unknown) =>
    call(url, {
      method,
      headers: { authorization: `Bearer ${accessToken}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  return {
    target,
    authorizeUrl({ redirectUri, code, state }) {
      const url = new URL(target.authorizeUrl);
      url.search = new URLSearchParams({ client_id: target.clientId, redirect_uri: redirectUri, response_type: "code", code, state }).toString();
      return url.toString();
    },
    redeemCode: (code, redirectUri) => tokenCall({ grant_type: "authorization_code", code, redirect_uri: redirectUri }),
    refresh: (refreshToken) => tokenCall({ grant_type: "refresh_token", refresh_token: refreshToken }),
    unfurl: (accessToken, uri) => withBearer("POST", target.unfurlUrl, accessToken, { uri }),
    deleteUnfurl: (accessToken, uri) => withBearer("DELETE", target.unfurlUrl, accessToken, { uri }),
    deleteToken: (accessToken) => withBearer("DELETE", target.deletedUrl, accessToken),
  };
}

/** `401 invalid_token: The access token …` for notices and logs. */
export function describeAnswer(answer: Answer): string {
  const body = answer.body;
  if (typeof body === "object" && body !== null && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    const code = typeof b["error"] === "string" ? b["error"] : null;
    const text = [b["error_description"], b["message"]].find((v): v is string => typeof v === "string");
    if (code || text) return `${answer.status} ${[code, text].filter(Boolean).join(": ")}`;
  }
  return String(answer.status);
}

function parseJson(text: string): unknown {
  if (text === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** undici hides the socket error (`ECONNREFUSED`) in `cause`. */
function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause: unknown = err.cause;
  if (cause instanceof Error) return "code" in cause && typeof cause.code === "string" ? cause.code : cause.message;
  return err.name === "TimeoutError" ? "timed out" : err.message;
}
