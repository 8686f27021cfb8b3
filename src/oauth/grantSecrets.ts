import type { UpstreamToken } from "../providers/types.js";
import type { Sealer } from "../secrets/seal.js";
import type { Grant } from "../store/types.js";

/**
 * The sealed secrets of a grant. Each is bound to its grant and column through the JWE
 * purpose, so a value copied to another row does not open.
 */
const upstreamPurpose = (grantId: string) => `grant:${grantId}:upstream`;
const notionPurpose = (grantId: string) => `grant:${grantId}:notion`;

export async function sealGrantSecrets(
  sealer: Sealer,
  grantId: string,
  secrets: { upstream: UpstreamToken; notionAccessToken: string },
): Promise<{ upstreamTokenSealed: string; notionTokenSealed: string }> {
  return {
    upstreamTokenSealed: await sealUpstreamToken(sealer, grantId, secrets.upstream),
    notionTokenSealed: await sealer.seal(secrets.notionAccessToken, notionPurpose(grantId)),
  };
}

/**
 * The upstream half alone, for a token renewed after consent. Sealed as JSON, so every field of
 * `token` goes in (the renewal's lease rides along this way).
 */
export async function sealUpstreamToken(sealer: Sealer, grantId: string, token: UpstreamToken): Promise<string> {
  return sealer.seal(JSON.stringify(token), upstreamPurpose(grantId));
}

export async function openUpstreamToken(sealer: Sealer, grant: Grant): Promise<UpstreamToken> {
  return JSON.parse(await sealer.open(grant.upstreamTokenSealed, upstreamPurpose(grant.id))) as UpstreamToken;
}

export async function openNotionToken(sealer: Sealer, grant: Grant): Promise<string> {
  return sealer.open(grant.notionTokenSealed, notionPurpose(grant.id));
}
