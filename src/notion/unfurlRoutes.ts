import type { Request, Response } from "express";
import { z } from "zod";
import type { Clock } from "../clock.js";
import { bearerToken, invalidToken } from "../http/bearer.js";
import { HttpError } from "../http/errors.js";
import { sha256 } from "../secrets/tokens.js";
import type { Store } from "../store/types.js";
import type { UnfurlService } from "./unfurlService.js";

const uriSchema = z
  .string({ message: "uri must be a string" })
  .min(1, "uri is empty")
  .max(2048, "uri is longer than 2048 characters")
  .refine((u) => URL.canParse(u), "uri is not an absolute URL");

const unfurlBody = z.object({ uri: uriSchema }, { message: "body must be a JSON object" });

function parseUri(input: unknown): string {
  const parsed = unfurlBody.safeParse(input);
  if (!parsed.success) throw new HttpError(400, parsed.error.issues.map((i) => i.message).join("; "));
  return parsed.data.uri;
}

/** `POST /notion/unfurl`: a valid, unexpired bearer, then the unfurl envelope. */
export function postUnfurl(store: Store, clock: Clock, unfurls: UnfurlService) {
  return async (req: Request, res: Response): Promise<void> => {
    const token = bearerToken(req);
    const auth = token ? await store.findAccessToken(sha256(token), clock.now()) : null;
    if (!auth) throw invalidToken();
    const uri = parseUri(req.body);
    const result = await unfurls.unfurl(auth, uri);
    if (result.kind === "unauthorized") throw invalidToken("The upstream account no longer grants access; reconnect.");
    res.set("Cache-Control", "no-store").json(result.envelope);
  };
}

/**
 * The two deletion callbacks accept a known token even when it has expired: Notion may call
 * them long after its last refresh, and a deletion must never be lost to an expiry.
 */
async function grantOfToken(req: Request, store: Store): Promise<{ grantId: string; accountId: string } | null> {
  const token = bearerToken(req);
  if (!token) throw invalidToken();
  return store.findGrantByToken(sha256(token));
}

/** `DELETE /notion/unfurl`: no preview of `uri` is left in the workspace; stop tracking it. */
export function deleteUnfurl(store: Store, unfurls: UnfurlService) {
  return async (req: Request, res: Response): Promise<void> => {
    const owner = await grantOfToken(req, store);
    const body: unknown = req.body;
    const fromBody = body && typeof body === "object" && "uri" in body;
    const uri = parseUri(fromBody ? body : { uri: req.query.uri });
    if (owner) await unfurls.forget(owner, uri);
    res.json({});
  };
}

/** `DELETE /notion/deleted`: the user disconnected; the grant and all its secrets go. */
export function deletedToken(store: Store, clock: Clock) {
  return async (req: Request, res: Response): Promise<void> => {
    const owner = await grantOfToken(req, store);
    if (owner) await store.revokeGrant(owner.grantId, clock.now());
    res.json({});
  };
}
