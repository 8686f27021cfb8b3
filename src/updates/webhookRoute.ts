import express, { type Request, type RequestHandler, type Response } from "express";
import type { Clock } from "../clock.js";
import { requestId } from "../http/requestLog.js";
import type { Logger } from "../logger.js";
import type { JobStore, NewJob } from "../store/jobs.js";
import { HANDLED_EVENTS, planDelivery, PayloadError, type DeliveryPlan } from "./events.js";
import type { UpdateMetrics } from "./metrics.js";
import { verifySignature } from "./signature.js";
import type { Wakeup } from "./wakeup.js";

/**
 * Body limit of the webhook route. GitHub caps payloads at 25 MB, but the events we subscribe to
 * are a few kB to a few hundred kB (a pull request with a 65 536-character body and a large
 * repository object stays well under 1 MB), and anything we accept is buffered and hashed before
 * we know who sent it. A larger delivery is answered 413 and shows as failed in GitHub's log; the
 * poller (REFRESH_INTERVAL), when enabled, still catches the change.
 */
export const WEBHOOK_BODY_LIMIT = "1mb";

/** GitHub's delivery GUID; anything longer or stranger is not from GitHub. */
const DELIVERY_ID = /^[A-Za-z0-9-]{1,100}$/;
const EVENT_NAME = /^[a-z_]{1,64}$/;
/** Metric labels: the header is read before the signature is checked, so only known names. */
const LABELLED_EVENTS = new Set([...HANDLED_EVENTS, "ping"]);

export interface WebhookDeps {
  /** `GITHUB_WEBHOOK_SECRET`; without it the route answers 503. */
  secret: string | undefined;
  /** The configured GitHub's host, as resource keys spell it. */
  host: string;
  jobs: JobStore;
  clock: Clock;
  logger: Logger;
  /** How long a refresh waits for more events about the same resource. */
  debounceMs: number;
  metrics: UpdateMetrics;
  wakeup: Wakeup;
}

/**
 * `POST /webhooks/github`: verify the signature over the raw bytes, turn the event into jobs and
 * record them with the delivery id in one transaction, answer 202. Everything slow (GitHub reads,
 * Notion pushes) happens later in the worker, so GitHub gets its answer in milliseconds. Mount it
 * before the app's JSON parser: it brings its own raw parser.
 *
 * Replays: the signature covers the body only (GitHub signs no timestamp, and the delivery id is
 * an unsigned header), so a captured delivery cannot be told from a fresh one by any clock check
 * without also refusing GitHub's own redeliveries of old events. What protects us is that the
 * payload is never shown: a delivery only makes us re-read GitHub with each user's own token. A
 * redelivery of a recorded id is acknowledged and not processed twice.
 */
export function githubWebhook(d: WebhookDeps): RequestHandler[] {
  const raw = express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT });
  const handler = async (req: Request, res: Response): Promise<void> => {
    const event = req.get("x-github-event") ?? "";
    const answer = (status: number, outcome: string, body: Record<string, string>) => {
      d.metrics.deliveries.inc({ event: LABELLED_EVENTS.has(event) ? event : "other", outcome });
      res.status(status).set("Cache-Control", "no-store").json(body);
    };
    if (!d.secret) {
      return answer(503, "unconfigured", { error: "unavailable", message: "GitHub webhooks are not configured (GITHUB_WEBHOOK_SECRET)." });
    }
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!verifySignature(d.secret, body, req.get("x-hub-signature-256"))) {
      d.logger.warn({ reqId: requestId(res), event }, "webhook with a missing or wrong signature");
      return answer(401, "bad_signature", { error: "invalid_signature", message: "X-Hub-Signature-256 does not match the payload." });
    }
    const delivery = req.get("x-github-delivery") ?? "";
    if (!EVENT_NAME.test(event) || !DELIVERY_ID.test(delivery)) {
      return answer(400, "bad_request", { error: "invalid_request", message: "X-GitHub-Event and X-GitHub-Delivery are required." });
    }
    if (event === "ping") return answer(200, "ping", { status: "pong" });

    let plan: DeliveryPlan | null;
    try {
      plan = planDelivery(event, readPayload(req, body), d.host);
    } catch (err) {
      if (!(err instanceof PayloadError || err instanceof SyntaxError)) throw err;
      d.logger.warn({ reqId: requestId(res), event, delivery, problem: err.message }, "unreadable webhook payload");
      return answer(400, "bad_request", { error: "invalid_request", message: err.message });
    }
    if (!plan || (plan.refresh.length === 0 && plan.revokeAccounts.length === 0)) {
      return answer(200, "ignored", { status: "ignored" });
    }
    const fresh = await d.jobs.recordDelivery({ id: delivery, event }, jobsOf(plan, d.clock.now(), d.debounceMs), d.clock.now());
    if (!fresh) return answer(200, "duplicate", { status: "duplicate" });
    answer(202, "queued", { status: "queued" });
    d.wakeup.notify();
  };
  return [raw, handler];
}

/** Refreshes wait out the debounce window; revocations run at once. */
function jobsOf(plan: DeliveryPlan, now: number, debounceMs: number): NewJob[] {
  return [
    ...plan.revokeAccounts.map((key): NewJob => ({ kind: "revoke_account", key, runAfter: now })),
    ...plan.refresh.map((key): NewJob => ({ kind: "refresh", key, runAfter: now + debounceMs })),
  ];
}

/** JSON, or the form encoding GitHub also offers (`payload=<json>`). Throws SyntaxError. */
function readPayload(req: Request, body: Buffer): unknown {
  const text = body.toString("utf8");
  if (req.is("application/x-www-form-urlencoded")) {
    return JSON.parse(new URLSearchParams(text).get("payload") ?? "") as unknown;
  }
  return JSON.parse(text) as unknown;
}
