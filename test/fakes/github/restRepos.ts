import { Router } from "express";
import type { FakeRepository, FakeUser, World } from "./fixtures.js";
import type { CommitFixture, ReleaseFixture } from "./objects.js";
import { type Responder, type Schemas, type Shape, apiUrlOf, simpleUser, visibleRepo } from "./restShapes.js";

/** `/repos/:owner/:repo` and what lives under it: contents, commits with their checks, releases. */

export function repoRoutes(world: World, respond: Responder): Router {
  const router = Router();

  router.get("/repos/:owner/:repo", (req, res) => {
    const repo = visibleRepo(world, respond, req, res);
    if (repo) respond.ok(req, res, repositoryJson(world, repo));
  });

  router.get("/repos/:owner/:repo/contents{/*path}", (req, res) => {
    const repo = visibleRepo(world, respond, req, res);
    if (!repo) return;
    const ref = typeof req.query["ref"] === "string" ? req.query["ref"] : "main";
    const files = repo.files.get(ref);
    if (!files) return respond.fail(req, res, 404, `No commit found for the ref ${ref}`);
    const segments = (req.params as { path?: string[] }).path ?? [];
    const path = segments.join("/");
    const text = files.get(path);
    if (text !== undefined) return respond.ok(req, res, fileJson(world, repo, ref, path, text));
    const prefix = path === "" ? "" : `${path}/`;
    const children = new Map<string, "file" | "dir">();
    for (const p of files.keys()) {
      if (!p.startsWith(prefix)) continue;
      const [name = "", ...rest] = p.slice(prefix.length).split("/");
      children.set(name, rest.length > 0 ? "dir" : "file");
    }
    if (children.size === 0) return respond.fail(req, res, 404, "Not Found");
    respond.ok(
      req,
      res,
      [...children].map(([name, type]) => entryJson(world, repo, ref, `${prefix}${name}`, type, type === "file" ? (files.get(`${prefix}${name}`) ?? "") : "")),
    );
  });

  const commitOf = (repo: FakeRepository, ref: string): CommitFixture | undefined =>
    [...repo.commits.values()].find((c) => ref.length >= 7 && c.sha.startsWith(ref.toLowerCase()));

  router.get("/repos/:owner/:repo/commits/:ref", (req, res) => {
    const repo = visibleRepo(world, respond, req, res);
    if (!repo) return;
    const commit = commitOf(repo, String(req.params["ref"]));
    if (!commit) return respond.fail(req, res, 422, `No commit found for SHA: ${String(req.params["ref"])}`);
    respond.ok(req, res, commitJson(world, repo, commit));
  });

  router.get("/repos/:owner/:repo/commits/:ref/status", (req, res) => {
    const repo = visibleRepo(world, respond, req, res);
    if (!repo) return;
    const commit = commitOf(repo, String(req.params["ref"]));
    if (!commit) return respond.fail(req, res, 404, "Not Found");
    const states = commit.statuses.map((s) => s.state);
    const state = states.some((s) => s === "failure" || s === "error") ? "failure" : states.includes("pending") || states.length === 0 ? "pending" : "success";
    respond.ok(req, res, {
      state,
      sha: commit.sha,
      total_count: commit.statuses.length,
      statuses: commit.statuses.map((s, i) => ({
        url: apiUrlOf(world, `/repos/${repo.owner}/${repo.name}/statuses/${commit.sha}`),
        avatar_url: null,
        id: i + 1,
        node_id: `SC_${i + 1}`,
        state: s.state,
        description: null,
        target_url: null,
        context: s.context,
        created_at: commit.date,
        updated_at: commit.date,
        required: false,
      })),
      commit_url: apiUrlOf(world, `/repos/${repo.owner}/${repo.name}/commits/${commit.sha}`),
      url: apiUrlOf(world, `/repos/${repo.owner}/${repo.name}/commits/${commit.sha}/status`),
    } satisfies Omit<Schemas["combined-commit-status"], "repository">);
  });

  router.get("/repos/:owner/:repo/commits/:ref/check-runs", (req, res) => {
    const repo = visibleRepo(world, respond, req, res);
    if (!repo) return;
    const commit = commitOf(repo, String(req.params["ref"]));
    if (!commit) return respond.fail(req, res, 404, "Not Found");
    respond.ok(req, res, {
      total_count: commit.checkRuns.length,
      check_runs: commit.checkRuns.map(
        (run, i) =>
          ({
            id: i + 1,
            head_sha: commit.sha,
            node_id: `CR_${i + 1}`,
            external_id: null,
            url: apiUrlOf(world, `/repos/${repo.owner}/${repo.name}/check-runs/${i + 1}`),
            html_url: `${world.webUrl}/${repo.owner}/${repo.name}/runs/${i + 1}`,
            details_url: null,
            status: run.status,
            conclusion: run.conclusion,
            started_at: commit.date,
            completed_at: run.status === "completed" ? commit.date : null,
            name: run.name,
            check_suite: { id: 1 },
            pull_requests: [],
          }) satisfies Shape<
            Schemas["check-run"],
            "id" | "head_sha" | "node_id" | "external_id" | "url" | "html_url" | "details_url" | "status" | "conclusion" | "started_at" | "completed_at" | "name" | "check_suite" | "pull_requests"
          >,
      ),
    });
  });

  router.get("/repos/:owner/:repo/releases/latest", (req, res) => {
    const repo = visibleRepo(world, respond, req, res);
    if (!repo) return;
    const published = repo.releases.filter((r) => !r.draft && !r.prerelease && r.publishedAt);
    const latest = published.sort((a, b) => (b.publishedAt ?? "").localeCompare(a.publishedAt ?? ""))[0];
    if (!latest) return respond.fail(req, res, 404, "Not Found");
    respond.ok(req, res, releaseJson(world, repo, latest));
  });

  router.get("/repos/:owner/:repo/releases/tags/:tag", (req, res) => {
    const repo = visibleRepo(world, respond, req, res);
    if (!repo) return;
    const user = res.locals["user"] as FakeUser;
    const release = repo.releases.find((r) => r.tagName === req.params["tag"]);
    // drafts are only visible to those who can push
    if (!release || (release.draft && user.login.toLowerCase() !== repo.owner.toLowerCase())) return respond.fail(req, res, 404, "Not Found");
    respond.ok(req, res, releaseJson(world, repo, release));
  });

  return router;
}

type RepositoryFields =
  | "id" | "node_id" | "name" | "full_name" | "owner" | "private" | "html_url" | "description" | "fork" | "url"
  | "language" | "forks_count" | "stargazers_count" | "watchers_count" | "size" | "default_branch" | "open_issues_count"
  | "topics" | "archived" | "disabled" | "visibility" | "pushed_at" | "created_at" | "updated_at";

export function repositoryJson(world: World, repo: FakeRepository): Shape<Schemas["full-repository"], RepositoryFields> {
  const fullName = `${repo.owner}/${repo.name}`;
  return {
    id: repo.name.length * 1000 + repo.owner.length,
    node_id: `R_${Buffer.from(fullName).toString("base64url")}`,
    name: repo.name,
    full_name: fullName,
    owner: simpleUser(world, repo.owner),
    private: repo.private,
    html_url: `${world.webUrl}/${fullName}`,
    description: repo.description,
    fork: repo.fork,
    url: apiUrlOf(world, `/repos/${fullName}`),
    language: repo.language,
    forks_count: repo.forks,
    stargazers_count: repo.stars,
    watchers_count: repo.stars,
    size: 1024,
    default_branch: "main",
    open_issues_count: repo.issues.size,
    topics: repo.topics,
    archived: repo.archived,
    disabled: false,
    visibility: repo.visibility,
    pushed_at: repo.pushedAt,
    created_at: repo.createdAt,
    updated_at: repo.pushedAt,
  };
}

function entryJson(world: World, repo: FakeRepository, ref: string, path: string, type: "file" | "dir", text: string): Schemas["content-directory"][number] {
  const base = `/repos/${repo.owner}/${repo.name}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  const html = `${world.webUrl}/${repo.owner}/${repo.name}/${type === "dir" ? "tree" : "blob"}/${ref}/${path}`;
  return {
    type,
    size: type === "file" ? Buffer.byteLength(text) : 0,
    name: path.slice(path.lastIndexOf("/") + 1),
    path,
    sha: Buffer.from(`${ref}:${path}`).toString("hex").slice(0, 40).padEnd(40, "0"),
    url: apiUrlOf(world, base),
    git_url: null,
    html_url: html,
    download_url: type === "file" ? `${world.webUrl}/raw/${repo.owner}/${repo.name}/${ref}/${path}` : null,
    _links: { git: null, html, self: apiUrlOf(world, base) },
  };
}

function fileJson(world: World, repo: FakeRepository, ref: string, path: string, text: string): Schemas["content-file"] {
  const entry = entryJson(world, repo, ref, path, "file", text);
  // GitHub wraps base64 at 60 characters; above 1 MB it sends no content at all
  const large = Buffer.byteLength(text) > 1024 * 1024;
  const content = large ? "" : (Buffer.from(text).toString("base64").match(/.{1,60}/g) ?? []).join("\n");
  return { ...entry, type: "file", encoding: large ? "none" : "base64", content };
}

type CommitFields = "url" | "sha" | "node_id" | "html_url" | "comments_url" | "commit" | "author" | "committer" | "parents" | "stats" | "files";

function commitJson(world: World, repo: FakeRepository, c: CommitFixture): Shape<Schemas["commit"], CommitFields> {
  const api = apiUrlOf(world, `/repos/${repo.owner}/${repo.name}`);
  const person = { name: c.authorName, email: c.authorEmail, date: c.date };
  return {
    url: `${api}/commits/${c.sha}`,
    sha: c.sha,
    node_id: `C_${c.sha.slice(0, 12)}`,
    html_url: `${world.webUrl}/${repo.owner}/${repo.name}/commit/${c.sha}`,
    comments_url: `${api}/commits/${c.sha}/comments`,
    commit: {
      url: `${api}/git/commits/${c.sha}`,
      author: person,
      committer: person,
      message: c.message,
      comment_count: 0,
      tree: { sha: c.sha.split("").reverse().join(""), url: `${api}/git/trees/${c.sha}` },
    },
    author: c.author ? simpleUser(world, c.author) : {},
    committer: c.author ? simpleUser(world, c.author) : {},
    parents: [],
    stats: { additions: c.additions, deletions: c.deletions, total: c.additions + c.deletions },
    files: c.files.map((filename, i) => ({
      sha: `${c.sha.slice(0, 30)}${String(i).padStart(10, "0")}`,
      filename,
      status: "modified" as const,
      additions: 1,
      deletions: 1,
      changes: 2,
      blob_url: `${world.webUrl}/${repo.owner}/${repo.name}/blob/${c.sha}/${filename}`,
      raw_url: `${world.webUrl}/${repo.owner}/${repo.name}/raw/${c.sha}/${filename}`,
      contents_url: `${api}/contents/${filename}?ref=${c.sha}`,
      patch: "@@ -1 +1 @@\n-old\n+new",
    })),
  };
}

type ReleaseFields = "url" | "html_url" | "id" | "node_id" | "tag_name" | "target_commitish" | "name" | "body" | "draft" | "prerelease" | "created_at" | "published_at" | "author" | "assets";

function releaseJson(world: World, repo: FakeRepository, r: ReleaseFixture): Shape<Schemas["release"], ReleaseFields> {
  return {
    url: apiUrlOf(world, `/repos/${repo.owner}/${repo.name}/releases/${r.id}`),
    html_url: `${world.webUrl}/${repo.owner}/${repo.name}/releases/tag/${encodeURIComponent(r.tagName)}`,
    id: r.id,
    node_id: `RE_${r.id}`,
    tag_name: r.tagName,
    target_commitish: "main",
    name: r.name,
    body: r.body,
    draft: r.draft,
    prerelease: r.prerelease,
    created_at: r.createdAt,
    published_at: r.publishedAt,
    author: simpleUser(world, r.author),
    assets: [],
  };
}

