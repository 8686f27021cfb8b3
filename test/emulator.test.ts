import { request } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/emulator/index.js";
import { createOutboundFetch } from "../src/http/outbound.js";
import { sha256 } from "../src/secrets/tokens.js";
import { CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, manualClock, startHarness, type Harness } from "./helpers/harness.js";
import { Browser, parseConsent, unfurl } from "./helpers/notionDance.js";

/**
 * The emulator against the real server: the harness runs the server (fake GitHub behind it) with
 * NOTION_API_URL pointing at the emulator, and a Browser drives the Lab over real HTTP.
 */

const NOTION = { clientId: "emulated-notion-client", clientSecret: "emulated-notion-secret-0123456789" };

let h: Harness;
let emu: Emulator;
let outbound: ReturnType<typeof createOutboundFetch>;
let labClock: ReturnType<typeof manualClock>;
let browser: Browser;
let prUrl: string;

beforeEach(async () => {
  outbound = createOutboundFetch();
  labClock = manualClock();
  h = await startHarness(async (serverUrl) => {
    emu = await startEmulator({
      port: 0,
      server: { url: serverUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      notion: NOTION,
      fetch: outbound.fetch,
      clock: labClock,
    });
    return {
      NOTION_API_URL: emu.url,
      NOTION_CLIENT_ID: NOTION.clientId,
      NOTION_CLIENT_SECRET: NOTION.clientSecret,
      OAUTH_REDIRECT_URIS: `${REDIRECT_URI},${emu.callbackUrl}`,
    };
  });
  h.github.addUser({ id: 1001, login: "octocat" });
  h.github.addRepository({ owner: "acme", name: "widgets", private: true, collaborators: ["octocat"] });
  const pr = h.github.addPullRequest("acme", "widgets", { title: "Speed up widgets", state: "OPEN" });
  prUrl = `${h.github.webUrl}/acme/widgets/pull/${pr.number}`;
  browser = new Browser();
});

afterEach(async () => {
  await emu.close();
  await h.close();
  await outbound.close();
});

async function labPage(): Promise<string> {
  const res = await browser.get(`${emu.url}/`);
  expect(res.status).toBe(200);
  return res.text();
}

const csrfOf = (html: string): string => {
  const token = /name="csrf_token" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error(`no CSRF field in the Lab page:\n${html}`);
  return token;
};

/** The Lab's forms, as a user submits them from the page. */
async function submit(action: "/preview" | "/delete" | "/disconnect", fields: Record<string, string> = {}): Promise<Response> {
  return browser.postForm(`${emu.url}${action}`, { csrf_token: csrfOf(await labPage()), ...fields });
}

const locationOf = (res: Response): string => {
  const location = res.headers.get("location");
  if (!location) throw new Error(`no Location (status ${res.status})`);
  return new URL(location, emu.url).toString();
};

/** Paste → authorize → GitHub → consent → Allow → the Lab's callback; returns the Lab page after. */
async function connectThroughLab(login: string, uri = prUrl): Promise<string> {
  const pasted = await submit("/preview", { uri });
  expect(pasted.status).toBe(303);
  const authorize = locationOf(pasted);
  expect(authorize.startsWith(`${h.url}/notion/authorize?`)).toBe(true);

  h.github.setBrowserUser(login);
  const toGitHub = await browser.get(authorize);
  expect(toGitHub.status, await toGitHub.clone().text()).toBe(303);
  const fromGitHub = await browser.get(locationOf(toGitHub));
  expect(fromGitHub.status).toBe(302);
  const consentPage = await browser.get(locationOf(fromGitHub));
  expect(consentPage.status).toBe(200);
  const consent = parseConsent(await consentPage.text(), h.url);
  const allowed = await browser.postForm(consent.action, { [consent.csrfField]: consent.csrf, decision: "allow" });
  expect(allowed.status).toBe(303);
  const callback = locationOf(allowed);
  expect(callback.startsWith(`${emu.callbackUrl}?`)).toBe(true);

  const back = await browser.get(callback);
  expect(back.status).toBe(303);
  expect(back.headers.get("location")).toBe("/");
  return labPage();
}

const validSet = (title: string) => [
  { id: "title", name: "Title", type: "inline", inline: { title: { value: title, section: "title" } } },
  { id: "dev", name: "Developer Name", type: "inline", inline: { plain_text: { value: "Acme Corp", section: "secondary" } } },
];

async function push(token: string | null, body: unknown, notionVersion: string | null = "2021-08-16") {
  const res = await fetch(`${emu.url}/v1/external/object`, {
    method: "PATCH",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(notionVersion ? { "notion-version": notionVersion } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const connection = () => {
  const c = emu.lab.view().connection;
  if (!c) throw new Error("the Lab is not connected");
  return c;
};

describe("link-preview emulate against the real server", () => {
  it("sends the browser to authorize exactly as Notion does, then shows the server's preview and its verdict", async () => {
    const pasted = await submit("/preview", { uri: prUrl });
    const authorize = new URL(locationOf(pasted));
    expect(Object.fromEntries(authorize.searchParams)).toEqual({
      client_id: CLIENT_ID,
      redirect_uri: emu.callbackUrl,
      response_type: "code",
      code: expect.stringMatching(/^[0-9a-f-]{36}$/),
      state: expect.stringMatching(/.{16,}/),
    });

    const page = await connectThroughLab("octocat");
    expect(page).toContain("Speed up widgets");
    expect(page).toContain("Verdict: valid");
    expect(page).not.toContain("Verdict: invalid");
    expect(page).toContain('class="mention"');
    expect(page).toContain("Acme Corp"); // the dev attribute, drawn in the secondary line
    expect(page).toContain("&quot;operations&quot;"); // the raw JSON, escaped
    expect(page).toContain("Disconnect");

    // The server exchanged the Notion code the Lab issued, naming the GitHub account.
    expect(emu.issuer.tokens).toHaveLength(1);
    expect(emu.issuer.tokens[0]?.externalAccount).toEqual({ key: "1001", name: "octocat" });
    expect(connection().notionToken).toBe(emu.issuer.tokens[0]?.accessToken);
    expect(emu.lab.view().result?.answer.status).toBe(200);
  });

  it("serves the Lab with a strict CSP and escapes whatever the server answers", async () => {
    h.github.addPullRequest("acme", "widgets", { number: 66, title: `<img src=x onerror="alert(1)"> & <script>alert(2)</script>` });
    const res = await browser.get(`${emu.url}/`);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/style-src 'nonce-[^']+'/);
    expect(csp).toContain(`form-action 'self' ${h.url}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");

    const page = await connectThroughLab("octocat", `${h.github.webUrl}/acme/widgets/pull/66`);
    expect(page).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;script&gt;alert(2)&lt;/script&gt;");
    expect(page).not.toContain("<img src=x");
    expect(page).not.toContain("<script>alert");
    expect(page.match(/<script/g)).toHaveLength(1); // only <script src="/lab.js">
  });

  it("plays Notion's token endpoint: HTTP Basic with the integration's credentials, single-use codes it issued", async () => {
    const call = (body: unknown, auth: string | null) =>
      fetch(`${emu.url}/v1/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(auth ? { authorization: `Basic ${Buffer.from(auth).toString("base64")}` } : {}) },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    const right = `${NOTION.clientId}:${NOTION.clientSecret}`;
    const code = emu.issuer.issueCode({ redirectUri: emu.callbackUrl });
    const grant = { grant_type: "authorization_code", code, redirect_uri: emu.callbackUrl, external_account: { key: "7", name: "someone" } };

    for (const auth of [null, `${NOTION.clientId}:wrong`, `${CLIENT_ID}:${CLIENT_SECRET}`]) {
      const refused = await call(grant, auth);
      expect(refused.status, String(auth)).toBe(401);
      expect(refused.body).toMatchObject({ object: "error", status: 401, code: "unauthorized" });
    }
    const noAccount = await call({ ...grant, external_account: undefined }, right);
    expect(noAccount.status).toBe(400);
    expect(noAccount.body).toMatchObject({ object: "error", code: "validation_error" });
    expect(String(noAccount.body.message)).toContain("external_account");

    const forged = await call({ ...grant, code: "not-issued-by-notion" }, right);
    expect(forged.body).toMatchObject({ status: 400, code: "invalid_grant" });

    const ok = await call(grant, right);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: "bearer", access_token: expect.stringMatching(/^ntn_/), workspace_name: "Emulated workspace" });
    const replay = await call(grant, right);
    expect(replay.body).toMatchObject({ status: 400, code: "invalid_grant" });

    const otherRedirect = await call({ ...grant, code: emu.issuer.issueCode({ redirectUri: emu.callbackUrl }), redirect_uri: REDIRECT_URI }, right);
    expect(otherRedirect.body).toMatchObject({ status: 400, code: "invalid_grant" });
  });

  it("records PATCH pushes with their validation, refuses them as Notion would, and redraws the live preview", async () => {
    await connectThroughLab("octocat");
    const notionToken = connection().notionToken ?? "";
    expect(notionToken).toMatch(/^ntn_/);

    // The live list: a browser listening on /events hears about each push.
    const events = new AbortController();
    const stream = await fetch(`${emu.url}/events`, { signal: events.signal });
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    const reader = stream.body!.getReader();
    await reader.read(); // the opening comment

    const bad = await push(notionToken, { uri: prUrl, operations: [{ path: ["attributes"], set: [{ id: "state", name: "State", type: "inline", inline: { enum: { value: "Open", section: "body" } } }] }] });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ object: "error", code: "validation_error" });
    const recorded = emu.pushes.list()[0];
    expect(recorded).toMatchObject({ status: 400, code: "validation_error", notionVersion: "2021-08-16" });
    expect(recorded?.inspection.problems).toEqual(
      expect.arrayContaining([expect.stringContaining('attribute "title": missing'), expect.stringContaining("sub-type enum is not valid in section \"body\"")]),
    );
    expect(new TextDecoder().decode((await reader.read()).value)).toContain("event: push");
    events.abort();

    const fragment = await (await fetch(`${emu.url}/pushes`)).text();
    expect(fragment).toContain("Push #1");
    expect(fragment).toContain("Verdict: invalid");
    expect(fragment).toContain("attribute &quot;title&quot;: missing");

    expect((await push(notionToken, { uri: prUrl, operations: [{ path: ["attributes"], set: validSet("x") }] }, null)).body).toMatchObject({
      status: 400,
      code: "missing_version",
    });
    expect((await push("ntn_unknown", { uri: prUrl, operations: [{ path: ["attributes"], set: validSet("x") }] })).body).toMatchObject({
      status: 401,
      code: "unauthorized",
    });

    const good = await push(notionToken, { uri: prUrl, operations: [{ path: ["attributes"], set: validSet("Speed up widgets, renamed") }] });
    expect(good).toEqual({ status: 200, body: {} });
    expect(emu.pushes.list().map((p) => p.status)).toEqual([200, 401, 400, 400]);
    const page = await labPage();
    expect(page).toContain("Speed up widgets, renamed");
    expect(page).toContain("Updated live by push #4");
    expect(page).toContain("Verdict: valid");
  });

  it("Disconnect calls the deleted-token callback: the server drops the grant and the next preview asks to connect", async () => {
    await connectThroughLab("octocat");
    const { accessToken, notionToken } = connection();
    expect((await unfurl(h, accessToken, { uri: prUrl })).status).toBe(200);

    const res = await submit("/disconnect");
    expect(res.status).toBe(303);
    const page = await labPage();
    expect(page).toContain("Disconnected: the deleted-token callback answered 200");
    expect(page).toContain("Not connected");
    expect(emu.lab.view().connection).toBeNull();

    expect((await unfurl(h, accessToken, { uri: prUrl })).status).toBe(401); // the server forgot the grant
    expect((await push(notionToken, { uri: prUrl, operations: [{ path: ["attributes"], set: validSet("x") }] })).status).toBe(401);

    const again = await submit("/preview", { uri: prUrl });
    expect(again.status).toBe(303);
    expect(locationOf(again)).toMatch(new RegExp(`^${h.url}/notion/authorize\\?`));
  });

  it("refreshes the server's access token when it expires, and drops the connection when the refresh is refused", async () => {
    await connectThroughLab("octocat");
    const first = connection();
    h.clock.advance(3_601_000);
    labClock.advance(3_601_000);

    expect((await submit("/preview", { uri: prUrl })).headers.get("location")).toBe("/");
    const page = await labPage();
    expect(page).toContain("Verdict: valid");
    expect(connection().refreshCount).toBe(1);
    expect(connection().accessToken).not.toBe(first.accessToken);
    expect(connection().refreshToken).not.toBe(first.refreshToken); // the server rotates refresh tokens

    // The grant revoked behind the Lab's back (as the deleted callback would): 401, refresh refused.
    const grant = await h.store.findGrantByToken(sha256(connection().accessToken));
    await h.store.revokeGrant(grant?.grantId ?? "", h.clock.now());
    await submit("/preview", { uri: prUrl });
    const after = await labPage();
    expect(after).toContain("The server refused the refresh token");
    expect(after).toContain("reconnect");
    expect(emu.lab.view().connection).toBeNull();
  });

  it("Delete preview sends DELETE to the unfurl callback with the uri", async () => {
    await connectThroughLab("octocat");
    const res = await submit("/delete", { uri: prUrl });
    expect(res.status).toBe(303);
    const page = await labPage();
    expect(page).toContain(`Deleted the preview of ${prUrl}: DELETE on the unfurl callback answered 200.`);
    expect(emu.lab.view().result).toBeNull();
    expect(connection()).toBeTruthy(); // deleting a preview is not disconnecting
  });

  it("shows a denied consent as the error the server sent back", async () => {
    const pasted = await submit("/preview", { uri: prUrl });
    h.github.setBrowserUser("octocat");
    const toGitHub = await browser.get(locationOf(pasted));
    const fromGitHub = await browser.get(locationOf(toGitHub));
    const consentPage = await browser.get(locationOf(fromGitHub));
    const consent = parseConsent(await consentPage.text(), h.url);
    const denied = await browser.postForm(consent.action, { [consent.csrfField]: consent.csrf, decision: "deny" });
    await browser.get(locationOf(denied));
    const page = await labPage();
    expect(page).toContain("error=access_denied");
    expect(emu.lab.view().connection).toBeNull();
  });

  it("refuses callbacks with a state it did not issue, forms without its CSRF token, and foreign Host headers", async () => {
    const pasted = await submit("/preview", { uri: prUrl });
    const issued = new URL(locationOf(pasted)).searchParams.get("state");
    const forged = await browser.get(`${emu.callbackUrl}?code=stolen&state=not-${issued}`);
    expect(forged.status).toBe(303);
    expect(await labPage()).toContain("Refused a callback whose state this Lab did not issue");
    expect(emu.lab.view().connection).toBeNull();

    const noCsrf = await browser.postForm(`${emu.url}/disconnect`, {});
    expect(noCsrf.status).toBe(403);

    const status = await new Promise<number>((resolve, reject) => {
      const { port } = new URL(emu.url);
      request({ host: "127.0.0.1", port, path: "/", headers: { host: `rebound.example:${port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on("error", reject)
        .end();
    });
    expect(status).toBe(421);
  });
});
