import { fetch } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UpstreamAuthError } from "../src/http/errors.js";
import { createUpstreamTokens } from "../src/oauth/upstreamTokens.js";
import { createGitHubLogin } from "../src/providers/github/login.js";
import { createSealer } from "../src/secrets/seal.js";
import { sha256 } from "../src/secrets/tokens.js";
import type { Grant } from "../src/store/types.js";
import { startHarness, type Harness } from "./helpers/harness.js";
import { connect, unfurl, type Tokens } from "./helpers/notionDance.js";

/**
 * GitHub App user tokens expire after 8 hours and come with a single-use refresh token. Through
 * the real HTTP path: many previews needing a renewal at once renew it once, two "processes"
 * sharing the store renew it once between them, and a refused refresh token ends the grant.
 */

let h: Harness;
let tokens: Tokens;
const EIGHT_HOURS = 8 * 3600_000;

const refreshCalls = () =>
  h.github.requests.filter((r) => r.path === "/login/oauth/access_token" && (r.body as Record<string, string>)["grant_type"] === "refresh_token");
const prUrl = (n: number) => `${h.github.webUrl}/acme/widgets/pull/${n}`;
const title = (body: Record<string, unknown> | null) =>
  ((body?.["operations"] as [{ set: { id: string; inline: { title?: { value: string } } }[] }])[0].set.find((a) => a.id === "title"))?.inline.title?.value;

async function grantOf(accessToken: string): Promise<Grant> {
  const owner = await h.store.findGrantByToken(sha256(accessToken));
  const grant = owner && (await h.store.getGrant(owner.grantId));
  if (!grant) throw new Error("no grant");
  return grant;
}

beforeEach(async () => {
  // Notion's own access token must outlive the GitHub token for these tests
  h = await startHarness({ ACCESS_TOKEN_TTL: "2d" });
  h.github.addUser({ id: 1001, login: "octocat" });
  h.github.addRepository({ owner: "acme", name: "widgets", private: true, collaborators: ["octocat"] });
  for (let n = 1; n <= 50; n++) h.github.addPullRequest("acme", "widgets", { number: n, title: `Change ${n}` });
  h.github.setExpiringTokens(true);
  tokens = await connect(h, "octocat");
});
afterEach(async () => {
  expect(h.github.invalidQueries).toEqual([]);
  await h.close();
});

describe("expiring GitHub App user tokens", () => {
  it("are used as they are while they live", async () => {
    const res = await unfurl(h, tokens.access_token, { uri: prUrl(1) });
    expect(title(res.body)).toBe("Change 1");
    expect(refreshCalls()).toHaveLength(0);
  });

  it("are renewed once when fifty previews need a renewal at the same moment", async () => {
    h.clock.advance(EIGHT_HOURS + 60_000);
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => unfurl(h, tokens.access_token, { uri: prUrl(i + 1) })));
    expect(answers.map((a) => title(a.body))).toEqual(Array.from({ length: 50 }, (_, i) => `Change ${i + 1}`));
    expect(refreshCalls()).toHaveLength(1);
    // every preview used the renewed token, and the store holds it for the next ones
    const used = new Set(h.github.requests.filter((r) => r.path === "/api/graphql").map((r) => r.headers["authorization"]));
    expect(used.size).toBe(1);
    h.clock.advance(61_000); // past the preview cache
    await unfurl(h, tokens.access_token, { uri: prUrl(1) });
    expect(refreshCalls()).toHaveLength(1);
  });

  it("are renewed once by two processes sharing the store (compare-and-swap on the sealed token)", async () => {
    h.clock.advance(EIGHT_HOURS + 60_000);
    const grant = await grantOf(tokens.access_token);
    const login = createGitHubLogin({ webUrl: h.github.webUrl, apiUrl: h.github.apiUrl, clientId: h.github.clientId, clientSecret: h.github.clientSecret, fetch, now: () => h.clock.now() });
    const otherProcess = createUpstreamTokens({ sealer: createSealer(h.config.secretKeys), store: h.store, clock: h.clock, refresh: (t, s) => login.refresh(t, s) });
    const [viaHttp, direct] = await Promise.all([
      Promise.all(Array.from({ length: 25 }, (_, i) => unfurl(h, tokens.access_token, { uri: prUrl(i + 1) }))),
      Promise.all(Array.from({ length: 25 }, () => otherProcess.get(grant))),
    ]);
    expect(viaHttp.every((a) => title(a.body)?.startsWith("Change"))).toBe(true);
    expect(new Set(direct.map((t) => t.accessToken)).size).toBe(1);
    expect(refreshCalls()).toHaveLength(1);
  });

  it("end the grant when GitHub refuses the refresh token: 401, and the grant is revoked", async () => {
    h.clock.advance(EIGHT_HOURS + 60_000);
    const grant = await grantOf(tokens.access_token);
    h.github.setExpiringTokens(false); // the fake now refuses every refresh token
    const res = await unfurl(h, tokens.access_token, { uri: prUrl(1) });
    expect(res.status).toBe(401);
    expect(await h.store.getGrant(grant.id)).toBeNull();
    expect(refreshCalls()).toHaveLength(1);
  });

  it("a refused refresh seen through the seam is an UpstreamAuthError", async () => {
    h.clock.advance(EIGHT_HOURS + 60_000);
    const grant = await grantOf(tokens.access_token);
    const seam = createUpstreamTokens({
      sealer: createSealer(h.config.secretKeys),
      store: h.store,
      clock: h.clock,
      refresh: () => Promise.reject(new UpstreamAuthError("bad_refresh_token")),
    });
    await expect(seam.get(grant)).rejects.toBeInstanceOf(UpstreamAuthError);
    // the lease was given back: the stored token is the old one again, unleased
    const after = await h.store.getGrant(grant.id);
    expect(after).not.toBeNull();
  });
});
