import { Router } from "express";
import { type AppState, appRoutes } from "./app.js";
import { authenticate } from "./auth.js";
import type { FakeUser, World } from "./fixtures.js";
import type { createRateLimits } from "./rateLimit.js";
import { actionsRoutes } from "./restActions.js";
import { commentRoutes } from "./restComments.js";
import { repoRoutes } from "./restRepos.js";
import { type Responder, createResponder, simpleUser } from "./restShapes.js";
import { userRoutes } from "./restUsers.js";

/**
 * The REST API under `/api/v3` (GitHub Enterprise Server's layout). Only what the server calls.
 * Every answer carries an ETag; a request that sends it back gets a `304`, which, as on GitHub,
 * costs no rate limit.
 */

export function restRoutes(world: World, rateLimits: ReturnType<typeof createRateLimits>, app: () => AppState | null): Router {
  const router = Router();
  const respond: Responder = createResponder(rateLimits);

  // the app's own endpoints authenticate with a JWT, not a token
  router.use(appRoutes(world, respond, app));

  router.use((req, res, next) => {
    const user = authenticate(world, req, res, "rest");
    if (!user) return;
    res.set({ "x-github-media-type": "github.v3; format=json", "x-oauth-scopes": "", "x-accepted-oauth-scopes": "" });
    res.locals["user"] = user;
    next();
  });

  router.get("/user", (req, res) => {
    respond.ok(req, res, restUser(world, res.locals["user"] as FakeUser));
  });
  router.use(repoRoutes(world, respond));
  router.use(actionsRoutes(world, respond));
  router.use(commentRoutes(world, respond));
  router.use(userRoutes(world, respond));

  router.use((req, res) => respond.fail(req, res, 404, "Not Found"));
  return router;
}

/** `GET /user`'s shape for the authenticated user (the private fields left empty). */
function restUser(world: World, user: FakeUser) {
  return {
    ...simpleUser(world, user.login),
    user_view_type: "private",
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
