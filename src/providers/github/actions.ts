import { z } from "zod";
import { type Attribute, type Rgb, enumValue, plainText } from "../../notion/attributes.js";
import { COLORS, duration, personAttributes, restPerson } from "./format.js";

/** What workflow runs and jobs share: their REST shape, the status pill, duration and trigger. */

export const runSchema = z.object({
  id: z.number(),
  name: z.string().nullish(),
  display_title: z.string().optional(),
  run_number: z.number(),
  run_attempt: z.number().optional(),
  status: z.string().nullable(),
  conclusion: z.string().nullable(),
  head_branch: z.string().nullable(),
  event: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  run_started_at: z.string().optional(),
  actor: z.object({ login: z.string(), avatar_url: z.string().nullish() }).optional(),
});
export type RunJson = z.infer<typeof runSchema>;

const CONCLUSIONS: Record<string, [string, Rgb]> = {
  success: ["Success", COLORS.green],
  failure: ["Failure", COLORS.red],
  timed_out: ["Timed out", COLORS.red],
  startup_failure: ["Startup failure", COLORS.red],
  cancelled: ["Cancelled", COLORS.grey],
  skipped: ["Skipped", COLORS.grey],
  neutral: ["Neutral", COLORS.grey],
  stale: ["Stale", COLORS.grey],
  action_required: ["Action required", COLORS.amber],
};
const STATUSES: Record<string, [string, Rgb]> = {
  in_progress: ["In progress", COLORS.amber],
  queued: ["Queued", COLORS.amber],
  requested: ["Queued", COLORS.amber],
  pending: ["Queued", COLORS.amber],
  waiting: ["Waiting", COLORS.amber],
};

/** The pill: the conclusion once completed, else where the run stands. */
export function statusAttribute(status: string | null, conclusion: string | null): Attribute {
  const [label, color] =
    (status === "completed" && conclusion ? CONCLUSIONS[conclusion] : undefined) ??
    (status ? STATUSES[status] : undefined) ??
    [status ?? "Unknown", COLORS.grey];
  return enumValue("status", "Status", label, "primary", color);
}

/** Branch, event, duration and who started it: the run's context, also shown on its jobs. */
export function runContextAttributes(run: RunJson, took: { from?: string | null; to?: string | null }): Attribute[] {
  const ms = took.from && took.to ? Date.parse(took.to) - Date.parse(took.from) : Number.NaN;
  return [
    ...(run.head_branch ? [plainText("branch", "Branch", run.head_branch, "secondary")] : []),
    plainText("event", "Event", run.event, "secondary"),
    ...(Number.isFinite(ms) ? [plainText("duration", "Duration", duration(ms), "secondary")] : []),
    ...personAttributes(restPerson(run.actor), "Actor"),
  ];
}
