import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Attribute } from "../src/notion/attributes.js";
import type { Provider } from "../src/providers/types.js";
import { type FakeGitHub, startFakeGitHub } from "./fakes/github.js";
import { byId, providerFor, shown, summary, unfurlWith } from "./github.helpers.js";

/**
 * Every link kind against the fake GitHub's recorded shapes: each set goes through the attribute
 * validator (in `unfurlWith`), and one full set per kind is pinned as a snapshot to read by eye.
 */

let gh: FakeGitHub;
let provider: Provider;
let mona: string;
let web: string;

beforeAll(async () => {
  gh = await startFakeGitHub();
  provider = providerFor(gh);
  web = gh.webUrl;
  mona = gh.addUser({ id: 583231, login: "mona", name: "Mona Lisa", bio: "Octocat's friend", company: "@github", location: "San Francisco", followers: 1200 }).token;
  gh.addUser({ id: 2, login: "hubot", name: "Hubot" });
  gh.addOrganization({ id: 9919, login: "octo-org", name: "Octo Org", bio: "We build octopuses." });
  gh.addRepository({
    owner: "octo-org",
    name: "widgets",
    description: "Widgets for every occasion.",
    language: "TypeScript",
    topics: ["widgets", "ui", "typescript"],
    stars: 12345,
    forks: 321,
    pushedAt: "2024-06-01T08:00:00Z",
  });
});
afterAll(() => gh.close());
afterEach(() => expect(gh.invalidQueries).toEqual([]));

const unfurl = (href: string): Promise<Attribute[]> => unfurlWith(provider, href, mona, "mona");

describe("GitHub link kinds", () => {
  it("issue: state with reason, labels, assignees, milestone, comments, author", async () => {
    const issue = gh.addIssue("octo-org", "widgets", {
      title: "Widgets flicker on resize",
      state: "CLOSED",
      stateReason: "NOT_PLANNED",
      assignees: ["mona", "hubot"],
      milestone: "v2.0",
      labels: [
        { name: "bug", color: "d73a4a" },
        { name: "wontfix", color: "ffffff" },
      ],
      commentCount: 7,
      author: "hubot",
    });
    expect(summary(await unfurl(`${web}/octo-org/widgets/issues/${issue.number}`))).toMatchInlineSnapshot(`
      [
        "title [title title]: Widgets flicker on resize",
        "identifier [identifier plain_text]: octo-org/widgets#1",
        "state [primary enum #59636e]: Closed as not planned",
        "label-1 [primary enum #d73a4a]: bug",
        "label-2 [primary enum #ffffff]: wontfix",
        "assignees [secondary plain_text]: @mona, @hubot",
        "milestone [secondary plain_text]: v2.0",
        "comments [secondary plain_text]: 7 comments",
        "updated_at [secondary datetime]: 2024-04-03T12:00:00.000Z",
        "author_avatar [avatar image]: https://avatars.githubusercontent.com/u/2?v=4",
        "author [avatar plain_text]: @hubot",
        "body [body plain_text]: Steps: 1. Pick dark 2. Reload The theme is back to light.",
        "dev [secondary plain_text]: Acme Inc.",
      ]
    `);
  });

  it.each([
    [{ state: "OPEN" as const, stateReason: null }, "Open"],
    [{ state: "CLOSED" as const, stateReason: "COMPLETED" as const }, "Closed as completed"],
    [{ state: "CLOSED" as const, stateReason: null }, "Closed as completed"],
    [{ state: "CLOSED" as const, stateReason: "DUPLICATE" as const }, "Closed as not planned"],
  ])("issue state %o reads %s", async (input, state) => {
    const issue = gh.addIssue("octo-org", "widgets", input);
    expect(shown(byId(await unfurl(`${web}/octo-org/widgets/issues/${issue.number}`))["state"])).toBe(state);
  });

  it("issue comment anchor: the comment's author and text", async () => {
    const issue = gh.addIssue("octo-org", "widgets", {});
    const comment = gh.addComment("octo-org", "widgets", { kind: "issue", number: issue.number, author: "hubot", body: "I can reproduce this on **Firefox**." });
    const set = byId(await unfurl(`${web}/octo-org/widgets/issues/${issue.number}#issuecomment-${comment.id}`));
    expect([shown(set["author"]), shown(set["body"])]).toEqual(["@hubot commented", "I can reproduce this on Firefox."]);
  });

  it("discussion: category, answered state, upvotes, comments", async () => {
    const d = gh.addDiscussion("octo-org", "widgets", { title: "How do I theme widgets?", answered: true, upvotes: 11, commentCount: 5, author: "mona" });
    expect(summary(await unfurl(`${web}/octo-org/widgets/discussions/${d.number}`))).toMatchInlineSnapshot(`
      [
        "title [title title]: How do I theme widgets?",
        "identifier [identifier plain_text]: octo-org/widgets#1",
        "category [primary enum #0969da]: Q&A",
        "answered [primary enum #1f883d]: Answered",
        "upvotes [secondary plain_text]: 11 upvotes",
        "comments [secondary plain_text]: 5 comments",
        "updated_at [secondary datetime]: 2024-03-02T10:00:00.000Z",
        "author_avatar [avatar image]: https://avatars.githubusercontent.com/u/583231?v=4",
        "author [avatar plain_text]: @mona",
        "body [body plain_text]: I would like previews to refresh faster. Which setting is it?",
        "dev [secondary plain_text]: Acme Inc.",
      ]
    `);
    const general = gh.addDiscussion("octo-org", "widgets", { category: "General", answerable: false });
    const set = byId(await unfurl(`${web}/octo-org/widgets/discussions/${general.number}`));
    expect([shown(set["category"]), set["answered"]]).toEqual(["General", undefined]);
  });

  it("commit: message title, short sha, author, date, +/−, checks", async () => {
    const commit = gh.addCommit("octo-org", "widgets", {
      message: "Debounce resize events\n\nResizing fired hundreds of layouts per second.",
      author: "mona",
      additions: 40,
      deletions: 12,
      files: ["src/resize.ts", "src/widget.ts", "test/resize.test.ts"],
      statuses: [{ context: "ci/circleci", state: "success" }],
      checkRuns: [
        { name: "build", status: "completed", conclusion: "success" },
        { name: "lint", status: "completed", conclusion: "failure" },
      ],
    });
    expect(summary(await unfurl(`${web}/octo-org/widgets/commit/${commit.sha}`))).toMatchInlineSnapshot(`
      [
        "title [title title]: Debounce resize events",
        "identifier [identifier plain_text]: octo-org/widgets@5d4bd76",
        "checks [primary enum #cf222e]: Checks failing",
        "changes [secondary plain_text]: +40 −12 in 3 files",
        "committed_at [secondary datetime]: 2024-05-03T09:30:00.000Z",
        "author_avatar [avatar image]: https://avatars.githubusercontent.com/u/583231?v=4",
        "author [avatar plain_text]: @mona",
        "body [body plain_text]: Resizing fired hundreds of layouts per second.",
        "dev [secondary plain_text]: Acme Inc.",
      ]
    `);
  });

  it("commit inside a pull request, by short sha, with pending checks and a git author without account", async () => {
    const commit = gh.addCommit("octo-org", "widgets", {
      message: "WIP",
      author: null,
      authorName: "Jane Doe",
      checkRuns: [{ name: "build", status: "in_progress", conclusion: null }],
    });
    const set = byId(await unfurl(`${web}/octo-org/widgets/pull/3/commits/${commit.sha.slice(0, 7)}`));
    expect([shown(set["identifier"]), shown(set["checks"]), shown(set["author"])]).toEqual([
      `octo-org/widgets@${commit.sha.slice(0, 7)} (#3)`,
      "Checks pending",
      "Jane Doe",
    ]);
  });

  it("file: path, ref, language and the selected lines", async () => {
    const text = Array.from({ length: 40 }, (_, i) => `    const line${i + 1} = ${i + 1};`).join("\n");
    gh.addFile("octo-org", "widgets", "main", "src/resize.ts", `${text}\n`);
    expect(summary(await unfurl(`${web}/octo-org/widgets/blob/main/src/resize.ts#L10-L12`))).toMatchInlineSnapshot(`
      [
        "title [title title]: resize.ts",
        "identifier [identifier plain_text]: src/resize.ts#L10-L12",
        "language [primary enum]: TypeScript",
        "ref [secondary plain_text]: octo-org/widgets@main",
        "size [secondary plain_text]: 40 lines",
        "body [body plain_text]: const line10 = 10;
      const line11 = 11;
      const line12 = 12;",
        "dev [secondary plain_text]: Acme Inc.",
      ]
    `);
    const whole = byId(await unfurl(`${web}/octo-org/widgets/blob/main/src/resize.ts`));
    expect(String(shown(whole["body"])).split("\n")).toHaveLength(8);
  });

  it("file on a branch with slashes: the ref is found by trying longer refs", async () => {
    gh.addFile("octo-org", "widgets", "feature/resize", "README.md", "# Widgets\n");
    const set = byId(await unfurl(`${web}/octo-org/widgets/blob/feature/resize/README.md#L1`));
    expect([shown(set["ref"]), shown(set["body"]), shown(set["language"])]).toEqual(["octo-org/widgets@feature/resize", "# Widgets", "Markdown"]);
  });

  it("tree: what a directory holds, and the repository root at a ref", async () => {
    gh.addFile("octo-org", "widgets", "v2", "src/a.ts", "a");
    gh.addFile("octo-org", "widgets", "v2", "src/b.ts", "b");
    gh.addFile("octo-org", "widgets", "v2", "src/lib/c.ts", "c");
    gh.addFile("octo-org", "widgets", "v2", "package.json", "{}");
    expect(summary(await unfurl(`${web}/octo-org/widgets/tree/v2/src`))).toMatchInlineSnapshot(`
      [
        "title [title title]: src",
        "identifier [identifier plain_text]: src/",
        "ref [secondary plain_text]: octo-org/widgets@v2",
        "entries [secondary plain_text]: 1 folder, 2 files",
        "body [body plain_text]: lib/  a.ts  b.ts",
        "dev [secondary plain_text]: Acme Inc.",
      ]
    `);
    const root = byId(await unfurl(`${web}/octo-org/widgets/tree/v2`));
    expect([shown(root["title"]), shown(root["body"])]).toEqual(["octo-org/widgets", "src/  package.json"]);
  });

  it("release: name, tag, published, author, latest", async () => {
    gh.addRelease("octo-org", "widgets", { tagName: "v1.9.0", publishedAt: "2024-04-01T10:00:00Z" });
    gh.addRelease("octo-org", "widgets", { tagName: "v2.0.0", name: "Widgets 2", author: "mona" });
    gh.addRelease("octo-org", "widgets", { tagName: "v2.1.0-rc.1", name: null, prerelease: true, publishedAt: "2024-06-01T10:00:00Z" });
    expect(summary(await unfurl(`${web}/octo-org/widgets/releases/tag/v2.0.0`))).toMatchInlineSnapshot(`
      [
        "title [title title]: Widgets 2",
        "identifier [identifier plain_text]: octo-org/widgets@v2.0.0",
        "release [primary enum #1f883d]: Latest",
        "tag [secondary plain_text]: v2.0.0",
        "published_at [secondary datetime]: 2024-05-10T11:00:00.000Z",
        "author_avatar [avatar image]: https://avatars.githubusercontent.com/u/583231?v=4",
        "author [avatar plain_text]: @mona",
        "body [body plain_text]: What's changed Dark mode by @octocat in https://github.com/o/r/pull/1",
        "dev [secondary plain_text]: Acme Inc.",
      ]
    `);
    const older = byId(await unfurl(`${web}/octo-org/widgets/releases/tag/v1.9.0`));
    const rc = byId(await unfurl(`${web}/octo-org/widgets/releases/tag/v2.1.0-rc.1`));
    expect([shown(older["release"]), shown(rc["release"]), shown(rc["title"])]).toEqual(["Release", "Pre-release", "v2.1.0-rc.1"]);
  });

  it("release with an encoded tag", async () => {
    gh.addRelease("octo-org", "widgets", { tagName: "@octo/widgets@3.0.0" });
    const set = byId(await unfurl(`${web}/octo-org/widgets/releases/tag/%40octo%2Fwidgets%403.0.0`));
    expect(shown(set["tag"])).toBe("@octo/widgets@3.0.0");
  });

  it("workflow run and job: workflow, status, branch, event, duration, actor", async () => {
    const { run, jobs } = gh.addWorkflowRun("octo-org", "widgets", { conclusion: "failure", actor: "mona" }, [{ name: "test (20.x)", conclusion: "failure" }]);
    expect(summary(await unfurl(`${web}/octo-org/widgets/actions/runs/${run.id}`))).toMatchInlineSnapshot(`
      [
        "title [title title]: Fix the theme toggle",
        "identifier [identifier plain_text]: octo-org/widgets · CI #118",
        "status [primary enum #cf222e]: Failure",
        "workflow [secondary plain_text]: CI",
        "branch [secondary plain_text]: main",
        "event [secondary plain_text]: push",
        "duration [secondary plain_text]: 4m 42s",
        "author_avatar [avatar image]: https://avatars.githubusercontent.com/u/583231?v=4",
        "author [avatar plain_text]: @mona",
        "started_at [secondary datetime]: 2024-05-03T09:31:05.000Z",
        "dev [secondary plain_text]: Acme Inc.",
      ]
    `);
    expect(summary(await unfurl(`${web}/octo-org/widgets/actions/runs/${run.id}/job/${jobs[0]?.id}`))).toMatchInlineSnapshot(`
      [
        "title [title title]: test (20.x)",
        "identifier [identifier plain_text]: octo-org/widgets · CI #118",
        "status [primary enum #cf222e]: Failure",
        "workflow [secondary plain_text]: CI",
        "branch [secondary plain_text]: main",
        "event [secondary plain_text]: push",
        "duration [secondary plain_text]: 2m 30s",
        "author_avatar [avatar image]: https://avatars.githubusercontent.com/u/583231?v=4",
        "author [avatar plain_text]: @mona",
        "runner [secondary plain_text]: GitHub Actions 7",
        "dev [secondary plain_text]: Acme Inc.",
      ]
    `);
    const { run: running } = gh.addWorkflowRun("octo-org", "widgets", { status: "in_progress", conclusion: null });
    const set = byId(await unfurl(`${web}/octo-org/widgets/actions/runs/${running.id}`));
    expect([shown(set["status"]), set["duration"]]).toEqual(["In progress", undefined]);
  });

  it("repository root: description, language, stars, topics, visibility, last push", async () => {
    const lines = summary(await unfurl(`${web}/octo-org/widgets`)).map((l) => l.replace(new URL(web).host, "HOST"));
    expect(lines).toMatchInlineSnapshot(`
      [
        "title [title title]: octo-org/widgets",
        "identifier [identifier plain_text]: HOST/octo-org/widgets",
        "visibility [primary enum #59636e]: Public",
        "language [primary enum]: TypeScript",
        "stars [secondary plain_text]: 12,345 stars",
        "forks [secondary plain_text]: 321 forks",
        "topics [secondary plain_text]: widgets, ui, typescript",
        "pushed_at [secondary datetime]: 2024-06-01T08:00:00.000Z",
        "author_avatar [avatar image]: https://avatars.githubusercontent.com/u/9919?v=4",
        "author [avatar plain_text]: @octo-org",
        "body [body plain_text]: Widgets for every occasion.",
        "dev [secondary plain_text]: Acme Inc.",
      ]
    `);
  });

  it("user and organisation profiles", async () => {
    expect(summary(await unfurl(`${web}/mona`))).toMatchInlineSnapshot(`
      [
        "title [title title]: Mona Lisa",
        "identifier [identifier plain_text]: @mona",
        "type [primary enum #59636e]: User",
        "repositories [secondary plain_text]: 8 public repositories",
        "followers [secondary plain_text]: 1,200 followers",
        "where [secondary plain_text]: @github · San Francisco",
        "joined [secondary date]: 2011-01-25",
        "avatar [avatar image]: https://avatars.githubusercontent.com/u/583231?v=4",
        "login [avatar plain_text]: @mona",
        "body [body plain_text]: Octocat's friend",
        "dev [secondary plain_text]: Acme Inc.",
      ]
    `);
    const org = byId(await unfurl(`${web}/octo-org`));
    expect([shown(org["type"]), shown(org["title"]), shown(org["body"]), org["followers"]]).toEqual(["Organization", "Octo Org", "We build octopuses.", undefined]);
  });

  it("gist: description, files, language and the first lines", async () => {
    const gist = gh.addGist("mona", {});
    expect(summary(await unfurl(`${web}/gist/mona/${gist.id}`))).toMatchInlineSnapshot(`
      [
        "title [title title]: Debounce in ten lines",
        "identifier [identifier plain_text]: mona / debounce.ts",
        "visibility [primary enum #59636e]: Public",
        "language [primary enum]: TypeScript",
        "files [secondary plain_text]: 1 file",
        "updated_at [secondary datetime]: 2024-01-06T10:00:00.000Z",
        "author_avatar [avatar image]: https://avatars.githubusercontent.com/u/583231?v=4",
        "author [avatar plain_text]: @mona",
        "body [body plain_text]: export function debounce(fn: () => void, ms: number) {
        let t: NodeJS.Timeout;
        return () => {
          clearTimeout(t);
          t = setTimeout(fn, ms);
        };
      }",
        "dev [secondary plain_text]: Acme Inc.",
      ]
    `);
  });
});
