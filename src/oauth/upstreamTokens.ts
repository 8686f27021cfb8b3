import type { UpstreamToken } from "../providers/types.js";
import type { Sealer } from "../secrets/seal.js";
import type { Grant } from "../store/types.js";
import { openUpstreamToken } from "./grantSecrets.js";

/**
 * The one way to get a grant's upstream token, for unfurls and for background refreshes alike.
 * (Expiring GitHub App user tokens will be refreshed here, once, behind this same seam.)
 */
export interface UpstreamTokens {
  get(grant: Grant): Promise<UpstreamToken>;
}

export function createUpstreamTokens(sealer: Sealer): UpstreamTokens {
  return { get: (grant) => openUpstreamToken(sealer, grant) };
}
