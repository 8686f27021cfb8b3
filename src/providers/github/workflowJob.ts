import { z } from "zod";
import { dev, plainText, title } from "../../notion/attributes.js";
import { runContextAttributes, runSchema, statusAttribute } from "./actions.js";
import { jobKey } from "./keys.js";
import type { LinkKind } from "./linkKind.js";
import { END, ID, param, repoOf, repoPath, repoStart } from "./urls.js";

/**
 * Job previews (`/actions/runs/<run>/job/<job>`): the job and its run, two REST calls at once
 * (a job does not say which event or who started it; its run does).
 */

const jobSchema = z.object({
  id: z.number(),
  run_id: z.number(),
  name: z.string(),
  workflow_name: z.string().nullish(),
  status: z.string(),
  conclusion: z.string().nullable(),
  started_at: z.string(),
  completed_at: z.string().nullable(),
  runner_name: z.string().nullish(),
});

export const workflowJobKind: LinkKind = {
  kind: "workflow_job",
  name: "GitHub Actions job",
  pattern: (site) => String.raw`${repoStart(site)}\/actions\/runs\/(?<run>${ID})\/job\/(?<job>${ID})${END}`,
  samples: (site) => [
    `${site.origin}/octocat/hello-world/actions/runs/9182736450/job/25250011223`,
    `${site.origin}/octo-org/octo.repo/actions/runs/30433642/job/399444496?pr=12`,
  ],
  placeholder: { title: "Job $<job>", identifier: "$<owner>/$<repo>" },
  key: (site, p) => jobKey(site.host, param(p, "owner"), param(p, "repo"), param(p, "job")),
  async unfurl(params, ctx) {
    const base = `${repoPath(params)}/actions`;
    const [job, run] = await Promise.all([
      ctx.api.rest(ctx.caller, `${base}/jobs/${param(params, "job")}`, jobSchema),
      ctx.api.rest(ctx.caller, `${base}/runs/${param(params, "run")}`, runSchema),
    ]);
    const { owner, repo } = repoOf(params);
    const workflow = job.workflow_name ?? run.name ?? "Workflow";
    return [
      title(job.name),
      plainText("identifier", "Job", `${owner}/${repo} · ${workflow} #${run.run_number}`, "identifier"),
      statusAttribute(job.status, job.conclusion),
      plainText("workflow", "Workflow", workflow, "secondary"),
      ...runContextAttributes(run, { from: job.started_at, to: job.completed_at }),
      ...(job.runner_name ? [plainText("runner", "Runner", job.runner_name, "secondary")] : []),
      dev(ctx.developerName),
    ];
  },
};
