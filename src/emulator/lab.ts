import type { Clock } from "../clock.js";
import { randomToken } from "../secrets/tokens.js";
import { type Connection, needsRefresh, newConnection, refreshedConnection } from "./connection.js";
import { type Inspection, inspectEnvelope, isValid } from "./envelope.js";
import { NOTION_CODE_TTL_MS, type NotionIssuer } from "./notionIssuer.js";
import type { PushLog } from "./pushes.js";
import { type Answer, type ServerClient, ServerUnreachable, TokenCallFailed, describeAnswer } from "./serverClient.js";

/**
 * The Link Preview Lab's behaviour: Notion's client side, for one user, in memory. Knows nothing
 * of Express; the routes pass parameters in and render `view()`.
 */

export interface LabResult {
  uri: string;
  at: number;
  answer: Answer;
  /** Null unless the server answered 200. */
  inspection: Inspection | null;
  /** Set when a valid push replaced the answer, as Notion refreshes a live preview. */
  updatedByPush: number | null;
}

export interface Notice {
  level: "info" | "error";
  text: string;
}

export interface LabView {
  connection: Connection | null;
  result: LabResult | null;
  notice: Notice | null;
  /** The last link pasted, to prefill the form. */
  lastUri: string | null;
}

export interface CallbackParams {
  code?: string;
  state?: string;
  error?: string;
  errorDescription?: string;
}

export interface Lab {
  /** The user pasted `uri`: unfurl it, or, with no connection, answer where to send the browser. */
  paste(uri: string): Promise<string | null>;
  /** The browser came back to `/callback` from the server's consent page. */
  callback(params: CallbackParams): Promise<void>;
  /** "Delete preview": `DELETE` on the unfurl callback. */
  deletePreview(uri: string): Promise<void>;
  /** "Disconnect": `DELETE` on the deleted-token callback; Notion forgets both tokens. */
  disconnect(): Promise<void>;
  view(): LabView;
}

export interface LabDeps {
  server: ServerClient;
  issuer: NotionIssuer;
  pushes: PushLog;
  clock: Clock;
  /** The emulator's `/callback`: the `redirect_uri` of every authorization. */
  callbackUrl: string;
  log: (line: string) => void;
}

const RECONNECT = "Notion would ask the user to reconnect: paste a link to connect again.";

export function createLab({ server, issuer, pushes, clock, callbackUrl, log }: LabDeps): Lab {
  const state: LabView = { connection: null, result: null, notice: null, lastUri: null };
  const pending = new Map<string, { uri: string; notionCode: string; expiresAt: number }>();

  const say = (level: Notice["level"], text: string) => {
    state.notice = { level, text };
    log(`Lab: ${text}`);
  };
  const drop = (reason: string) => {
    state.connection = null;
    say("error", `${reason}. ${RECONNECT}`);
  };
  /** Every action reports an unreachable server as a notice rather than an error page. */
  const guard = async (action: () => Promise<void>) => {
    state.notice = null;
    try {
      await action();
    } catch (err) {
      if (!(err instanceof ServerUnreachable)) throw err;
      say("error", `The server is unreachable: ${err.message}`);
    }
  };

  const startAuthorization = (uri: string): string => {
    const now = clock.now();
    for (const [key, p] of pending) if (p.expiresAt <= now) pending.delete(key);
    const authState = randomToken(16);
    const notionCode = issuer.issueCode({ redirectUri: callbackUrl });
    pending.set(authState, { uri, notionCode, expiresAt: now + NOTION_CODE_TTL_MS });
    const location = server.authorizeUrl({ redirectUri: callbackUrl, code: notionCode, state: authState });
    log(`Lab: not connected; sending the browser to ${location}`);
    return location;
  };

  const refresh = async (c: Connection): Promise<string | null> => {
    if (!c.refreshToken) {
      drop("The access token expired and the server gave no refresh token");
      return null;
    }
    try {
      const tokens = await server.refresh(c.refreshToken);
      state.connection = refreshedConnection(c, tokens, clock.now());
      log("Lab: refreshed the access token (grant_type=refresh_token)");
      return tokens.accessToken;
    } catch (err) {
      if (!(err instanceof TokenCallFailed)) throw err;
      drop(`The server refused the refresh token: ${err.message}`);
      return null;
    }
  };

  const unfurl = async (uri: string): Promise<void> => {
    const c = state.connection;
    if (!c) return;
    const expired = needsRefresh(c, clock.now());
    let token = expired ? await refresh(c) : c.accessToken;
    if (token === null) return;
    let answer = await server.unfurl(token, uri);
    // A token the server dropped before its expiry (revoked, clock skew): one refresh, then give up.
    if (answer.status === 401 && !expired && state.connection?.refreshToken) {
      token = await refresh(state.connection);
      if (token === null) return;
      answer = await server.unfurl(token, uri);
    }
    const inspection = answer.status === 200 ? inspectEnvelope(answer.body, uri) : null;
    state.result = { uri, at: clock.now(), answer, inspection, updatedByPush: null };
    log(`Lab: POST unfurl ${uri}: ${describeAnswer(answer)}${inspection ? (isValid(inspection) ? ", valid" : `, invalid (${inspection.problems.length} problems)`) : ""}`);
    if (answer.status === 401) drop(`The unfurl callback answered ${describeAnswer(answer)}`);
  };

  // Notion re-renders a live preview when the integration pushes a valid update for its link.
  pushes.subscribe((push) => {
    const result = state.result;
    if (push.status !== 200 || !result || push.inspection.uri !== result.uri) return;
    state.result = { ...result, at: push.at, answer: { status: 200, body: push.body }, inspection: push.inspection, updatedByPush: push.id };
  });

  return {
    async paste(uri) {
      let location: string | null = null;
      await guard(async () => {
        state.lastUri = uri;
        if (!/^https?:\/\//i.test(uri) || !URL.canParse(uri)) return say("error", "Paste an absolute http(s) link.");
        if (!state.connection) {
          location = startAuthorization(uri);
          return;
        }
        await unfurl(uri);
      });
      return location;
    },

    callback: ({ code, state: authState, error, errorDescription }) =>
      guard(async () => {
        const p = authState === undefined ? undefined : pending.get(authState);
        if (authState !== undefined) pending.delete(authState);
        if (!p || p.expiresAt <= clock.now()) {
          return say("error", "Refused a callback whose state this Lab did not issue (or already used, or expired): nothing was exchanged.");
        }
        if (error !== undefined) {
          return say("error", `The server sent the browser back with error=${error}${errorDescription ? `: ${errorDescription}` : ""}`);
        }
        if (!code) return say("error", "The server sent the browser back without a code or an error.");
        let tokens;
        try {
          tokens = await server.redeemCode(code, callbackUrl);
        } catch (err) {
          if (!(err instanceof TokenCallFailed)) throw err;
          return say("error", `Connecting failed: ${err.message}`);
        }
        state.connection = newConnection(tokens, issuer.tokenForCode(p.notionCode)?.accessToken ?? null, clock.now());
        say("info", "Connected: the server's token endpoint issued an access token.");
        await unfurl(p.uri);
      }),

    deletePreview: (uri) =>
      guard(async () => {
        const c = state.connection;
        if (!c) return say("error", "Not connected: there is no preview to delete.");
        // The server honours deletions with an expired token too, so no refresh first.
        const answer = await server.deleteUnfurl(c.accessToken, uri);
        if (state.result?.uri === uri) state.result = null;
        say(answer.status === 200 ? "info" : "error", `Deleted the preview of ${uri}: DELETE on the unfurl callback answered ${describeAnswer(answer)}.`);
      }),

    disconnect: () =>
      guard(async () => {
        const c = state.connection;
        if (!c) return say("info", "Not connected.");
        // Notion forgets the connection whatever the server answers.
        state.connection = null;
        state.result = null;
        if (c.notionToken) issuer.revoke(c.notionToken);
        let answer;
        try {
          answer = await server.deleteToken(c.accessToken);
        } catch (err) {
          if (!(err instanceof ServerUnreachable)) throw err;
          return say("error", `Disconnected here, but the deleted-token callback was not delivered: ${err.message}`);
        }
        say(
          answer.status === 200 ? "info" : "error",
          `Disconnected: the deleted-token callback answered ${describeAnswer(answer)}. The next preview asks to connect again.`,
        );
      }),

    view: () => ({ ...state }),
  };
}
