import type { NewJob } from "../store/jobs.js";

/** What running a job came to; the worker turns it into the queue operation. */
export type JobOutcome =
  /** Finished: the job is deleted and its follow-ups enqueued, atomically. */
  | { kind: "done"; followUps?: NewJob[] }
  /** Failed in a way worth retrying: backoff with jitter, dead letter after the last attempt. */
  | { kind: "retry"; error: string }
  /** Not a failure, just not now (Retry-After, throttle): waits until `runAfter`, attempt refunded. */
  | { kind: "later"; runAfter: number; reason: string }
  /** Will never succeed: dead letter at once. */
  | { kind: "dead"; error: string };

export const done = (followUps: NewJob[] = []): JobOutcome => ({ kind: "done", followUps });
