import { Router } from "express";
import type { World } from "./fixtures.js";
import { type Responder, type Schemas, type Shape, apiUrlOf, simpleUser } from "./restShapes.js";

/** `/users/:login` (users and organisations alike, as GitHub does) and `/gists/:id`. */

export function userRoutes(world: World, respond: Responder): Router {
  const router = Router();

  router.get("/users/:login", (req, res) => {
    const user = world.users.get(String(req.params["login"]).toLowerCase());
    if (!user || user.installation) return respond.fail(req, res, 404, "Not Found");
    respond.ok(req, res, {
      ...simpleUser(world, user.login),
      name: user.name,
      company: user.company,
      blog: "",
      location: user.location,
      email: null,
      hireable: null,
      bio: user.bio,
      public_repos: user.publicRepos,
      public_gists: 0,
      followers: user.followers,
      following: 0,
      created_at: user.createdAt,
      updated_at: "2024-01-01T00:00:00Z",
    } satisfies Schemas["public-user"]);
  });

  router.get("/gists/:id", (req, res) => {
    const gist = world.gists.get(String(req.params["id"]));
    if (!gist) return respond.fail(req, res, 404, "Not Found");
    const api = apiUrlOf(world, `/gists/${gist.id}`);
    const body: Shape<
      Schemas["gist-simple"],
      "url" | "forks_url" | "commits_url" | "id" | "node_id" | "git_pull_url" | "html_url" | "files" | "public" | "created_at" | "updated_at" | "description" | "comments" | "owner" | "truncated"
    > = {
      url: api,
      forks_url: `${api}/forks`,
      commits_url: `${api}/commits`,
      id: gist.id,
      node_id: `G_${gist.id}`,
      git_pull_url: `${world.webUrl}/gist/${gist.id}.git`,
      html_url: `${world.webUrl}/gist/${gist.owner}/${gist.id}`,
      files: Object.fromEntries(
        gist.files.map((f) => [
          f.name,
          { filename: f.name, type: "text/plain", language: f.language ?? undefined, raw_url: `${world.webUrl}/gist/raw/${gist.id}/${f.name}`, size: Buffer.byteLength(f.content), truncated: false, content: f.content },
        ]),
      ),
      public: gist.public,
      created_at: gist.createdAt,
      updated_at: gist.updatedAt,
      description: gist.description,
      comments: 0,
      owner: simpleUser(world, gist.owner),
      truncated: false,
    };
    respond.ok(req, res, body);
  });

  return router;
}
