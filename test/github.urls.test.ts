import { describe, expect, it } from "vitest";
import { assertValidAttributes } from "../src/notion/validate.js";
import { GITHUB_KINDS } from "../src/providers/github/kinds.js";
import { compileKinds } from "../src/providers/github/linkKind.js";
import { gitHubSite } from "../src/providers/github/urls.js";

/**
 * Which links the GitHub provider claims, from the one list of kinds: each sample matches its own
 * pattern and no other, the router agrees with the dashboard rules, and everything else is left
 * alone.
 */

const dotCom = gitHubSite("https://github.com");
const ghes = gitHubSite("https://git.example.com");
const testHost = gitHubSite("http://127.0.0.1:1234/");
const sites = [
  ["github.com", dotCom],
  ["a GHES host", ghes],
  ["a test host on http with a port", testHost],
] as const;

const kindsOf = compileKinds(dotCom, GITHUB_KINDS);
const m = (href: string) => kindsOf.match(new URL(href))?.match ?? null;

describe.each(sites)("the dashboard rules on %s", (_name, site) => {
  const compiled = compileKinds(site, GITHUB_KINDS);
  const rules = compiled.rules("Acme Inc.");

  it("has one rule per kind, each with valid placeholders and at least two samples", () => {
    expect(rules.map((r) => r.name)).toEqual(GITHUB_KINDS.map((k) => k.name));
    for (const rule of rules) {
      expect(rule.samples.length).toBeGreaterThanOrEqual(2);
      assertValidAttributes(rule.placeholder);
      // every `$<group>` of the placeholder is a group of the pattern
      for (const [, group] of JSON.stringify(rule.placeholder).matchAll(/\$<(\w+)>/g)) expect(rule.pattern).toContain(`(?<${group}>`);
    }
  });

  it("has samples that match their own pattern and no other, and that the router sends to that kind", () => {
    for (const [i, rule] of rules.entries()) {
      for (const sample of rule.samples) {
        const matching = rules.filter((r) => new RegExp(r.pattern).test(sample)).map((r) => r.name);
        expect(matching, sample).toEqual([rule.name]);
        expect(compiled.match(new URL(sample))?.match.kind, sample).toBe(GITHUB_KINDS[i]?.kind);
      }
    }
  });
});

describe("GitHub links", () => {
  it.each([
    // pull requests, their tabs and comment anchors
    ["https://github.com/octocat/Hello-World/pull/42", "pull_request", { owner: "octocat", repo: "Hello-World", number: "42" }],
    ["https://www.github.com/octocat/hello-world/pull/42/", "pull_request", { owner: "octocat", repo: "hello-world", number: "42" }],
    ["https://GitHub.com/o/r/pull/7/files?w=1#diff-abc", "pull_request", { owner: "o", repo: "r", number: "7" }],
    ["https://github.com/o/r/pull/7/changes", "pull_request", { owner: "o", repo: "r", number: "7" }],
    ["https://github.com/o/r/pull/7/commits", "pull_request", { owner: "o", repo: "r", number: "7" }],
    ["https://github.com/o/r/pull/7/checks?check_run_id=1", "pull_request", { owner: "o", repo: "r", number: "7" }],
    ["https://github.com/o/r/pull/7#issuecomment-123", "pull_request", { owner: "o", repo: "r", number: "7", issueComment: "123" }],
    ["https://github.com/o/r/pull/7#discussion_r456", "pull_request", { owner: "o", repo: "r", number: "7", reviewComment: "456" }],
    ["https://github.com/o/r/pull/7/files#r456", "pull_request", { owner: "o", repo: "r", number: "7", reviewComment: "456" }],
    ["https://github.com/o/r/pull/7#pullrequestreview-789", "pull_request", { owner: "o", repo: "r", number: "7", review: "789" }],
    ["https://github.com/o/r/pull/7#issuecomment-12x", "pull_request", { owner: "o", repo: "r", number: "7" }],
    ["https://github.com/octocat_acme/r/pull/1", "pull_request", { owner: "octocat_acme", repo: "r", number: "1" }],
    // issues
    ["https://github.com/o/r/issues/12", "issue", { owner: "o", repo: "r", number: "12" }],
    ["https://github.com/o/r/issues/12?q=1#issuecomment-99", "issue", { owner: "o", repo: "r", number: "12", issueComment: "99" }],
    // commits
    ["https://github.com/o/r/commit/7fd1a60b01f91b314f59955a4e4d4e80d8edf11d", "commit", { owner: "o", repo: "r", sha: "7fd1a60b01f91b314f59955a4e4d4e80d8edf11d" }],
    ["https://github.com/o/r/commit/7fd1a60?diff=split", "commit", { owner: "o", repo: "r", sha: "7fd1a60" }],
    ["https://github.com/o/r/pull/7/commits/7fd1a60b", "commit", { owner: "o", repo: "r", pull: "7", sha: "7fd1a60b" }],
    // files and directories
    ["https://github.com/o/r/blob/main/README.md", "file", { owner: "o", repo: "r", ref: "main", path: "README.md" }],
    ["https://github.com/o/r/blob/v1.2/src/a%20b.ts?plain=1#L10", "file", { owner: "o", repo: "r", ref: "v1.2", path: "src/a%20b.ts", start: "10" }],
    ["https://github.com/o/r/blob/feature/x/src/a.ts#L10-L20", "file", { owner: "o", repo: "r", ref: "feature", path: "x/src/a.ts", start: "10", end: "20" }],
    ["https://github.com/o/r/blob/main/a.ts#L3C5-L4C2", "file", { owner: "o", repo: "r", ref: "main", path: "a.ts", start: "3", end: "4" }],
    ["https://github.com/o/r/tree/main", "tree", { owner: "o", repo: "r", ref: "main" }],
    ["https://github.com/o/r/tree/main/src/lib/", "tree", { owner: "o", repo: "r", ref: "main", path: "src/lib" }],
    // releases, discussions, Actions
    ["https://github.com/o/r/releases/tag/v1.0.0", "release", { owner: "o", repo: "r", tag: "v1.0.0" }],
    ["https://github.com/o/r/releases/tag/%40scope%2Fpkg%401.0.0", "release", { owner: "o", repo: "r", tag: "%40scope%2Fpkg%401.0.0" }],
    ["https://github.com/o/r/discussions/56#discussioncomment-1", "discussion", { owner: "o", repo: "r", number: "56" }],
    ["https://github.com/o/r/actions/runs/9182736450", "workflow_run", { owner: "o", repo: "r", run: "9182736450" }],
    ["https://github.com/o/r/actions/runs/91827/attempts/2", "workflow_run", { owner: "o", repo: "r", run: "91827" }],
    ["https://github.com/o/r/actions/runs/91827/job/25250011223?pr=4", "workflow_job", { owner: "o", repo: "r", run: "91827", job: "25250011223" }],
    // repositories, profiles, gists
    ["https://github.com/o/r", "repository", { owner: "o", repo: "r" }],
    ["https://github.com/o/r.js/?tab=readme-ov-file#install", "repository", { owner: "o", repo: "r.js" }],
    ["https://github.com/octocat", "profile", { login: "octocat" }],
    ["https://github.com/octo-org/?tab=repositories", "profile", { login: "octo-org" }],
    ["https://gist.github.com/octocat/6cad326836d38bd3a7ae", "gist", { user: "octocat", gist: "6cad326836d38bd3a7ae" }],
    ["https://gist.github.com/6cad326836d38bd3a7ae#file-a-md", "gist", { gist: "6cad326836d38bd3a7ae" }],
  ])("claims %s as %s", (href, kind, params) => {
    expect(m(href)).toEqual({ kind, params, resourceKey: expect.any(String) });
  });

  it.each([
    "https://gitlab.com/o/r/pull/1", // another host
    "https://github.com.evil.example/o/r/pull/1",
    "https://evil.example/https://github.com/o/r/pull/1",
    "http://github.com/o/r/pull/1", // another scheme
    "https://github.com:8443/o/r/pull/1", // another port
    "https://user@github.com/o/r/pull/1",
    "https://api.github.com/repos/o/r",
    "https://github.com/",
    "https://github.com/o/r/pulls",
    "https://github.com/o/r/pull",
    "https://github.com/o/r/pull/abc",
    "https://github.com/o/r/pull/0",
    "https://github.com/o/r/pull/012",
    "https://github.com/o/r/pull/99999999999", // beyond GraphQL's Int
    "https://github.com/o/r/pull/1/unknown-tab",
    "https://github.com/o/r/pull/1/commits/not-a-sha",
    "https://github.com/o/r/issues",
    "https://github.com/o/r/issues/new",
    "https://github.com/o/r/commit/abc", // too short for a sha
    "https://github.com/o/r/commit/abcdef", // 6 hex: GitHub abbreviates shas to at least 7
    "https://github.com/o/r/blob/main", // a blob needs a path
    "https://github.com/o/r/releases",
    "https://github.com/o/r/releases/tag/",
    "https://github.com/o/r/actions",
    "https://github.com/o/r/actions/runs/0",
    "https://github.com/o/r/wiki/Home",
    "https://github.com/o/r/x/y",
    "https://github.com/orgs/acme/people", // reserved names are GitHub's pages, not owners
    "https://github.com/settings/profile",
    "https://github.com/settings",
    "https://github.com/marketplace",
    "https://github.com/orgs",
    "https://github.com/api/v3",
    "https://github.com/-o/r/pull/1",
    "https://github.com/o.x/r/pull/1",
    "https://github.com/o/r%2Fx/pull/1",
    "https://gist.github.com/octocat", // a user's gist list
    "https://gist.github.com/",
  ])("ignores %s", (href) => {
    expect(m(href)).toBeNull();
  });

  it("claims only the configured origin for GitHub Enterprise Server, with its gist forms", () => {
    const local = compileKinds(testHost, GITHUB_KINDS);
    const l = (href: string) => local.match(new URL(href))?.match ?? null;
    expect(l("https://github.com/o/r/pull/1")).toBeNull();
    expect(l("https://127.0.0.1:1234/o/r/pull/1")).toBeNull();
    expect(l("http://127.0.0.1:1235/o/r/pull/1")).toBeNull();
    expect(m("http://127.0.0.1:1234/o/r/pull/1")).toBeNull();
    expect(l("http://127.0.0.1:1234/o/r/pull/1")?.kind).toBe("pull_request");
    const enterprise = compileKinds(ghes, GITHUB_KINDS);
    expect(enterprise.match(new URL("https://git.example.com/gist/mona/aa5a315d61ae9438b18d"))?.match.kind).toBe("gist");
    expect(enterprise.match(new URL("https://gist.git.example.com/mona/aa5a315d61ae9438b18d"))?.match.kind).toBe("gist");
    expect(m("https://github.com/gist/mona/aa5a315d61ae9438b18d")).toBeNull();
  });

  it.each([
    ["https://www.github.com/Octocat/Hello-World/pull/42/files", "github:github.com:octocat/hello-world#pull/42"],
    ["https://github.com/O/R/issues/3#issuecomment-1", "github:github.com:o/r#issue/3"],
    ["https://github.com/O/R/pull/3/commits/ABCDEF1", "github:github.com:o/r#commit/abcdef1"],
    ["https://github.com/O/R/blob/feature/x/src/A.ts#L1", "github:github.com:o/r#file/feature/x/src/A.ts"],
    ["https://github.com/O/R/tree/main", "github:github.com:o/r#tree/main"],
    ["https://github.com/O/R/tree/main/docs", "github:github.com:o/r#tree/main/docs"],
    ["https://github.com/O/R/releases/tag/%40s%2Fp%401.0", "github:github.com:o/r#release/@s/p@1.0"],
    ["https://github.com/O/R/discussions/9", "github:github.com:o/r#discussion/9"],
    ["https://github.com/O/R/actions/runs/5", "github:github.com:o/r#run/5"],
    ["https://github.com/O/R/actions/runs/5/job/6", "github:github.com:o/r#job/6"],
    ["https://github.com/O/R", "github:github.com:o/r"],
    ["https://github.com/Octo-Org", "github:github.com:@octo-org"],
    ["https://gist.github.com/mona/AA5A315D61AE9438B18D", "github:github.com:gist/aa5a315d61ae9438b18d"],
  ])("keys %s as %s", (href, key) => {
    expect(m(href)?.resourceKey).toBe(key);
  });

  it("keys GHES links by host and port", () => {
    const local = compileKinds(testHost, GITHUB_KINDS);
    expect(local.match(new URL("http://127.0.0.1:1234/Acme/App/pull/3/files"))?.match.resourceKey).toBe("github:127.0.0.1:1234:acme/app#pull/3");
  });

  it("escapes the origin in the dashboard pattern", () => {
    const [rule] = kindsOf.rules("Acme Inc.");
    expect(rule?.pattern.startsWith(String.raw`^(?:https:\/\/github\.com|https:\/\/www\.github\.com)\/`)).toBe(true);
    expect(new RegExp(rule?.pattern ?? "").test("https://githubxcom/o/r/pull/1")).toBe(false);
  });
});
