import { Router } from "express";
import type { FakeRepository, World } from "./fixtures.js";
import type { CommentFixture, CommentKind } from "./objects.js";
import { type Responder, type Schemas, type Shape, apiUrlOf, maybeUser, simpleUser, visibleRepo } from "./restShapes.js";

/** Single comments by id: issue comments, pull request review comments, and reviews. */

export function commentRoutes(world: World, respond: Responder): Router {
  const router = Router();
  const find = (repo: FakeRepository, id: string, kind: CommentKind) => {
    const c = repo.comments.get(Number(id));
    return c?.kind === kind ? c : undefined;
  };

  router.get("/repos/:owner/:repo/issues/comments/:id", (req, res) => {
    const repo = visibleRepo(world, respond, req, res);
    if (!repo) return;
    const c = find(repo, String(req.params["id"]), "issue");
    if (!c) return respond.fail(req, res, 404, "Not Found");
    respond.ok(req, res, {
      id: c.id,
      node_id: `IC_${c.id}`,
      url: apiUrlOf(world, `/repos/${repo.owner}/${repo.name}/issues/comments/${c.id}`),
      body: c.body,
      html_url: `${world.webUrl}/${repo.owner}/${repo.name}/issues/${c.number}#issuecomment-${c.id}`,
      user: maybeUser(world, c.author),
      created_at: c.createdAt,
      updated_at: c.createdAt,
      issue_url: apiUrlOf(world, `/repos/${repo.owner}/${repo.name}/issues/${c.number}`),
      author_association: "MEMBER",
    } satisfies Schemas["issue-comment"]);
  });

  router.get("/repos/:owner/:repo/pulls/comments/:id", (req, res) => {
    const repo = visibleRepo(world, respond, req, res);
    if (!repo) return;
    const c = find(repo, String(req.params["id"]), "review");
    if (!c) return respond.fail(req, res, 404, "Not Found");
    respond.ok(req, res, reviewCommentJson(world, repo, c));
  });

  router.get("/repos/:owner/:repo/pulls/:number/reviews/:id", (req, res) => {
    const repo = visibleRepo(world, respond, req, res);
    if (!repo) return;
    const c = find(repo, String(req.params["id"]), "review_summary");
    if (!c || c.number !== Number(req.params["number"])) return respond.fail(req, res, 404, "Not Found");
    const html = `${world.webUrl}/${repo.owner}/${repo.name}/pull/${c.number}#pullrequestreview-${c.id}`;
    const pull = apiUrlOf(world, `/repos/${repo.owner}/${repo.name}/pulls/${c.number}`);
    respond.ok(req, res, {
      id: c.id,
      node_id: `PRR_${c.id}`,
      user: maybeUser(world, c.author),
      body: c.body,
      state: c.state ?? "COMMENTED",
      html_url: html,
      pull_request_url: pull,
      _links: { html: { href: html }, pull_request: { href: pull } },
      submitted_at: c.createdAt,
      commit_id: null,
      author_association: "MEMBER",
    } satisfies Schemas["pull-request-review"]);
  });

  return router;
}

type ReviewCommentFields = "url" | "id" | "node_id" | "diff_hunk" | "path" | "commit_id" | "original_commit_id" | "user" | "body" | "created_at" | "updated_at" | "html_url" | "pull_request_url" | "author_association";

function reviewCommentJson(world: World, repo: FakeRepository, c: CommentFixture): Shape<Schemas["pull-request-review-comment"], ReviewCommentFields> {
  return {
    url: apiUrlOf(world, `/repos/${repo.owner}/${repo.name}/pulls/comments/${c.id}`),
    id: c.id,
    node_id: `PRRC_${c.id}`,
    diff_hunk: "@@ -1,3 +1,4 @@",
    path: "src/theme.ts",
    commit_id: "6dcb09b5b57875f334f61aebed695e2e4193db5e",
    original_commit_id: "6dcb09b5b57875f334f61aebed695e2e4193db5e",
    // GitHub shows deleted accounts as "ghost"
    user: simpleUser(world, c.author ?? "ghost"),
    body: c.body,
    created_at: c.createdAt,
    updated_at: c.createdAt,
    html_url: `${world.webUrl}/${repo.owner}/${repo.name}/pull/${c.number}#discussion_r${c.id}`,
    pull_request_url: apiUrlOf(world, `/repos/${repo.owner}/${repo.name}/pulls/${c.number}`),
    author_association: "MEMBER",
  };
}
