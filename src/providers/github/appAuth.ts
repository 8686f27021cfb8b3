import { type KeyObject, createPrivateKey } from "node:crypto";
import { SignJWT } from "jose";
import { z } from "zod";
import { systemClock, type Clock } from "../../clock.js";
import { UnfurlError } from "../../http/errors.js";
import type { Fetch } from "../../http/outbound.js";
import { MESSAGES, requestJson } from "./api.js";

/**
 * GitHub App authentication for installation tokens: the app signs a short RS256 JWT with its
 * private key (`GITHUB_APP_ID`, `GITHUB_APP_PRIVATE_KEY`), and trades it for an installation token
 * (1 h). Those tokens read public repositories on the installation's own rate limit, so previews
 * of public code need no user token and cost the user nothing.
 */

/**
 * The private key as GitHub hands it out (PKCS#1, `BEGIN RSA PRIVATE KEY`) or converted to PKCS#8
 * (`BEGIN PRIVATE KEY`). Environment files often carry it on one line with `\n` escapes.
 */
export function parseAppPrivateKey(pem: string): KeyObject {
  const key = createPrivateKey({ key: pem.replace(/\\n/g, "\n").trim(), format: "pem" });
  if (key.asymmetricKeyType !== "rsa") throw new Error("the GitHub App private key must be an RSA key");
  return key;
}

/** GitHub refuses a JWT that expires more than 10 minutes ahead; its clock may also lag ours. */
const JWT_BACKDATE_S = 60;
const JWT_LIFETIME_S = 9 * 60;
/** Installation tokens live an hour; take a new one this long before the old one ends. */
const RENEW_BEFORE_MS = 5 * 60_000;

export interface GitHubAppOptions {
  /** The App's id (or its client id, which GitHub also accepts as issuer). */
  appId: string;
  privateKey: KeyObject;
  /** The installation whose tokens to use; found through `GET /app/installations` when absent. */
  installationId?: string;
  apiUrl: string;
  fetch: Fetch;
  clock?: Clock;
  timeoutMs?: number;
}

export interface InstallationTokens {
  /** Cache and rate-limit identity of the installation: `app:<installation id>` once known. */
  callerId(): Promise<string>;
  /** A live installation token, renewed once for all concurrent callers. */
  token(signal?: AbortSignal): Promise<string>;
}

const tokenAnswer = z.object({ token: z.string().min(1), expires_at: z.string() });
const installationsAnswer = z.array(z.object({ id: z.number() }));

export function createAppJwt(opts: Pick<GitHubAppOptions, "appId" | "privateKey" | "clock">): () => Promise<string> {
  const clock = opts.clock ?? systemClock;
  return () => {
    const now = Math.floor(clock.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: "RS256", typ: "JWT" })
      .setIssuedAt(now - JWT_BACKDATE_S)
      .setExpirationTime(now + JWT_LIFETIME_S)
      .setIssuer(opts.appId)
      .sign(opts.privateKey);
  };
}

export function createInstallationTokens(opts: GitHubAppOptions): InstallationTokens {
  const clock = opts.clock ?? systemClock;
  const apiUrl = opts.apiUrl.replace(/\/+$/, "");
  const jwt = createAppJwt(opts);
  let discovered: Promise<string> | undefined;
  let current: { token: string; expiresAt: number } | undefined;
  let renewing: Promise<string> | undefined;

  const appCall = async (path: string, method: "GET" | "POST", signal?: AbortSignal) => {
    const { body } = await requestJson(
      opts.fetch,
      `${apiUrl}${path}`,
      { method, headers: { Authorization: `Bearer ${await jwt()}`, Accept: "application/vnd.github+json" } },
      { timeoutMs: opts.timeoutMs, signal },
    );
    return body;
  };

  function installation(signal?: AbortSignal): Promise<string> {
    if (opts.installationId) return Promise.resolve(opts.installationId);
    if (!discovered) {
      const attempt = appCall("/app/installations?per_page=1", "GET", signal).then((body) => {
        const first = installationsAnswer.safeParse(body).data?.[0];
        if (!first) throw new UnfurlError(502, MESSAGES.badAnswer);
        return String(first.id);
      });
      // a failed discovery is tried again next time
      attempt.catch(() => {
        if (discovered === attempt) discovered = undefined;
      });
      discovered = attempt;
    }
    return discovered;
  }

  async function renew(signal?: AbortSignal): Promise<string> {
    const id = await installation(signal);
    const parsed = tokenAnswer.safeParse(await appCall(`/app/installations/${encodeURIComponent(id)}/access_tokens`, "POST", signal));
    if (!parsed.success) throw new UnfurlError(502, MESSAGES.badAnswer);
    current = { token: parsed.data.token, expiresAt: Date.parse(parsed.data.expires_at) };
    return current.token;
  }

  return {
    callerId: async () => `app:${await installation()}`,
    token(signal) {
      if (current && current.expiresAt - RENEW_BEFORE_MS > clock.now()) return Promise.resolve(current.token);
      renewing ??= renew(signal).finally(() => (renewing = undefined));
      return renewing;
    },
  };
}
