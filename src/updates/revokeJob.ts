import type { LeasedJob } from "../store/jobs.js";
import type { Store } from "../store/types.js";
import { done, type JobOutcome } from "./outcome.js";

/**
 * One `revoke_account` job: the GitHub user revoked the app's authorization, so every grant of
 * theirs goes, with its tokens, secrets and tracked previews (Notion's next unfurl gets a 401 and
 * asks them to reconnect).
 */
export async function runRevokeAccount(job: LeasedJob, d: { store: Store; now: number }): Promise<JobOutcome> {
  for (const grantId of await d.store.jobs.listGrantIdsOfAccount("github", job.key)) {
    await d.store.revokeGrant(grantId, d.now);
  }
  return done();
}
