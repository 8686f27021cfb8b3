import { createHash } from "node:crypto";
import type { components } from "@octokit/openapi-types";
import type { Request, Response } from "express";
import { type FakeRepository, type FakeUser, type World, actorFor, canSee, repoKey, stableId } from "./fixtures.js";
import type { createRateLimits } from "./rateLimit.js";

/**
 * What the REST routes share: GitHub's JSON shapes (typed by GitHub's own OpenAPI description, so
 * a field name or type the real API does not have fails to compile), conditional answers with
 * ETags, the error bodies, and the visibility rules.
 */

export type Schemas = components["schemas"];

/** Fields we send of GitHub's schema `T`: checked against it, without every URL GitHub adds. */
export type Shape<T, K extends keyof T> = Pick<T, K>;

export interface Responder {
  /** 200 (or `status`) with an ETag; a matching `If-None-Match` gets a `304` that costs no rate limit. */
  ok(req: Request, res: Response, body: unknown, status?: number): void;
  fail(req: Request, res: Response, status: number, message: string, headers?: Record<string, string>): void;
}

const DOCS = "https://docs.github.com/rest";

export function createResponder(rateLimits: ReturnType<typeof createRateLimits>): Responder {
  const login = (res: Response) => (res.locals["user"] as FakeUser | undefined)?.login ?? "anonymous";
  return {
    ok(req, res, body, status = 200) {
      const json = JSON.stringify(body);
      const etag = `W/"${createHash("sha256").update(json).digest("hex").slice(0, 32)}"`;
      res.set({ etag, "cache-control": "private, max-age=60, s-maxage=60", vary: "Accept, Authorization, Cookie, X-GitHub-OTP" });
      if (status === 200 && req.get("if-none-match") === etag) {
        rateLimits.peek(res, login(res), "core");
        res.status(304).end();
        return;
      }
      rateLimits.hit(res, login(res), "core");
      res.status(status).type("application/json; charset=utf-8").send(json);
    },
    fail(_req, res, status, message, headers = {}) {
      rateLimits.hit(res, login(res), "core");
      res.status(status).set(headers).json({ message, documentation_url: DOCS, status: String(status) });
    },
  };
}

/** The repository of `/repos/:owner/:repo/…` if the caller may see it; otherwise answers and returns undefined. */
export function visibleRepo(world: World, respond: Responder, req: Request, res: Response): FakeRepository | undefined {
  const repo = world.repositories.get(repoKey(String(req.params["owner"]), String(req.params["repo"])));
  const user = res.locals["user"] as FakeUser;
  if (!repo || !canSee(repo, user)) {
    respond.fail(req, res, 404, "Not Found");
    return undefined;
  }
  if (repo.ssoEnforced && !user.installation) {
    respond.fail(req, res, 403, "Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.", {
      "x-github-sso": `required; url=${world.webUrl}/orgs/${repo.owner}/sso?authorization_request=A1B2C3`,
    });
    return undefined;
  }
  return repo;
}

export const apiUrlOf = (world: World, path: string) => `${world.apiUrl}${path}`;

/** GitHub's `simple-user` for a login (known users, or a made-up stranger). */
export function simpleUser(world: World, login: string): Schemas["simple-user"] {
  const actor = actorFor(world, login);
  const user = world.users.get(login.toLowerCase());
  const id = user?.id ?? stableId(login);
  const api = apiUrlOf(world, `/users/${actor.login}`);
  return {
    login: actor.login,
    id,
    node_id: Buffer.from(`04:User${id}`).toString("base64"),
    avatar_url: actor.avatarUrl,
    gravatar_id: "",
    url: api,
    html_url: actor.url,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user?.type ?? (actor.__typename === "Organization" ? "Organization" : "User"),
    site_admin: false,
    user_view_type: "public",
  };
}

export const maybeUser = (world: World, login: string | null) => (login ? simpleUser(world, login) : null);
