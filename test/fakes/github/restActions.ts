import { Router } from "express";
import type { FakeRepository, World } from "./fixtures.js";
import type { JobFixture, RunFixture } from "./objects.js";
import { type Responder, type Schemas, type Shape, apiUrlOf, simpleUser, visibleRepo } from "./restShapes.js";

/** GitHub Actions: `/repos/:owner/:repo/actions/runs/:id` and `/actions/jobs/:id`. */

export function actionsRoutes(world: World, respond: Responder): Router {
  const router = Router();

  router.get("/repos/:owner/:repo/actions/runs/:id", (req, res) => {
    const repo = visibleRepo(world, respond, req, res);
    if (!repo) return;
    const run = repo.runs.get(Number(req.params["id"]));
    if (!run) return respond.fail(req, res, 404, "Not Found");
    respond.ok(req, res, runJson(world, repo, run));
  });

  router.get("/repos/:owner/:repo/actions/jobs/:id", (req, res) => {
    const repo = visibleRepo(world, respond, req, res);
    if (!repo) return;
    const job = repo.jobs.get(Number(req.params["id"]));
    const run = job && repo.runs.get(job.runId);
    if (!job || !run) return respond.fail(req, res, 404, "Not Found");
    respond.ok(req, res, jobJson(world, repo, job, run));
  });

  return router;
}

type RunFields =
  | "id" | "name" | "node_id" | "head_branch" | "head_sha" | "path" | "display_title" | "run_number" | "run_attempt" | "event"
  | "status" | "conclusion" | "workflow_id" | "url" | "html_url" | "pull_requests" | "created_at" | "updated_at"
  | "actor" | "triggering_actor" | "run_started_at" | "jobs_url" | "logs_url";

function runJson(world: World, repo: FakeRepository, run: RunFixture): Shape<Schemas["workflow-run"], RunFields> {
  const api = apiUrlOf(world, `/repos/${repo.owner}/${repo.name}/actions/runs/${run.id}`);
  return {
    id: run.id,
    name: run.workflowName,
    node_id: `WFR_${run.id}`,
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: `.github/workflows/${run.workflowName.toLowerCase()}.yml`,
    display_title: run.displayTitle,
    run_number: run.runNumber,
    run_attempt: 1,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: 161335,
    url: api,
    html_url: `${world.webUrl}/${repo.owner}/${repo.name}/actions/runs/${run.id}`,
    pull_requests: [],
    created_at: run.createdAt,
    updated_at: run.updatedAt,
    actor: simpleUser(world, run.actor),
    triggering_actor: simpleUser(world, run.actor),
    run_started_at: run.startedAt,
    jobs_url: `${api}/jobs`,
    logs_url: `${api}/logs`,
  };
}

type JobFields =
  | "id" | "run_id" | "run_url" | "node_id" | "head_sha" | "url" | "html_url" | "status" | "conclusion" | "created_at"
  | "started_at" | "completed_at" | "name" | "steps" | "labels" | "runner_name" | "workflow_name" | "head_branch";

function jobJson(world: World, repo: FakeRepository, job: JobFixture, run: RunFixture): Shape<Schemas["job"], JobFields> {
  return {
    id: job.id,
    run_id: run.id,
    run_url: apiUrlOf(world, `/repos/${repo.owner}/${repo.name}/actions/runs/${run.id}`),
    node_id: `CR_${job.id}`,
    head_sha: run.headSha,
    url: apiUrlOf(world, `/repos/${repo.owner}/${repo.name}/actions/jobs/${job.id}`),
    html_url: `${world.webUrl}/${repo.owner}/${repo.name}/actions/runs/${run.id}/job/${job.id}`,
    status: job.status,
    conclusion: job.conclusion,
    created_at: job.startedAt,
    started_at: job.startedAt,
    completed_at: job.completedAt,
    name: job.name,
    steps: [{ status: job.status === "completed" || job.status === "in_progress" ? job.status : "queued", conclusion: job.conclusion, name: "Set up job", number: 1, started_at: job.startedAt, completed_at: job.completedAt }],
    labels: ["ubuntu-latest"],
    runner_name: job.runnerName,
    workflow_name: run.workflowName,
    head_branch: run.headBranch,
  };
}
