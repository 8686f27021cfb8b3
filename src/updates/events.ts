import { z } from "zod";
import {
  commitKey,
  discussionKey,
  issueKey,
  profileKey,
  pullKey,
  releaseKey,
  repositoryKey,
  runKey,
} from "../providers/github/keys.js";
import { anyKeyStartingWith } from "./wildcard.js";

/**
 * Which previews a GitHub webhook delivery may have changed, as a pure function of the event name
 * and payload. The payload only says *what* to re-read: nothing in it ever reaches a preview, since
 * every refresh reads GitHub again with each tracking user's own token. So an event maps to
 * resource keys (built by `providers/github/keys.ts`, the same function the unfurls use), generously
 * rather than precisely: an extra refresh costs one API call, a missed one leaves a wrong preview.
 */

export interface DeliveryPlan {
  /** Resource keys to refresh; see `wildcard.ts` for keys that stand for a prefix. */
  refresh: string[];
  /** GitHub user ids (as strings) whose grants must all be revoked. */
  revokeAccounts: string[];
}

/** A signed payload we cannot read: answered 400 so that it shows as failed in GitHub's delivery log. */
export class PayloadError extends Error {
  constructor(event: string, detail: string) {
    super(`unexpected ${event} payload: ${detail}`);
    this.name = "PayloadError";
  }
}

const login = z.string().min(1).max(100);
const repository = z.object({ name: z.string().min(1).max(100), owner: z.object({ login }) });
const numbered = z.object({ number: z.number().int().positive() });
const sha = z.string().regex(/^[0-9a-f]{7,64}$/i);
/** The pull requests a check or workflow run belongs to (empty for runs of forks and branches). */
const pullRequests = z.array(numbered).default([]);
const checkLike = z.object({ head_sha: sha, pull_requests: pullRequests });

type Planner = (payload: unknown, host: string) => DeliveryPlan;

const refreshing = (refresh: string[]): DeliveryPlan => ({ refresh, revokeAccounts: [] });

function parse<T>(schema: z.ZodType<T>, event: string, payload: unknown): T {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new PayloadError(event, parsed.error.issues.map((i) => i.path.join(".")).join(", "));
  return parsed.data;
}

/** A planner for an event about one repository: parse, then name the keys through `at`. */
function inRepository<S extends z.ZodRawShape>(
  event: string,
  shape: S,
  keys: (at: RepositoryKeys, payload: z.infer<z.ZodObject<S>>) => string[],
): Planner {
  const schema = z.object(shape);
  return (payload, host) => {
    const { owner, name } = parse(z.object({ repository }), event, payload).repository;
    return refreshing(keys(repositoryKeys(host, owner.login, name), parse(schema, event, payload)));
  };
}

interface RepositoryKeys {
  pull(number: number): string;
  issue(number: number): string;
  commit(sha: string): string;
  release(tag: string): string;
  discussion(number: number): string;
  run(id: number): string;
  /** Every pull request of the repository. */
  anyPull(): string;
  /** The repository's own preview and every object in it. */
  everything(): string[];
}

function repositoryKeys(host: string, owner: string, repo: string): RepositoryKeys {
  const repoKey = repositoryKey(host, owner, repo);
  return {
    pull: (n) => pullKey(host, owner, repo, n),
    issue: (n) => issueKey(host, owner, repo, n),
    commit: (s) => commitKey(host, owner, repo, s),
    release: (tag) => releaseKey(host, owner, repo, tag),
    discussion: (n) => discussionKey(host, owner, repo, n),
    run: (id) => runKey(host, owner, repo, id),
    // The key of an empty number is the kind's prefix, `…#pull/`.
    anyPull: () => anyKeyStartingWith(pullKey(host, owner, repo, "")),
    // `#` ends the repository name: `acme/widgets#*` never matches `acme/widgets2`.
    everything: () => [repoKey, anyKeyStartingWith(`${repoKey}#`)],
  };
}

const pullRequestEvent = (event: string) =>
  inRepository(event, { pull_request: numbered }, (at, p) => [at.pull(p.pull_request.number)]);
const checkKeys = (at: RepositoryKeys, check: z.infer<typeof checkLike>) => [
  ...check.pull_requests.map((pr) => at.pull(pr.number)),
  at.commit(check.head_sha),
];
const discussionEvent = (event: string) =>
  inRepository(event, { discussion: numbered }, (at, p) => [at.discussion(p.discussion.number)]);

/** Installation changes alter what the app may read in an account: re-read all of its previews. */
const INSTALLATION_ACTIONS = new Set(["deleted", "suspend", "unsuspend", "new_permissions_accepted"]);
// An enterprise installation's account has a slug, not a login: no repository previews to refresh.
const installation = z.object({ action: z.string(), installation: z.object({ account: z.object({ login }).nullish().catch(null) }) });
const fullNames = z.array(z.object({ full_name: z.string() })).default([]);
const installationRepositories = z.object({ repositories_added: fullNames, repositories_removed: fullNames });
const appAuthorization = z.object({ action: z.string(), sender: z.object({ id: z.number().int().positive() }) });

const PLANNERS: Record<string, Planner> = {
  pull_request: pullRequestEvent("pull_request"),
  pull_request_review: pullRequestEvent("pull_request_review"),
  check_suite: inRepository("check_suite", { check_suite: checkLike }, (at, p) => checkKeys(at, p.check_suite)),
  check_run: inRepository("check_run", { check_run: checkLike }, (at, p) => checkKeys(at, p.check_run)),
  // A commit status names no pull request: refresh the commit, and every tracked pull request of
  // the repository (an unchanged one costs a read, not a push).
  status: inRepository("status", { sha }, (at, p) => [at.commit(p.sha), at.anyPull()]),
  issues: inRepository("issues", { issue: numbered }, (at, p) => [at.issue(p.issue.number)]),
  // Comments on a pull request arrive as issue comments; the issue then carries a `pull_request`.
  issue_comment: inRepository("issue_comment", { issue: numbered.extend({ pull_request: z.unknown().optional() }) }, (at, p) => [
    p.issue.pull_request ? at.pull(p.issue.number) : at.issue(p.issue.number),
  ]),
  release: inRepository("release", { release: z.object({ tag_name: z.string().min(1) }) }, (at, p) => [
    at.release(p.release.tag_name),
  ]),
  discussion: discussionEvent("discussion"),
  discussion_comment: discussionEvent("discussion_comment"),
  workflow_run: inRepository("workflow_run", { workflow_run: checkLike.extend({ id: z.number().int().positive() }) }, (at, p) => [
    at.run(p.workflow_run.id),
    ...checkKeys(at, p.workflow_run),
  ]),
  installation(payload, host) {
    const p = parse(installation, "installation", payload);
    const owner = p.installation.account?.login;
    if (!owner || !INSTALLATION_ACTIONS.has(p.action)) return refreshing([]);
    // The key of an empty repository name is `github:<host>:<owner>/`: every repository of the owner.
    return refreshing([profileKey(host, owner), anyKeyStartingWith(repositoryKey(host, owner, ""))]);
  },
  installation_repositories(payload, host) {
    const p = parse(installationRepositories, "installation_repositories", payload);
    return refreshing(
      [...p.repositories_added, ...p.repositories_removed].flatMap(({ full_name }) => {
        const [owner, repo] = full_name.split("/");
        return owner && repo ? repositoryKeys(host, owner, repo).everything() : [];
      }),
    );
  },
  // The user revoked the app's authorization: their token is dead, every grant of theirs goes.
  github_app_authorization(payload) {
    const p = parse(appAuthorization, "github_app_authorization", payload);
    return { refresh: [], revokeAccounts: p.action === "revoked" ? [String(p.sender.id)] : [] };
  },
};

/** The events this server subscribes to (and the README lists). */
export const HANDLED_EVENTS: readonly string[] = Object.keys(PLANNERS);

/** Null for an event we do not handle; throws `PayloadError` for a payload we cannot read. */
export function planDelivery(event: string, payload: unknown, host: string): DeliveryPlan | null {
  const planner = Object.hasOwn(PLANNERS, event) ? PLANNERS[event] : undefined;
  if (!planner) return null;
  const plan = planner(payload, host);
  return { refresh: [...new Set(plan.refresh)], revokeAccounts: [...new Set(plan.revokeAccounts)] };
}
