/**
 * Row → domain mapping of the live-update tables, shared by the SQLite and PostgreSQL job stores
 * (same snake_case columns in both schemas, like `rows.ts`).
 */
import type { DeadJob, JobKind, LeasedJob, NewJob, TrackedPreview } from "./jobs.js";
import { int, text, textOrNull, type Row } from "./rows.js";

const KINDS: readonly JobKind[] = ["refresh", "push", "revoke_account"];

function kind(row: Row): JobKind {
  const k = text(row, "kind");
  const known = KINDS.find((x) => x === k);
  if (!known) throw new TypeError(`store: unknown job kind ${k}`);
  return known;
}

export function toLeasedJob(row: Row): LeasedJob {
  return {
    id: int(row, "id"),
    leaseToken: text(row, "lease_token"),
    kind: kind(row),
    key: text(row, "key"),
    grantId: text(row, "grant_id"),
    onlyIfChanged: int(row, "only_if_changed") === 1,
    attempts: int(row, "attempts"),
    leaseUntil: int(row, "lease_until"),
    lastError: textOrNull(row, "last_error"),
  };
}

export function toDeadJob(row: Row): DeadJob {
  return {
    id: int(row, "id"),
    kind: kind(row),
    key: text(row, "key"),
    grantId: text(row, "grant_id"),
    attempts: int(row, "attempts"),
    lastError: textOrNull(row, "last_error"),
    updatedAt: int(row, "updated_at"),
  };
}

export function toTrackedPreview(row: Row): TrackedPreview {
  return {
    grantId: text(row, "grant_id"),
    uri: text(row, "uri"),
    resourceKey: text(row, "resource_key"),
    pushedHash: textOrNull(row, "pushed_hash"),
  };
}

/** A job as the columns of its row (the ones an INSERT sets). */
export function jobColumns(job: NewJob) {
  return {
    kind: job.kind,
    key: job.key,
    grantId: job.grantId ?? "",
    onlyIfChanged: job.onlyIfChanged ? 1 : 0,
    runAfter: job.runAfter,
  };
}

/**
 * The smallest string greater than every string starting with `prefix` (in byte order, which both
 * schemas use for `resource_key`): a prefix scan is then `key >= prefix AND key < upper`, which
 * uses the index, where LIKE would need escaping and is case-insensitive in SQLite.
 */
export function prefixUpperBound(prefix: string): string {
  const last = prefix.charCodeAt(prefix.length - 1);
  if (prefix === "" || last === 0xffff) throw new Error(`store: no upper bound for prefix ${JSON.stringify(prefix)}`);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

/** Error texts are kept short: they are for operators reading dead letters, not for logs. */
export const clip = (error: string): string => (error.length > 500 ? `${error.slice(0, 497)}...` : error);
