import { datetime, dev, plainText, title } from "../../notion/attributes.js";
import { runContextAttributes, runSchema, statusAttribute } from "./actions.js";
import { runKey } from "./keys.js";
import type { LinkKind } from "./linkKind.js";
import { END, ID, param, repoOf, repoPath, repoStart } from "./urls.js";

/** Workflow run previews (`/actions/runs/<id>`, also a given attempt): one REST call. */

export const workflowRunKind: LinkKind = {
  kind: "workflow_run",
  name: "GitHub Actions workflow run",
  pattern: (site) => String.raw`${repoStart(site)}\/actions\/runs\/(?<run>${ID})(?:\/attempts\/\d{1,4})?${END}`,
  samples: (site) => [
    `${site.origin}/octocat/hello-world/actions/runs/9182736450`,
    `${site.origin}/octo-org/octo.repo/actions/runs/30433642/attempts/2`,
  ],
  placeholder: { title: "Workflow run $<run>", identifier: "$<owner>/$<repo>" },
  key: (site, p) => runKey(site.host, param(p, "owner"), param(p, "repo"), param(p, "run")),
  async unfurl(params, ctx) {
    const run = await ctx.api.rest(ctx.caller, `${repoPath(params)}/actions/runs/${param(params, "run")}`, runSchema);
    const { owner, repo } = repoOf(params);
    const workflow = run.name ?? "Workflow";
    return [
      title(run.display_title?.trim() || `${workflow} #${run.run_number}`),
      plainText("identifier", "Workflow run", `${owner}/${repo} · ${workflow} #${run.run_number}`, "identifier"),
      statusAttribute(run.status, run.conclusion),
      plainText("workflow", "Workflow", workflow, "secondary"),
      ...runContextAttributes(run, { from: run.run_started_at, to: run.status === "completed" ? run.updated_at : null }),
      datetime("started_at", "Started", run.run_started_at ?? run.created_at, "secondary"),
      dev(ctx.developerName),
    ];
  },
};
