import { Response } from "undici";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { UnfurlError, UpstreamAuthError } from "../src/http/errors.js";
import type { Fetch } from "../src/http/outbound.js";
import { createGitHubApi, graphqlUrlFor } from "../src/providers/github/api.js";

/**
 * The error mapping of the GitHub client, for answers the fake GitHub does not play (SSO, secondary
 * rate limits, odd GraphQL errors). The injected fetch answers one canned response.
 */

const answering =
  (status: number, body: unknown, headers: Record<string, string> = {}): Fetch =>
  () =>
    Promise.resolve(new Response(typeof body === "string" ? body : JSON.stringify(body), { status, headers }));

const api = (fetch: Fetch) => createGitHubApi({ apiUrl: "https://api.github.com", fetch });
const rest = (fetch: Fetch) => api(fetch).rest({ token: "tok_secret" }, "/repos/o/r", z.unknown());
const graphql = (fetch: Fetch) => api(fetch).graphql({ token: "tok_secret" }, "{ viewer { login } }", {});

describe("GitHub API error mapping", () => {
  it.each([
    ["REST 401", () => rest(answering(401, { message: "Bad credentials" })), UpstreamAuthError, undefined],
    ["REST 404", () => rest(answering(404, { message: "Not Found" })), UnfurlError, 404],
    ["REST 403 with X-GitHub-SSO", () => rest(answering(403, {}, { "x-github-sso": "required; url=https://github.com/orgs/o/sso" })), UnfurlError, 403],
    ["REST 403, limit used up", () => rest(answering(403, {}, { "x-ratelimit-remaining": "0" })), UnfurlError, 429],
    ["REST 403, secondary limit", () => rest(answering(403, {}, { "retry-after": "60" })), UnfurlError, 429],
    ["REST 429", () => rest(answering(429, {})), UnfurlError, 429],
    ["REST 500", () => rest(answering(500, "oops")), UnfurlError, 503],
    ["REST 403, suspended", () => rest(answering(403, { message: "Sorry. Your account was suspended." })), UnfurlError, 403],
    ["REST 403, secondary limit by wording", () => rest(answering(403, { message: "You have exceeded a secondary rate limit." })), UnfurlError, 429],
    ["REST 451, blocked", () => rest(answering(451, { message: "Repository access blocked" })), UnfurlError, 451],
    ["REST 410, deleted", () => rest(answering(410, { message: "This issue was deleted" })), UnfurlError, 404],
    ["timeout", () => api(() => new Promise((_resolve, reject) => setTimeout(() => reject(new Error("late")), 10))).rest({ token: "tok_secret", signal: AbortSignal.abort() }, "/x", z.unknown()), UnfurlError, 504],
    ["an answer of an unexpected shape", () => api(answering(200, { id: "not a number" })).rest({ token: "tok_secret" }, "/x", z.object({ id: z.number() })), UnfurlError, 502],
    ["REST 422", () => rest(answering(422, { message: "Validation Failed" })), UnfurlError, 502],
    ["HTML at 200", () => rest(answering(200, "<html>")), UnfurlError, 503],
    ["network error", () => rest(() => Promise.reject(new TypeError("fetch failed"))), UnfurlError, 503],
    ["GraphQL NOT_FOUND", () => graphql(answering(200, { data: { repository: null }, errors: [{ type: "NOT_FOUND", message: "x" }] })), UnfurlError, 404],
    ["GraphQL FORBIDDEN with SSO", () => graphql(answering(200, { errors: [{ type: "FORBIDDEN", message: "x" }] }, { "x-github-sso": "partial-results; organizations=1" })), UnfurlError, 403],
    ["GraphQL RATE_LIMITED", () => graphql(answering(200, { errors: [{ type: "RATE_LIMITED", message: "x" }] })), UnfurlError, 429],
    ["other GraphQL errors", () => graphql(answering(200, { errors: [{ message: "Something went wrong" }] })), UnfurlError, 502],
    ["GraphQL without data", () => graphql(answering(200, {})), UnfurlError, 502],
  ])("%s", async (_name, call, type, status) => {
    const failure = call();
    await expect(failure).rejects.toBeInstanceOf(type);
    if (status !== undefined) await expect(failure).rejects.toMatchObject({ status });
    await expect(failure).rejects.not.toThrow("tok_secret");
  });

  it.each([
    [{ message: "Sorry. Your account was suspended." }, {}, /suspended/],
    [{ message: "Repository access blocked" }, {}, /blocks access/],
    [{ message: "Resource not accessible by integration" }, {}, /refused access/],
  ])("explains a 403 %o", async (body, headers, message) => {
    await expect(rest(answering(403, body, headers))).rejects.toThrow(message);
  });

  it("names SSO in the message, so the user knows what to do", async () => {
    const fetch = answering(403, {}, { "x-github-sso": "required; url=https://github.com/orgs/o/sso" });
    await expect(rest(fetch)).rejects.toThrow(/single sign-on/);
  });

  it("derives the GraphQL endpoint from the REST base like the contract says", () => {
    expect(graphqlUrlFor("https://api.github.com")).toBe("https://api.github.com/graphql");
    expect(graphqlUrlFor("https://ghe.example.com/api/v3/")).toBe("https://ghe.example.com/api/graphql");
  });
});
