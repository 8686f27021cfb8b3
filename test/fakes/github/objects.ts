import { createHash } from "node:crypto";
import type { LabelFixture } from "./fixtures.js";

/**
 * The fake world's objects beyond pull requests: what tests state about issues, discussions,
 * commits, files, releases, Actions runs and jobs, comments and gists. Plain data with realistic
 * defaults; `rest*.ts` and `graphqlData.ts` turn them into GitHub's answer shapes.
 */

export type IssueStateReason = "COMPLETED" | "NOT_PLANNED" | "REOPENED" | "DUPLICATE";

export interface IssueFixture {
  number: number;
  title: string;
  body: string;
  state: "OPEN" | "CLOSED";
  stateReason: IssueStateReason | null;
  createdAt: string;
  updatedAt: string;
  /** Login; null: the author's account was deleted. */
  author: string | null;
  labels: LabelFixture[];
  assignees: string[];
  milestone: string | null;
  commentCount: number;
}

export interface DiscussionFixture {
  number: number;
  title: string;
  body: string;
  category: string;
  /** Q&A categories can have an accepted answer. */
  answerable: boolean;
  answered: boolean;
  closed: boolean;
  upvotes: number;
  commentCount: number;
  author: string | null;
  createdAt: string;
  updatedAt: string;
}

export type CheckConclusion = "success" | "failure" | "neutral" | "cancelled" | "skipped" | "timed_out" | "action_required";

export interface CheckRunFixture {
  name: string;
  status: "queued" | "in_progress" | "completed";
  conclusion: CheckConclusion | null;
}

export interface CommitStatusFixture {
  context: string;
  state: "error" | "failure" | "pending" | "success";
}

export interface CommitFixture {
  sha: string;
  message: string;
  /** Login of the GitHub account of the git author; null: no account matches the email. */
  author: string | null;
  authorName: string;
  authorEmail: string;
  date: string;
  additions: number;
  deletions: number;
  files: string[];
  statuses: CommitStatusFixture[];
  checkRuns: CheckRunFixture[];
}

export interface ReleaseFixture {
  id: number;
  tagName: string;
  name: string | null;
  body: string;
  draft: boolean;
  prerelease: boolean;
  createdAt: string;
  publishedAt: string | null;
  author: string;
}

export type RunStatus = "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";

export interface RunFixture {
  id: number;
  workflowName: string;
  displayTitle: string;
  runNumber: number;
  event: string;
  headBranch: string;
  headSha: string;
  status: RunStatus;
  conclusion: CheckConclusion | null;
  actor: string;
  createdAt: string;
  startedAt: string;
  updatedAt: string;
}

export interface JobFixture {
  id: number;
  runId: number;
  name: string;
  status: RunStatus;
  conclusion: CheckConclusion | null;
  startedAt: string;
  completedAt: string | null;
  runnerName: string | null;
}

export type CommentKind = "issue" | "review" | "review_summary";

export interface CommentFixture {
  id: number;
  kind: CommentKind;
  /** The issue or pull request it belongs to. */
  number: number;
  author: string | null;
  body: string;
  /** Reviews only. */
  state?: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED";
  createdAt: string;
}

export interface GistFixture {
  id: string;
  owner: string;
  description: string | null;
  public: boolean;
  files: { name: string; content: string; language: string | null }[];
  createdAt: string;
  updatedAt: string;
}

/** A deterministic 40-hex sha, from any seed text. */
export const shaOf = (seed: string): string => createHash("sha1").update(seed).digest("hex");

export const newIssue = (number: number, input: Partial<IssueFixture>, owner: string): IssueFixture => ({
  number,
  title: "Settings page forgets the theme",
  body: "Steps:\n\n1. Pick **dark**\n2. Reload\n\nThe theme is back to light.",
  state: "OPEN",
  stateReason: null,
  createdAt: "2024-04-02T08:00:00Z",
  updatedAt: "2024-04-03T12:00:00Z",
  author: owner,
  labels: [{ name: "bug", color: "d73a4a", description: "Something isn't working" }],
  assignees: [],
  milestone: null,
  commentCount: 2,
  ...input,
});

export const newDiscussion = (number: number, input: Partial<DiscussionFixture>, owner: string): DiscussionFixture => ({
  number,
  title: "How do I configure the cache?",
  body: "I would like previews to refresh faster. Which setting is it?",
  category: "Q&A",
  answerable: true,
  answered: false,
  closed: false,
  upvotes: 3,
  commentCount: 4,
  author: owner,
  createdAt: "2024-03-01T10:00:00Z",
  updatedAt: "2024-03-02T10:00:00Z",
  ...input,
});

export const newCommit = (input: Partial<CommitFixture>, owner: string): CommitFixture => {
  const message = input.message ?? "Fix the theme toggle\n\nThe choice is now stored in localStorage.";
  return {
    sha: input.sha ?? shaOf(`${owner}:${message}:${input.date ?? ""}`),
    message,
    author: owner,
    authorName: "Mona Lisa",
    authorEmail: "mona@example.com",
    date: "2024-05-03T09:30:00Z",
    additions: 12,
    deletions: 3,
    files: ["src/theme.ts", "test/theme.test.ts"],
    statuses: [],
    checkRuns: [{ name: "test", status: "completed", conclusion: "success" }],
    ...input,
  };
};

export const newRelease = (id: number, input: Partial<ReleaseFixture>, owner: string): ReleaseFixture => ({
  id,
  tagName: "v1.0.0",
  name: "Version 1.0",
  body: "## What's changed\n\n* Dark mode by @octocat in https://github.com/o/r/pull/1",
  draft: false,
  prerelease: false,
  createdAt: "2024-05-10T10:00:00Z",
  publishedAt: "2024-05-10T11:00:00Z",
  author: owner,
  ...input,
});

export const newRun = (id: number, input: Partial<RunFixture>, owner: string): RunFixture => ({
  id,
  workflowName: "CI",
  displayTitle: "Fix the theme toggle",
  runNumber: 118,
  event: "push",
  headBranch: "main",
  headSha: shaOf(`run:${id}`),
  status: "completed",
  conclusion: "success",
  actor: owner,
  createdAt: "2024-05-03T09:31:00Z",
  startedAt: "2024-05-03T09:31:05Z",
  updatedAt: "2024-05-03T09:35:47Z",
  ...input,
});

export const newJob = (id: number, runId: number, input: Partial<JobFixture>): JobFixture => ({
  id,
  runId,
  name: "test (20.x)",
  status: "completed",
  conclusion: "success",
  startedAt: "2024-05-03T09:31:10Z",
  completedAt: "2024-05-03T09:33:40Z",
  runnerName: "GitHub Actions 7",
  ...input,
});

export const newGist = (id: string, input: Partial<GistFixture>, owner: string): GistFixture => ({
  id,
  owner,
  description: "Debounce in ten lines",
  public: true,
  files: [{ name: "debounce.ts", language: "TypeScript", content: "export function debounce(fn: () => void, ms: number) {\n  let t: NodeJS.Timeout;\n  return () => {\n    clearTimeout(t);\n    t = setTimeout(fn, ms);\n  };\n}\n" }],
  createdAt: "2024-01-05T10:00:00Z",
  updatedAt: "2024-01-06T10:00:00Z",
  ...input,
});
