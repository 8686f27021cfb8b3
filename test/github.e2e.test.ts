import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertValidAttributes } from "../src/notion/validate.js";
import { startHarness, type Harness } from "./helpers/harness.js";
import { connect, unfurl, type Tokens } from "./helpers/notionDance.js";

/**
 * Every family of GitHub links through the real HTTP path: Notion's dance, then
 * `POST /notion/unfurl` on the server, which calls the fake GitHub over HTTP.
 */

let h: Harness;
let tokens: Tokens;
const links: Record<string, string> = {};

beforeAll(async () => {
  h = await startHarness();
  const gh = h.github;
  const web = gh.webUrl;
  gh.addUser({ id: 1001, login: "octocat", name: "The Octocat" });
  gh.addRepository({ owner: "acme", name: "widgets", private: true, collaborators: ["octocat"], description: "Private widgets." });
  const pr = gh.addPullRequest("acme", "widgets", { title: "Faster widgets" });
  const comment = gh.addComment("acme", "widgets", { kind: "issue", number: pr.number, author: "octocat", body: "Ship it." });
  const issue = gh.addIssue("acme", "widgets", { title: "Widgets flicker" });
  const discussion = gh.addDiscussion("acme", "widgets", { title: "Theming?" });
  const commit = gh.addCommit("acme", "widgets", { message: "Debounce resize" });
  gh.addFile("acme", "widgets", "main", "src/resize.ts", "export const delay = 100;\n");
  const release = gh.addRelease("acme", "widgets", { tagName: "v1.0.0", name: "One" });
  const { run, jobs } = gh.addWorkflowRun("acme", "widgets", { displayTitle: "Debounce resize" }, [{ name: "test" }]);
  const gist = gh.addGist("octocat", { description: "A gist" });
  Object.assign(links, {
    pull_request: `${web}/acme/widgets/pull/${pr.number}`,
    pull_request_comment: `${web}/acme/widgets/pull/${pr.number}#issuecomment-${comment.id}`,
    issue: `${web}/acme/widgets/issues/${issue.number}`,
    discussion: `${web}/acme/widgets/discussions/${discussion.number}`,
    commit: `${web}/acme/widgets/commit/${commit.sha}`,
    file: `${web}/acme/widgets/blob/main/src/resize.ts#L1`,
    tree: `${web}/acme/widgets/tree/main/src`,
    release: `${web}/acme/widgets/releases/tag/${release.tagName}`,
    workflow_run: `${web}/acme/widgets/actions/runs/${run.id}`,
    workflow_job: `${web}/acme/widgets/actions/runs/${run.id}/job/${jobs[0]?.id}`,
    repository: `${web}/acme/widgets`,
    profile: `${web}/octocat`,
    gist: `${web}/gist/octocat/${gist.id}`,
  });
  tokens = await connect(h, "octocat");
});
afterAll(async () => {
  expect(h.github.invalidQueries).toEqual([]);
  await h.close();
});

type Operation = { path: string[]; set: unknown };
const operation = (body: Record<string, unknown> | null) => (body?.["operations"] as Operation[])[0];
const titleOf = (set: unknown) => {
  const title = assertValidAttributes(set).find((a) => a.id === "title");
  return title?.type === "inline" && "title" in title.inline ? title.inline.title.value : undefined;
};

describe("POST /notion/unfurl for every GitHub link kind", () => {
  it.each([
    ["pull_request", "Faster widgets"],
    ["pull_request_comment", "Faster widgets"],
    ["issue", "Widgets flicker"],
    ["discussion", "Theming?"],
    ["commit", "Debounce resize"],
    ["file", "resize.ts"],
    ["tree", "src"],
    ["release", "One"],
    ["workflow_run", "Debounce resize"],
    ["workflow_job", "test"],
    ["repository", "acme/widgets"],
    ["profile", "The Octocat"],
    ["gist", "A gist"],
  ])("%s", async (kind, title) => {
    const uri = links[kind] ?? "";
    const res = await unfurl(h, tokens.access_token, { uri });
    expect(res.status).toBe(200);
    expect(res.body?.["uri"]).toBe(uri);
    const op = operation(res.body);
    expect(op?.path).toEqual(["attributes"]);
    expect(titleOf(op?.set)).toBe(title);
  });

  it("revisits past the preview cache revalidate with If-None-Match and serve the same attributes", async () => {
    const uri = links["repository"] ?? "";
    const first = await unfurl(h, tokens.access_token, { uri });
    h.clock.advance(61_000);
    const before = h.github.rateLimitUsed("octocat", "core");
    const again = await unfurl(h, tokens.access_token, { uri });
    expect(again.body).toEqual(first.body);
    expect(h.github.requests.at(-1)?.headers["if-none-match"]).toMatch(/^W\/"/);
    expect(h.github.rateLimitUsed("octocat", "core")).toBe(before);
  });

  it("answers an error operation that names SSO when the organisation enforces it", async () => {
    h.github.updateRepository("acme", "widgets", { ssoEnforced: true });
    h.clock.advance(61_000);
    const res = await unfurl(h, tokens.access_token, { uri: links["repository"] });
    expect(operation(res.body)).toEqual({ path: ["error"], set: { status: 403, message: expect.stringMatching(/single sign-on/) } });
    h.github.updateRepository("acme", "widgets", { ssoEnforced: false });
  });
});
