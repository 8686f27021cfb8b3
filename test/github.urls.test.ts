import { describe, expect, it } from "vitest";
import { assertValidAttributes } from "../src/notion/validate.js";
import { gitHubSite, pullRequestMatcher, pullRequestRule } from "../src/providers/github/urls.js";

const dotCom = gitHubSite("https://github.com");
const ghes = gitHubSite("http://127.0.0.1:1234/");
const matchDotCom = pullRequestMatcher(dotCom);
const matchGhes = pullRequestMatcher(ghes);
const m = (match: typeof matchDotCom, href: string) => match(new URL(href));

describe("GitHub pull request links", () => {
  it.each([
    ["https://github.com/octocat/Hello-World/pull/42", "octocat", "Hello-World", "42"],
    ["https://github.com/octocat/hello-world/pull/42/", "octocat", "hello-world", "42"],
    ["https://www.github.com/octocat/hello-world/pull/42", "octocat", "hello-world", "42"],
    ["https://GitHub.com/octocat/hello-world/pull/42", "octocat", "hello-world", "42"],
    ["https://github.com/octo-org/octo.repo_x/pull/7/files", "octo-org", "octo.repo_x", "7"],
    ["https://github.com/o/r/pull/7/files?w=1#diff-abc", "o", "r", "7"],
    ["https://github.com/o/r/pull/7/changes", "o", "r", "7"],
    ["https://github.com/o/r/pull/7/commits/0123abc", "o", "r", "7"],
    ["https://github.com/o/r/pull/7/checks?check_run_id=1", "o", "r", "7"],
    ["https://github.com/o/r/pull/7#issuecomment-1", "o", "r", "7"],
    ["https://github.com/octocat_acme/r/pull/1", "octocat_acme", "r", "1"],
  ])("claims %s", (href, owner, repo, number) => {
    expect(m(matchDotCom, href)).toEqual({ kind: "pull_request", params: { owner, repo, number }, resourceKey: expect.any(String) });
  });

  it("keys resources by canonical host and lower-cased owner/repo", () => {
    expect(m(matchDotCom, "https://www.github.com/Octocat/Hello-World/pull/42")?.resourceKey).toBe(
      "github:github.com:octocat/hello-world#pull/42",
    );
    expect(m(matchGhes, "http://127.0.0.1:1234/Acme/App/pull/3/files")).toEqual({
      kind: "pull_request",
      params: { owner: "Acme", repo: "App", number: "3" },
      resourceKey: "github:127.0.0.1:1234:acme/app#pull/3",
    });
  });

  it.each([
    "https://gitlab.com/o/r/pull/1", // another host
    "https://github.com.evil.example/o/r/pull/1",
    "https://evil.example/https://github.com/o/r/pull/1",
    "http://github.com/o/r/pull/1", // another scheme
    "https://github.com:8443/o/r/pull/1", // another port
    "https://gist.github.com/o/r/pull/1",
    "https://user@github.com/o/r/pull/1",
    "https://github.com/o/r/pulls",
    "https://github.com/o/r/pulls/1",
    "https://github.com/o/r/pull",
    "https://github.com/o/r/pull/",
    "https://github.com/o/r/pull/abc",
    "https://github.com/o/r/pull/0",
    "https://github.com/o/r/pull/012",
    "https://github.com/o/r/pull/99999999999",
    "https://github.com/o/r/pull/1/unknown-tab",
    "https://github.com/o/r/issues/1",
    "https://github.com/o/pull/1",
    "https://github.com/orgs/r/pull/1", // reserved names are GitHub's pages, not owners
    "https://github.com/settings/r/pull/1",
    "https://github.com/-o/r/pull/1",
    "https://github.com/o.x/r/pull/1",
    "https://github.com/o/../pull/1",
    "https://github.com/o/r%2Fx/pull/1",
  ])("ignores %s", (href) => {
    expect(m(matchDotCom, href)).toBeNull();
  });

  it("claims only the configured origin for GitHub Enterprise Server", () => {
    expect(m(matchGhes, "https://github.com/o/r/pull/1")).toBeNull();
    expect(m(matchGhes, "https://127.0.0.1:1234/o/r/pull/1")).toBeNull();
    expect(m(matchGhes, "http://127.0.0.1:1235/o/r/pull/1")).toBeNull();
    expect(m(matchDotCom, "http://127.0.0.1:1234/o/r/pull/1")).toBeNull();
  });
});

describe("the pull request dashboard rule", () => {
  it.each([
    ["github.com", dotCom],
    ["a test host", ghes],
    ["a GHES host", gitHubSite("https://git.example.com")],
  ])("has samples that its own regex matches, on %s", (_name, site) => {
    const rule = pullRequestRule(site, "Acme Inc.");
    const regex = new RegExp(rule.pattern);
    expect(rule.samples.length).toBeGreaterThanOrEqual(2);
    for (const sample of rule.samples) {
      expect(regex.exec(sample)?.groups).toEqual({ owner: expect.any(String), repo: expect.any(String), number: expect.any(String) });
      expect(pullRequestMatcher(site)(new URL(sample))).not.toBeNull();
    }
  });

  it("escapes the origin and gives valid placeholders with the named groups", () => {
    const rule = pullRequestRule(dotCom, "Acme Inc.");
    expect(rule.pattern.startsWith(String.raw`^(?:https:\/\/github\.com|https:\/\/www\.github\.com)\/`)).toBe(true);
    expect(new RegExp(rule.pattern).test("https://githubxcom/o/r/pull/1")).toBe(false);
    const placeholder = assertValidAttributes(rule.placeholder);
    expect(JSON.stringify(placeholder)).toContain("Pull request #$<number>");
    expect(JSON.stringify(placeholder)).toContain("$<owner>/$<repo>#$<number>");
  });
});
