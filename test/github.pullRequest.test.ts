import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { UnfurlError, UpstreamAuthError } from "../src/http/errors.js";
import type { Attribute } from "../src/notion/attributes.js";
import type { Provider } from "../src/providers/types.js";
import { type FakeGitHub, type PullRequestInput, startFakeGitHub } from "./fakes/github.js";
import { providerFor, summary, unfurlWith } from "./github.helpers.js";

let gh: FakeGitHub;
let provider: Provider;
let alice: string; // owner of public octo/app and collaborator on private acme/secret
let bob: string; // sees only public repositories

beforeAll(async () => {
  gh = await startFakeGitHub();
  provider = providerFor(gh, { timeoutMs: 300 });
  alice = gh.addUser({ id: 101, login: "alice", name: "Alice" }).token;
  bob = gh.addUser({ id: 102, login: "bob" }).token;
  gh.addRepository({ owner: "octo", name: "app" });
  gh.addRepository({ owner: "acme", name: "secret", private: true, collaborators: ["alice"] });
  gh.addPullRequest("acme", "secret", { number: 5, title: "Rotate the keys", author: "alice" });
});
afterAll(() => gh.close());
afterEach(() => {
  gh.setFailure(null);
  // every query the provider sent was valid against GitHub's public schema
  expect(gh.invalidQueries).toEqual([]);
});

const tokens = new Map<string, string>();
/** Each token is its own account; a fresh account per failure test keeps caches out of it. */
function unfurl(href: string, token = alice, signal?: AbortSignal, account?: string): Promise<Attribute[]> {
  const who = account ?? (token === alice ? "alice" : token === bob ? "bob" : (tokens.get(token) ?? `other-${tokens.size}`));
  tokens.set(token, who);
  return unfurlWith(provider, href, token, who, signal);
}
let fresh = 0;
const freshAccount = () => `fresh-${++fresh}`;

/** Adds a pull request to octo/app and unfurls it. */
async function preview(input: PullRequestInput): Promise<Record<string, Attribute>> {
  const pr = gh.addPullRequest("octo", "app", input);
  const set = await unfurl(`${gh.webUrl}/octo/app/pull/${pr.number}`);
  expect(set.at(-1)).toEqual({ id: "dev", name: "Developer Name", type: "inline", inline: { plain_text: { value: "Acme Inc.", section: "secondary" } } });
  return Object.fromEntries(set.map((a) => [a.id, a]));
}

const inline = (a: Attribute | undefined) => (a?.type === "inline" ? a.inline : undefined);

describe("GitHub pull request previews", () => {
  it("maps an open pull request like Notion's own GitHub previews", async () => {
    const pr = gh.addPullRequest("octo", "app", {
      title: "Add dark mode",
      body: "## Why\n\nUsers   asked\n\nfor it.",
      labels: [
        { name: "enhancement", color: "a2eeef" },
        { name: "Enhancement", color: "000000" },
        { name: "ui", color: "0e8a16" },
      ],
      reviewDecision: "APPROVED",
      checkState: "FAILURE",
      additions: 10,
      deletions: 2,
      changedFiles: 1,
      commentCount: 1,
      baseRefName: "main",
      headRefName: "dark",
      author: "alice",
      updatedAt: "2024-06-01T10:00:00Z",
    });
    const set = await unfurl(`${gh.webUrl}/octo/app/pull/${pr.number}/files?w=1`);
    expect(set).toEqual([
      { id: "title", name: "Title", type: "inline", inline: { title: { value: "Add dark mode", section: "title" } } },
      { id: "identifier", name: "Pull request", type: "inline", inline: { plain_text: { value: `octo/app#${pr.number}`, section: "identifier" } } },
      { id: "state", name: "State", type: "inline", inline: { enum: { value: "Open", color: { r: 0x1f, g: 0x88, b: 0x3d }, section: "primary" } } },
      { id: "review", name: "Review", type: "inline", inline: { enum: { value: "Approved", color: { r: 0x1f, g: 0x88, b: 0x3d }, section: "primary" } } },
      { id: "checks", name: "Checks", type: "inline", inline: { enum: { value: "Checks failing", color: { r: 0xcf, g: 0x22, b: 0x2e }, section: "primary" } } },
      { id: "label-1", name: "Label", type: "inline", inline: { enum: { value: "enhancement", color: { r: 0xa2, g: 0xee, b: 0xef }, section: "primary" } } },
      { id: "label-2", name: "Label", type: "inline", inline: { enum: { value: "ui", color: { r: 0x0e, g: 0x8a, b: 0x16 }, section: "primary" } } },
      { id: "branches", name: "Branches", type: "inline", inline: { plain_text: { value: "main ← dark", section: "secondary" } } },
      { id: "changes", name: "Changes", type: "inline", inline: { plain_text: { value: "+10 −2 in 1 file", section: "secondary" } } },
      { id: "comments", name: "Comments", type: "inline", inline: { plain_text: { value: "1 comment", section: "secondary" } } },
      { id: "updated_at", name: "Updated", type: "inline", inline: { datetime: { value: "2024-06-01T10:00:00.000Z", section: "secondary" } } },
      { id: "author_avatar", name: "Author avatar", type: "embed", embed: { src_url: "https://avatars.githubusercontent.com/u/101?v=4", image: { section: "avatar" } } },
      { id: "author", name: "Author", type: "inline", inline: { plain_text: { value: "@alice", section: "avatar" } } },
      { id: "body", name: "Description", type: "inline", inline: { plain_text: { value: "Why Users asked for it.", section: "body" } } },
      { id: "dev", name: "Developer Name", type: "inline", inline: { plain_text: { value: "Acme Inc.", section: "secondary" } } },
    ]);
  });

  it.each([
    [{ isDraft: true }, "Draft", { r: 0x59, g: 0x63, b: 0x6e }],
    [{ state: "MERGED" as const, mergedAt: "2024-07-01T08:00:00Z" }, "Merged", { r: 0x82, g: 0x50, b: 0xdf }],
    [{ state: "CLOSED" as const }, "Closed", { r: 0xcf, g: 0x22, b: 0x2e }],
    [{ state: "CLOSED" as const, isDraft: true }, "Closed", { r: 0xcf, g: 0x22, b: 0x2e }],
  ])("shows the state of %o as %s", async (input, value, color) => {
    const byId = await preview(input);
    expect(inline(byId["state"])).toEqual({ enum: { value, color, section: "primary" } });
  });

  it("shows when a merged pull request was merged, instead of when it was updated", async () => {
    const byId = await preview({ state: "MERGED", mergedAt: "2024-07-01T08:00:00Z", updatedAt: "2024-07-02T08:00:00Z" });
    expect(inline(byId["merged_at"])).toEqual({ datetime: { value: "2024-07-01T08:00:00.000Z", section: "secondary" } });
    expect(byId["updated_at"]).toBeUndefined();
  });

  it("leaves out what the pull request does not have, and survives a deleted author", async () => {
    const byId = await preview({ labels: [], reviewDecision: null, checkState: null, body: "   ", author: null, commentCount: 0 });
    for (const id of ["review", "checks", "label-1", "body", "author_avatar"]) expect(byId[id]).toBeUndefined();
    expect(inline(byId["author"])).toEqual({ plain_text: { value: "@ghost", section: "avatar" } });
    expect(inline(byId["comments"])).toEqual({ plain_text: { value: "0 comments", section: "secondary" } });
  });

  it("cuts a long body on a word boundary and shows at most five labels", async () => {
    const labels = Array.from({ length: 8 }, (_, i) => ({ name: `label ${i}`, color: "ededed" }));
    const byId = await preview({ body: "word ".repeat(200), labels, checkState: "PENDING", reviewDecision: "CHANGES_REQUESTED" });
    const body = inline(byId["body"]);
    const text = body && "plain_text" in body ? body.plain_text.value : "";
    expect(text.length).toBeLessThanOrEqual(301);
    expect(text).toMatch(/word…$/);
    expect(Object.keys(byId).filter((id) => id.startsWith("label-"))).toHaveLength(5);
    expect(inline(byId["checks"])).toMatchObject({ enum: { value: "Checks pending" } });
    expect(inline(byId["review"])).toMatchObject({ enum: { value: "Changes requested" } });
  });

  it("reads a private repository with a collaborator's token, and sends that token", async () => {
    const set = await unfurl(`${gh.webUrl}/acme/secret/pull/5`, alice);
    expect(inline(set[0])).toEqual({ title: { value: "Rotate the keys", section: "title" } });
    const sent = gh.requests.filter((r) => r.path === "/api/graphql").at(-1);
    expect(sent?.headers["authorization"]).toBe(`Bearer ${alice}`);
    expect(sent?.headers["user-agent"]).toBeTruthy();
  });

  it("answers 404 for a private repository the user cannot see, and for a missing pull request", async () => {
    const hidden = unfurl(`${gh.webUrl}/acme/secret/pull/5`, bob);
    await expect(hidden).rejects.toBeInstanceOf(UnfurlError);
    await expect(hidden).rejects.toMatchObject({ status: 404, message: "Not found, or your GitHub account cannot see it." });
    await expect(unfurl(`${gh.webUrl}/octo/app/pull/999`)).rejects.toMatchObject({ status: 404 });
    await expect(unfurl(`${gh.webUrl}/octo/nope/pull/1`)).rejects.toMatchObject({ status: 404 });
  });

  it("reports a revoked token as UpstreamAuthError", async () => {
    const { token } = gh.addUser({ id: 103, login: "carol" });
    gh.revokeToken(token);
    const failure = unfurl(`${gh.webUrl}/acme/secret/pull/5`, token);
    await expect(failure).rejects.toBeInstanceOf(UpstreamAuthError);
    await expect(failure).rejects.not.toThrow(token);
  });

  it("answers 503 when GitHub is down", async () => {
    gh.setFailure("down");
    await expect(unfurl(`${gh.webUrl}/acme/secret/pull/5`, alice, undefined, freshAccount())).rejects.toMatchObject({
      status: 503,
      message: "GitHub is unavailable right now, try again later.",
    });
  });

  it("gives up with 504 when GitHub is slower than the timeout", async () => {
    gh.setFailure("slow", { delayMs: 5_000 });
    await expect(unfurl(`${gh.webUrl}/acme/secret/pull/5`, alice, undefined, freshAccount())).rejects.toMatchObject({
      status: 504,
      message: "GitHub did not answer in time, try again later.",
    });
  });

  it("honours the caller's deadline (ctx.signal)", async () => {
    gh.setFailure("slow", { delayMs: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(unfurl(`${gh.webUrl}/acme/secret/pull/5`, alice, controller.signal, freshAccount())).rejects.toMatchObject({ status: 504 });
  });

  it("answers 429 when the rate limit is used up", async () => {
    gh.setFailure("rate_limited");
    await expect(unfurl(`${gh.webUrl}/acme/secret/pull/5`, alice, undefined, freshAccount())).rejects.toMatchObject({ status: 429 });
  });
});

describe("pull request comment anchors", () => {
  it.each([
    ["issue", "#issuecomment-", "@alice commented", "Ship it once CI is green."],
    ["review", "#discussion_r", "@alice commented on the code", "This should be a constant."],
    ["review_summary", "#pullrequestreview-", "@alice approved", "Nice work."],
  ] as const)("show the %s comment's author and text instead of the description", async (kind, anchor, author, body) => {
    const pr = gh.addPullRequest("octo", "app", { title: "Add caching", body: "The description." });
    const comment = gh.addComment("octo", "app", { kind, number: pr.number, author: "alice", body: `**${body}**`, state: "APPROVED" });
    const set = await unfurl(`${gh.webUrl}/octo/app/pull/${pr.number}${anchor}${comment.id}`);
    const shown = Object.fromEntries(summary(set).map((line) => [line.slice(0, line.indexOf(" ")), line]));
    expect(shown["title"]).toBe("title [title title]: Add caching");
    expect(shown["author"]).toBe(`author [avatar plain_text]: ${author}`);
    expect(shown["body"]).toBe(`body [body plain_text]: ${body}`);
    expect(set.at(-1)?.id).toBe("dev");
  });

  it("answers 404 for an anchor to a comment that does not exist", async () => {
    const pr = gh.addPullRequest("octo", "app", {});
    await expect(unfurl(`${gh.webUrl}/octo/app/pull/${pr.number}#issuecomment-424242`)).rejects.toMatchObject({ status: 404 });
  });

  it("previews the pull request behind /issues/<n>", async () => {
    const pr = gh.addPullRequest("octo", "app", { title: "Also an issue number" });
    const set = await unfurl(`${gh.webUrl}/octo/app/issues/${pr.number}`);
    expect(summary(set).slice(0, 3)).toEqual([
      "title [title title]: Also an issue number",
      `identifier [identifier plain_text]: octo/app#${pr.number}`,
      "state [primary enum #1f883d]: Open",
    ]);
  });
});
