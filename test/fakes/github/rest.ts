import { Router } from "express";
import { authenticate } from "./auth.js";
import type { FakeUser, World } from "./fixtures.js";
import type { createRateLimits } from "./rateLimit.js";

/** The REST API under `/api/v3` (GitHub Enterprise Server's layout). Only what the server calls. */

export function restRoutes(world: World, rateLimits: ReturnType<typeof createRateLimits>): Router {
  const router = Router();

  router.use((req, res, next) => {
    const user = authenticate(world, req, res, "rest");
    if (!user) return;
    rateLimits.hit(res, user.login, "core");
    res.set({ "x-github-media-type": "github.v3; format=json", "x-oauth-scopes": "", "x-accepted-oauth-scopes": "" });
    res.locals["user"] = user;
    next();
  });

  router.get("/user", (_req, res) => {
    res.json(restUser(world, res.locals["user"] as FakeUser));
  });

  router.use((_req, res) => {
    res.status(404).json({ message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" });
  });

  return router;
}

/** `GET /user`'s shape for the authenticated user (the private fields left empty). */
function restUser(world: World, user: FakeUser) {
  return {
    login: user.login,
    id: user.id,
    node_id: Buffer.from(`04:User${user.id}`).toString("base64"),
    avatar_url: user.avatarUrl,
    gravatar_id: "",
    url: `${world.apiUrl}/users/${user.login}`,
    html_url: `${world.webUrl}/${user.login}`,
    repos_url: `${world.apiUrl}/users/${user.login}/repos`,
    type: "User",
    user_view_type: "private",
    site_admin: false,
    name: user.name,
    company: null,
    blog: "",
    location: null,
    email: null,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: "2011-01-25T18:44:36Z",
    updated_at: "2024-01-01T00:00:00Z",
  };
}
