import type { Clock } from "../clock.js";
import { UnfurlError, UpstreamAuthError } from "../http/errors.js";
import type { Logger } from "../logger.js";
import { attributesEnvelope, errorEnvelope, type UnfurlEnvelope } from "../notion/envelope.js";
import type { UnfurlService } from "../notion/unfurlService.js";
import { openNotionToken } from "../oauth/grantSecrets.js";
import type { Sealer } from "../secrets/seal.js";
import { sha256 } from "../secrets/tokens.js";
import type { LeasedJob } from "../store/jobs.js";
import type { Store } from "../store/types.js";
import type { UpdateMetrics } from "./metrics.js";
import type { NotionPush } from "./notionPush.js";
import { done, type JobOutcome } from "./outcome.js";
import type { Throttle } from "./throttle.js";

export interface PushDeps {
  store: Store;
  unfurls: UnfurlService;
  sealer: Sealer;
  notion: NotionPush;
  throttle: Throttle;
  clock: Clock;
  logger: Logger;
  metrics: UpdateMetrics;
}

/**
 * Upstream answers that mean "this user may no longer see it" (deleted, made private, access
 * removed): the preview turns into an error, so it shows neither stale data nor anyone else's.
 */
const ACCESS_LOST = new Set([403, 404, 410]);

/** Without Retry-After, Notion's 429 is retried after this long. */
const DEFAULT_RETRY_AFTER_MS = 30_000;
/** The user's GitHub rate limit is used up (it resets hourly): wait, without counting a failure. */
const UPSTREAM_RATE_LIMIT_WAIT_MS = 5 * 60_000;

/**
 * One `push` job: re-read one tracked link with its grant's own upstream token (never anyone
 * else's), build the complete envelope, and PATCH it to Notion with that grant's Notion token.
 */
export async function runPush(job: LeasedJob, d: PushDeps): Promise<JobOutcome> {
  const uri = job.key;
  const grantId = job.grantId;
  const count = (outcome: string) => d.metrics.pushes.inc({ outcome });
  // Previews deleted or grants revoked since the job was queued: nothing to update any more.
  const tracked = await d.store.jobs.getTracked(grantId, uri);
  const grant = tracked && (await d.store.getGrant(grantId));
  const account = grant && (await d.store.getAccount(grant.accountId));
  if (!tracked || !grant || !account) return done();

  let envelope: UnfurlEnvelope;
  try {
    const set = await d.unfurls.reload({ grant, account }, uri);
    if (!set) {
      // No provider claims the link any more (configuration changed): stop tracking it.
      await d.unfurls.forget({ grantId, accountId: account.id }, uri);
      return done();
    }
    envelope = attributesEnvelope(uri, set);
  } catch (err) {
    if (err instanceof UpstreamAuthError) {
      await d.store.revokeGrant(grantId, d.clock.now());
      d.logger.warn({ grantId }, "upstream token revoked during a live update: grant revoked");
      return done();
    }
    if (!(err instanceof UnfurlError)) throw err;
    if (err.status === 429) {
      return { kind: "later", runAfter: d.clock.now() + UPSTREAM_RATE_LIMIT_WAIT_MS, reason: "GitHub rate limit" };
    }
    if (!ACCESS_LOST.has(err.status)) return { kind: "retry", error: `upstream ${err.status}: ${err.message}` };
    envelope = errorEnvelope(uri, err.status, err.message);
  }

  const hash = sha256(JSON.stringify(envelope));
  if (job.onlyIfChanged && hash === tracked.pushedHash) {
    count("unchanged");
    return done();
  }
  const now = d.clock.now();
  const wait = d.throttle.take(grantId, now);
  if (wait > 0) return { kind: "later", runAfter: now + wait, reason: "throttled" };

  const result = await d.notion.push(await openNotionToken(d.sealer, grant), envelope);
  count(result.kind === "ok" && envelope.operations[0].path[0] === "error" ? "error_operation" : result.kind);
  switch (result.kind) {
    case "ok":
      await d.store.jobs.recordPushed(grantId, uri, hash);
      return done();
    case "unauthorized":
      // Notion no longer accepts this connection's token: nothing of this grant can be pushed.
      await d.store.jobs.untrackGrant(grantId);
      d.logger.warn({ grantId }, "Notion refused the grant's token: its previews are no longer tracked");
      return done();
    case "gone":
      await d.unfurls.forget({ grantId, accountId: account.id }, uri);
      return done();
    case "rate_limited": {
      const until = d.clock.now() + (result.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS);
      d.throttle.pause(grantId, d.clock.now(), until);
      return { kind: "later", runAfter: until, reason: "Notion rate limit (Retry-After)" };
    }
    case "transient":
      return { kind: "retry", error: result.reason };
    case "rejected":
      return { kind: "dead", error: result.reason };
  }
}
