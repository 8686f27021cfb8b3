import type { KeyObject } from "node:crypto";
import { type Request, type Response, Router } from "express";
import { jwtVerify } from "jose";
import { type World, avatarFor, newToken } from "./fixtures.js";
import type { Responder, Schemas } from "./restShapes.js";

/**
 * A GitHub App's own endpoints: the app authenticates with an RS256 JWT signed by its private key
 * (issuer: the app id; at most 10 minutes long) and trades it for installation tokens (`ghs_…`,
 * 1 h), which act as the installation's bot: they see public repositories only.
 */

export interface AppState {
  appId: string;
  publicKey: KeyObject;
  installationId: number;
  /** Installation tokens issued so far (for tests to count). */
  issued: number;
}

export function appRoutes(world: World, respond: Responder, app: () => AppState | null): Router {
  const router = Router();

  async function authenticateApp(req: Request, res: Response): Promise<AppState | undefined> {
    const state = app();
    const jwt = /^Bearer (\S+)$/.exec(req.get("authorization") ?? "")?.[1];
    if (state && jwt) {
      try {
        const { payload } = await jwtVerify(jwt, state.publicKey, { algorithms: ["RS256"], issuer: state.appId });
        if (typeof payload.exp === "number" && typeof payload.iat === "number" && payload.exp - payload.iat <= 600) return state;
      } catch {
        // falls through to GitHub's answer for a bad JWT
      }
    }
    res.status(401).json({ message: "A JSON web token could not be decoded", documentation_url: "https://docs.github.com/rest" });
    return undefined;
  }

  router.get("/app/installations", async (req, res) => {
    const state = await authenticateApp(req, res);
    if (!state) return;
    respond.ok(req, res, [{ id: state.installationId, app_id: Number(state.appId) || 1, target_type: "Organization" }]);
  });

  router.post("/app/installations/:id/access_tokens", async (req, res) => {
    const state = await authenticateApp(req, res);
    if (!state) return;
    if (Number(req.params["id"]) !== state.installationId) return respond.fail(req, res, 404, "Not Found");
    const login = "fake-app[bot]";
    world.users.set(login, {
      id: 900_000 + state.installationId,
      login,
      name: null,
      avatarUrl: avatarFor(900_000),
      type: "Bot",
      bio: null,
      company: null,
      location: null,
      publicRepos: 0,
      followers: 0,
      createdAt: "2024-01-01T00:00:00Z",
      installation: true,
    });
    const token = newToken("ghs");
    world.tokens.set(token, login);
    state.issued += 1;
    const body: Pick<Schemas["installation-token"], "token" | "expires_at" | "repository_selection"> = {
      token,
      expires_at: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
      repository_selection: "all",
    };
    respond.ok(req, res, body, 201);
  });

  return router;
}

