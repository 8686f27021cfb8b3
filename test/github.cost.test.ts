import { fetch } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Fetch } from "../src/http/outbound.js";
import type { Provider } from "../src/providers/types.js";
import { type FakeGitHub, startFakeGitHub } from "./fakes/github.js";
import { byId, contextFor, dotComFetch, handClock, providerFor, shown, unfurlWith } from "./github.helpers.js";

/**
 * What previews cost GitHub: revisits revalidate with ETags (a 304 is free), GraphQL answers are
 * reused briefly, used-up limits answer at once without calling, and each account has only a few
 * requests in flight. Also: github.com's API layout and the errors that tell users what to do.
 */

let gh: FakeGitHub;
let clock: ReturnType<typeof handClock>;
let provider: Provider;
let mona: string;
let bob: string;

beforeEach(async () => {
  gh = await startFakeGitHub();
  clock = handClock();
  provider = providerFor(gh, { clock });
  mona = gh.addUser({ id: 1, login: "mona" }).token;
  bob = gh.addUser({ id: 2, login: "bob" }).token;
  gh.addRepository({ owner: "octo", name: "widgets", description: "Widgets.", stars: 3 });
  gh.addRepository({ owner: "octo", name: "secret", private: true, collaborators: ["mona"], description: "Secret widgets." });
  gh.addPullRequest("octo", "widgets", { number: 1, title: "Faster widgets" });
});
afterEach(async () => {
  expect(gh.invalidQueries).toEqual([]);
  await gh.close();
});

const apiCalls = () => gh.requests.filter((r) => r.path.startsWith("/api/"));
const asMona = (href: string, p = provider) => unfurlWith(p, href, mona, "mona");

describe("revalidation", () => {
  it("revisits send If-None-Match, get a free 304 and show the same attributes", async () => {
    const first = await asMona(`${gh.webUrl}/octo/widgets`);
    const points = gh.rateLimitUsed("mona", "core");
    const again = await asMona(`${gh.webUrl}/octo/widgets`);
    const revisit = apiCalls().at(-1);
    expect(revisit?.headers["if-none-match"]).toMatch(/^W\/"/);
    expect(again).toEqual(first);
    expect(gh.rateLimitUsed("mona", "core")).toBe(points);
    expect(apiCalls()).toHaveLength(2);
  });

  it("shows the change when the resource changed", async () => {
    await asMona(`${gh.webUrl}/octo/widgets`);
    gh.updateRepository("octo", "widgets", { description: "Better widgets.", stars: 4 });
    const changed = byId(await asMona(`${gh.webUrl}/octo/widgets`));
    expect([shown(changed["body"]), shown(changed["stars"])]).toEqual(["Better widgets.", "4 stars"]);
  });

  it("keeps each account's answers to itself", async () => {
    await asMona(`${gh.webUrl}/octo/secret`);
    await expect(unfurlWith(provider, `${gh.webUrl}/octo/secret`, bob, "bob")).rejects.toMatchObject({ status: 404 });
    expect(apiCalls().at(-1)?.headers["if-none-match"]).toBeUndefined();
  });

  it("reuses GraphQL answers for a short time, across the tabs of one pull request", async () => {
    await asMona(`${gh.webUrl}/octo/widgets/pull/1`);
    await asMona(`${gh.webUrl}/octo/widgets/pull/1/files`);
    const graphql = () => gh.requests.filter((r) => r.path === "/api/graphql").length;
    expect(graphql()).toBe(1);
    clock.advance(10_001);
    await asMona(`${gh.webUrl}/octo/widgets/pull/1/checks`);
    expect(graphql()).toBe(2);
  });

  it("shares one request between identical concurrent calls", async () => {
    await Promise.all([asMona(`${gh.webUrl}/octo/widgets`), asMona(`${gh.webUrl}/octo/widgets/`), asMona(`${gh.webUrl}/octo/widgets?tab=x`)]);
    expect(apiCalls()).toHaveLength(1);
  });
});

describe("rate limits", () => {
  it("once the primary limit is used up, answers 429 with the reset time without calling GitHub", async () => {
    gh.setFailure("rate_limited");
    const limited = asMona(`${gh.webUrl}/octo/widgets`);
    await expect(limited).rejects.toMatchObject({ status: 429, message: expect.stringMatching(/used up until \d\d:\d\d UTC/) });
    gh.setFailure(null);
    const calls = apiCalls().length;
    await expect(asMona(`${gh.webUrl}/octo/widgets/tree/main`)).rejects.toMatchObject({ status: 429 });
    await expect(asMona(`${gh.webUrl}/mona`)).rejects.toMatchObject({ status: 429 });
    expect(apiCalls()).toHaveLength(calls);
    // GraphQL has a limit of its own, and so has another account
    await expect(asMona(`${gh.webUrl}/octo/widgets/pull/1`)).resolves.toBeDefined();
    await expect(unfurlWith(provider, `${gh.webUrl}/octo/widgets`, bob, "bob")).resolves.toBeDefined();
    // after the reset (the fake resets 30 minutes ahead), calls go out again
    clock.advance(31 * 60_000);
    await expect(asMona(`${gh.webUrl}/octo/widgets`)).resolves.toBeDefined();
  });

  it("a secondary limit (retry-after) holds every call of the account for that long", async () => {
    gh.setFailure("secondary_limited");
    await expect(asMona(`${gh.webUrl}/octo/widgets`)).rejects.toMatchObject({ status: 429, message: expect.stringMatching(/slow down/) });
    gh.setFailure(null);
    const calls = apiCalls().length;
    await expect(asMona(`${gh.webUrl}/octo/widgets/pull/1`)).rejects.toMatchObject({ status: 429 });
    expect(apiCalls()).toHaveLength(calls);
    clock.advance(61_000);
    await expect(asMona(`${gh.webUrl}/octo/widgets/pull/1`)).resolves.toBeDefined();
  });

  it("keeps at most maxConcurrent requests of one account in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    const counting: Fetch = async (input, init) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      try {
        return await fetch(input, init);
      } finally {
        inFlight -= 1;
      }
    };
    const capped = providerFor(gh, { clock, fetch: counting, maxConcurrent: 2 });
    for (let i = 0; i < 8; i++) gh.addRepository({ owner: "octo", name: `r${i}` });
    gh.setFailure("slow", { delayMs: 50 });
    const sets = await Promise.all(Array.from({ length: 8 }, (_, i) => asMona(`${gh.webUrl}/octo/r${i}`, capped)));
    expect(sets).toHaveLength(8);
    expect(peak).toBe(2);
  });
});

describe("errors that help", () => {
  it("tells the user to authorise SSO when the organisation enforces SAML", async () => {
    gh.updateRepository("octo", "widgets", { ssoEnforced: true });
    await expect(asMona(`${gh.webUrl}/octo/widgets`)).rejects.toMatchObject({ status: 403, message: expect.stringMatching(/single sign-on/) });
  });

  it("says not found, or not visible, for missing and hidden things of every kind", async () => {
    for (const path of ["/octo/widgets/issues/99", "/octo/widgets/discussions/9", "/octo/widgets/commit/abcdef1", "/octo/widgets/releases/tag/nope", "/octo/widgets/actions/runs/5", "/nobody", "/gist/mona/aa5a315d61ae9438b18d", "/octo/widgets/blob/main/nope.ts"]) {
      await expect(asMona(`${gh.webUrl}${path}`), path).rejects.toMatchObject({ status: expect.any(Number), message: expect.any(String) });
    }
    await expect(asMona(`${gh.webUrl}/octo/widgets/issues/99`)).rejects.toMatchObject({ status: 404, message: "Not found, or your GitHub account cannot see it." });
  });
});

describe("github.com's API layout", () => {
  it("reaches REST at api.github.com/… and GraphQL at api.github.com/graphql", async () => {
    const dotCom = providerFor(gh, { webUrl: "https://github.com", apiUrl: "https://api.github.com", graphqlUrl: undefined, fetch: dotComFetch(gh), clock });
    const pr = byId(await unfurlWith(dotCom, "https://github.com/octo/widgets/pull/1", mona, "mona"));
    const repo = byId(await unfurlWith(dotCom, "https://www.github.com/octo/widgets", mona, "mona"));
    expect([shown(pr["title"]), shown(repo["identifier"])]).toEqual(["Faster widgets", "github.com/octo/widgets"]);
    expect(dotCom.match(new URL(`${gh.webUrl}/octo/widgets`))).toBeNull();
    expect(apiCalls().map((r) => r.path)).toEqual(["/api/graphql", "/api/v3/repos/octo/widgets"]);
  });
});

describe("live updates (UnfurlContext.fresh)", () => {
  it("read GitHub afresh: no reused GraphQL answer, but REST still revalidates for free", async () => {
    const fresh = async (href: string) => {
      const match = provider.match(new URL(href));
      if (!match) throw new Error(href);
      return provider.unfurl(match, { ...contextFor(mona, "mona"), fresh: true });
    };
    await asMona(`${gh.webUrl}/octo/widgets/pull/1`);
    gh.updatePullRequest("octo", "widgets", 1, { state: "MERGED" });
    const merged = byId(await fresh(`${gh.webUrl}/octo/widgets/pull/1`));
    expect(shown(merged["state"])).toBe("Merged");
    await asMona(`${gh.webUrl}/octo/widgets`);
    const points = gh.rateLimitUsed("mona", "core");
    await fresh(`${gh.webUrl}/octo/widgets`);
    expect(apiCalls().at(-1)?.headers["if-none-match"]).toMatch(/^W\//);
    expect(gh.rateLimitUsed("mona", "core")).toBe(points);
  });
});
