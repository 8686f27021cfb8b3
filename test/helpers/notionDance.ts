import { CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, type Harness } from "./harness.js";

/**
 * Plays Notion and the user's browser through the whole authorization dance, step by step, so
 * tests can stop at any step and tamper with it. Cookies are carried by hand (one jar).
 */
export class Browser {
  readonly jar = new Map<string, string>();

  async get(url: string): Promise<Response> {
    return this.send(url, { method: "GET" });
  }

  async postForm(url: string, fields: Record<string, string>): Promise<Response> {
    return this.send(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as object), ...(cookie ? { cookie } : {}) } });
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=thu, 01 jan 1970/i.test(a)) || value === "";
      if (expired) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }
}

export interface ConsentForm {
  action: string;
  csrf: string;
  csrfField: string;
  html: string;
}

export function parseConsent(html: string, base: string): ConsentForm {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const hidden = /<input type="hidden" name="([^"]*csrf[^"]*)" value="([^"]+)"/.exec(html);
  if (!action || !hidden?.[1] || !hidden[2]) throw new Error(`no consent form in:\n${html}`);
  return { action: new URL(action, base).toString(), csrfField: hidden[1], csrf: hidden[2], html };
}

export function authorizeUrl(h: Harness, params: Record<string, string | undefined>): string {
  const u = new URL("/notion/authorize", h.url);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.append(k, v);
  return u.toString();
}

export function defaultAuthorizeParams(h: Harness): Record<string, string> {
  return {
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    response_type: "code",
    code: h.notion.issueCode(),
    state: "notion-state-123",
  };
}

/** Authorize → GitHub login → callback: returns the browser sitting on the consent page. */
export async function reachConsent(h: Harness, login: string, params = defaultAuthorizeParams(h)) {
  const browser = new Browser();
  const start = await browser.get(authorizeUrl(h, params));
  if (start.status !== 303) throw new Error(`authorize answered ${start.status}: ${await start.text()}`);
  h.github.setBrowserUser(login);
  const atGitHub = await browser.get(start.headers.get("location") ?? "");
  if (atGitHub.status !== 302) throw new Error(`fake GitHub answered ${atGitHub.status}: ${await atGitHub.text()}`);
  const callback = await browser.get(atGitHub.headers.get("location") ?? "");
  const html = await callback.text();
  if (callback.status !== 200) throw new Error(`callback answered ${callback.status}: ${html}`);
  return { browser, consent: parseConsent(html, h.url), callback, params };
}

/** Allow on the consent page: returns our code from the redirect to Notion. */
export async function allow(h: Harness, login: string) {
  const { browser, consent, params } = await reachConsent(h, login);
  const res = await browser.postForm(consent.action, { [consent.csrfField]: consent.csrf, decision: "allow" });
  if (res.status !== 303) throw new Error(`consent answered ${res.status}: ${await res.text()}`);
  const location = new URL(res.headers.get("location") ?? "");
  const code = location.searchParams.get("code");
  if (!code) throw new Error(`no code in ${location.toString()}`);
  return { code, location, params };
}

export async function tokenRequest(h: Harness, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${h.url}/notion/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

export const codeGrant = (code: string): Record<string, string> => ({
  grant_type: "authorization_code",
  code,
  redirect_uri: REDIRECT_URI,
  client_id: CLIENT_ID,
  client_secret: CLIENT_SECRET,
});

export interface Tokens {
  access_token: string;
  refresh_token: string;
}

/** The whole dance: a user connected, and Notion holding our tokens. */
export async function connect(h: Harness, login: string): Promise<Tokens> {
  const { code } = await allow(h, login);
  const res = await tokenRequest(h, codeGrant(code));
  if (res.status !== 200) throw new Error(`token answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as unknown as Tokens;
}

export async function unfurl(h: Harness, accessToken: string | null, body: unknown, method = "POST") {
  const res = await fetch(`${h.url}/notion/unfurl`, {
    method,
    headers: { "content-type": "application/json", ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}
