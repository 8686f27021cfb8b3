import { commitKind } from "./commit.js";
import { discussionKind } from "./discussion.js";
import { fileKind } from "./file.js";
import { gistKind } from "./gist.js";
import { issueKind } from "./issue.js";
import type { LinkKind } from "./linkKind.js";
import { profileKind } from "./profile.js";
import { pullRequestKind } from "./pullRequest.js";
import { releaseKind } from "./release.js";
import { repositoryKind } from "./repository.js";
import { treeKind } from "./tree.js";
import { workflowJobKind } from "./workflowJob.js";
import { workflowRunKind } from "./workflowRun.js";

/**
 * Every GitHub link kind. Their patterns do not overlap (the tests check each sample against
 * every pattern), so the order only matters for speed: the most pasted kinds first.
 */
export const GITHUB_KINDS: readonly LinkKind[] = [
  pullRequestKind,
  issueKind,
  commitKind,
  fileKind,
  treeKind,
  releaseKind,
  discussionKind,
  workflowRunKind,
  workflowJobKind,
  repositoryKind,
  profileKind,
  gistKind,
];
