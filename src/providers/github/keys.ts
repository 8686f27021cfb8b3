import { MIN_SHA_HEX } from "./urls.js";

/**
 * Resource keys of GitHub objects: the stable names under which a preview is tracked, so that a
 * webhook about an object finds every preview of it. Pure, and shared with the webhook code, which
 * builds the same keys from webhook payloads: both sides must agree to the byte.
 *
 *   repository        github:<host>:<owner>/<repo>
 *   object in a repo  github:<host>:<owner>/<repo>#<kind>/<id>
 *   user or org       github:<host>:@<login>
 *   gist              github:<host>:gist/<id>
 *
 * `host` is the web host with its port (`github.com`, `ghe.acme.com`, `127.0.0.1:8080`). GitHub
 * compares owner, repository and login names case-insensitively, so they are lower-cased; refs,
 * tags and paths are case-sensitive on GitHub and kept as they are. Commits are keyed by a
 * lower-cased prefix of their sha (see `commitId`).
 */

export type RepoObjectKind = "pull" | "issue" | "commit" | "release" | "discussion" | "run" | "job" | "file" | "tree";

export function repositoryKey(host: string, owner: string, repo: string): string {
  return `github:${host}:${owner.toLowerCase()}/${repo.toLowerCase()}`;
}

/** `id` is the kind's own id: a number, a sha, a tag, or `<ref>/<path>` for files and trees. */
export function repoObjectKey(host: string, owner: string, repo: string, kind: RepoObjectKind, id: string | number): string {
  return `${repositoryKey(host, owner, repo)}#${kind}/${kind === "commit" ? commitId(String(id)) : id}`;
}

/**
 * A commit in a key: the first `MIN_SHA_HEX` (7) hex characters of its sha, lower-cased. Links
 * spell a commit by anything from 7 characters to the full 40 (64 in SHA-256 repositories), and
 * webhooks by the full sha; only a prefix no longer than the shortest link lets a webhook reach
 * every preview of its commit. Two commits of a repository may share the prefix: that rare
 * collision costs one extra re-read per user tracking the other commit (a refresh re-reads each
 * tracked link, by its own sha), never a wrong preview.
 */
const commitId = (sha: string): string => sha.slice(0, MIN_SHA_HEX).toLowerCase();

export const pullKey = (host: string, owner: string, repo: string, number: number | string) =>
  repoObjectKey(host, owner, repo, "pull", number);
export const issueKey = (host: string, owner: string, repo: string, number: number | string) =>
  repoObjectKey(host, owner, repo, "issue", number);
export const commitKey = (host: string, owner: string, repo: string, sha: string) =>
  repoObjectKey(host, owner, repo, "commit", sha);
export const releaseKey = (host: string, owner: string, repo: string, tag: string) =>
  repoObjectKey(host, owner, repo, "release", tag);
export const discussionKey = (host: string, owner: string, repo: string, number: number | string) =>
  repoObjectKey(host, owner, repo, "discussion", number);
export const runKey = (host: string, owner: string, repo: string, runId: number | string) =>
  repoObjectKey(host, owner, repo, "run", runId);
export const jobKey = (host: string, owner: string, repo: string, jobId: number | string) =>
  repoObjectKey(host, owner, repo, "job", jobId);

/**
 * A file or directory at a ref. A link does not say where a ref with slashes (`feature/x`) ends
 * and the path begins, so the key keeps `<ref>/<path>` exactly as the link spells it; a tree link
 * without a path (`/tree/main`) is keyed `tree/main`.
 */
export const fileKey = (host: string, owner: string, repo: string, refAndPath: string) =>
  repoObjectKey(host, owner, repo, "file", refAndPath);
export const treeKey = (host: string, owner: string, repo: string, refAndPath: string) =>
  repoObjectKey(host, owner, repo, "tree", refAndPath);

export function profileKey(host: string, login: string): string {
  return `github:${host}:@${login.toLowerCase()}`;
}

export function gistKey(host: string, gistId: string): string {
  return `github:${host}:gist/${gistId.toLowerCase()}`;
}
