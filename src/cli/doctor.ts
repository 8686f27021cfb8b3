import type { Config } from "../config.js";
import type { Fetch } from "../http/outbound.js";

/**
 * `doctor`: checks a deployed server from the outside, the way Notion and a browser reach it.
 * Read-only apart from one pending authorization (it expires in ten minutes).
 */
export interface Check {
  name: string;
  ok: boolean;
  /** Advisory checks do not fail the run. */
  advisory?: boolean;
  detail: string;
}

interface Answer {
  status: number;
  headers: Awaited<ReturnType<Fetch>>["headers"];
  json: Record<string, unknown> | null;
}

export async function runDoctor(baseUrl: string, config: Config, fetch: Fetch): Promise<Check[]> {
  const base = baseUrl.replace(/\/+$/, "");
  const call = async (path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> => {
    const res = await fetch(`${base}${path}`, { ...init, redirect: "manual", signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    let json: Record<string, unknown> | null = null;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = null;
    }
    return { status: res.status, headers: res.headers, json };
  };
  const checks: Check[] = [];
  const check = async (name: string, run: () => Promise<[boolean, string]>, advisory = false) => {
    try {
      const [ok, detail] = await run();
      checks.push({ name, ok, detail, advisory });
    } catch (err) {
      checks.push({ name, ok: false, detail: `request failed: ${(err as Error).message}`, advisory });
    }
  };
  const redirectUri = config.oauth.redirectUris[0] ?? "";
  const authorizeQuery = (clientId: string) =>
    `/notion/authorize?${new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, response_type: "code", code: "doctor-check", state: "doctor" }).toString()}`;
  const form = (fields: Record<string, string>) => ({
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });

  const https = base.startsWith("https://");
  const local = /^http:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/.test(base);
  await check("served over HTTPS", async () => [https, https ? "yes" : "Notion requires HTTPS endpoints"], local);
  await check("GET /healthz", async () => {
    const r = await call("/healthz");
    return [r.status === 200 && r.json?.status === "ok", `status ${r.status}`];
  });
  await check("GET /readyz (store reachable)", async () => {
    const r = await call("/readyz");
    return [r.status === 200, `status ${r.status}`];
  });
  await check("authorize refuses an unknown client without redirecting", async () => {
    const r = await call(authorizeQuery("doctor-unknown-client"));
    return [r.status === 400 && !r.headers.get("location"), `status ${r.status}${r.headers.get("location") ? ", redirects" : ""}`];
  });
  await check("authorize sends the browser to GitHub", async () => {
    const r = await call(authorizeQuery(config.oauth.clientId));
    const location = r.headers.get("location") ?? "";
    const toGitHub = location.startsWith(`${config.github.webUrl}/login/oauth/authorize`);
    const error = location ? new URL(location).searchParams.get("error_description") : null;
    return [r.status === 303 && toGitHub, toGitHub ? "PKCE login at GitHub" : `status ${r.status}${error ? `: ${error}` : ""}`];
  });
  await check("token endpoint refuses a wrong client secret (401 invalid_client)", async () => {
    const r = await call("/notion/token", form({ grant_type: "authorization_code", code: "x", redirect_uri: redirectUri, client_id: config.oauth.clientId, client_secret: "doctor-wrong" }));
    const ok = r.status === 401 && r.json?.error === "invalid_client" && Boolean(r.headers.get("www-authenticate")) && r.headers.get("cache-control") === "no-store";
    return [ok, `status ${r.status} ${String(r.json?.error ?? "")}`];
  });
  await check("token endpoint accepts our client and refuses an unknown code (invalid_grant)", async () => {
    const r = await call("/notion/token", form({ grant_type: "authorization_code", code: "doctor-unknown-code", redirect_uri: redirectUri, client_id: config.oauth.clientId, client_secret: config.oauth.clientSecret }));
    return [r.status === 400 && r.json?.error === "invalid_grant", `status ${r.status} ${String(r.json?.error ?? "")}`];
  });
  await check("unfurl refuses a request without a bearer (401 + WWW-Authenticate)", async () => {
    const r = await call("/notion/unfurl", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ uri: `${config.github.webUrl}/o/r/pull/1` }) });
    return [r.status === 401 && /^Bearer/.test(r.headers.get("www-authenticate") ?? ""), `status ${r.status}`];
  });
  await check("deleted-token callback refuses a request without a bearer", async () => {
    const r = await call("/notion/deleted", { method: "DELETE" });
    return [r.status === 401, `status ${r.status}`];
  });
  await check(
    "/metrics is not public",
    async () => {
      const r = await call("/metrics");
      return [r.status !== 200, r.status === 200 ? "reachable from here: restrict it at your proxy" : `status ${r.status}`];
    },
    true,
  );
  return checks;
}

export function formatChecks(checks: readonly Check[]): string {
  return checks.map((c) => `${c.ok ? "PASS" : c.advisory ? "WARN" : "FAIL"}  ${c.name} — ${c.detail}`).join("\n");
}

export const doctorFailed = (checks: readonly Check[]) => checks.some((c) => !c.ok && !c.advisory);
