import { type Attribute, type Rgb, enumValue } from "../../notion/attributes.js";
import { COLORS } from "./format.js";

/**
 * The state of a commit's checks as one pill, the way GitHub shows it beside a commit: GraphQL's
 * `statusCheckRollup`, or the same rollup computed from REST's statuses and check runs.
 */

export type StatusState = "EXPECTED" | "ERROR" | "FAILURE" | "PENDING" | "SUCCESS";

const CHECKS: Record<StatusState, [string, Rgb]> = {
  SUCCESS: ["Checks passing", COLORS.green],
  FAILURE: ["Checks failing", COLORS.red],
  ERROR: ["Checks errored", COLORS.red],
  PENDING: ["Checks pending", COLORS.amber],
  EXPECTED: ["Checks pending", COLORS.amber],
};

export function checksAttribute(state: StatusState | null | undefined): Attribute[] {
  const checks = state ? CHECKS[state] : undefined;
  return checks ? [enumValue("checks", "Checks", checks[0], "primary", checks[1])] : [];
}

/** REST's combined status (`total_count` 0 means no statuses, whatever `state` says). */
export interface CombinedStatus {
  state: string;
  total_count: number;
}

export interface CheckRun {
  status: string;
  conclusion: string | null;
}

const PASSING_CONCLUSIONS = new Set(["success", "neutral", "skipped"]);

/** Failing beats pending beats passing; no statuses and no check runs is no pill at all. */
export function rollup(status: CombinedStatus | null, checkRuns: readonly CheckRun[]): StatusState | null {
  const states: StatusState[] = [];
  if (status && status.total_count > 0) {
    states.push(status.state === "success" ? "SUCCESS" : status.state === "pending" ? "PENDING" : "FAILURE");
  }
  for (const run of checkRuns) {
    if (run.status !== "completed") states.push("PENDING");
    else states.push(run.conclusion && PASSING_CONCLUSIONS.has(run.conclusion) ? "SUCCESS" : "FAILURE");
  }
  if (states.length === 0) return null;
  if (states.includes("FAILURE")) return "FAILURE";
  return states.includes("PENDING") ? "PENDING" : "SUCCESS";
}
