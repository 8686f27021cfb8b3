import type { Request, Response } from "express";
import { bearerToken } from "../http.js";
import { type FakeUser, type World, userForToken } from "./fixtures.js";

/**
 * API authentication as GitHub does it: `Authorization: Bearer …` or the older `token …`; an
 * unknown or revoked token is `401 Bad credentials`, whichever API was called.
 */

const DOCS = { rest: "https://docs.github.com/rest", graphql: "https://docs.github.com/graphql" } as const;

const MISSING = {
  rest: "Requires authentication",
  graphql: "This endpoint requires you to be authenticated.",
} as const;

/** The token's user, or `undefined` after answering 401. */
export function authenticate(world: World, req: Request, res: Response, api: "rest" | "graphql"): FakeUser | undefined {
  const token = bearerToken(req, ["bearer", "token"]);
  const user = userForToken(world, token);
  if (user) return user;
  res.status(401).json({
    message: token === undefined ? MISSING[api] : "Bad credentials",
    documentation_url: DOCS[api],
    ...(api === "rest" ? { status: "401" } : {}),
  });
  return undefined;
}
