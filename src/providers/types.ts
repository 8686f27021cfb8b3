import type { Attribute } from "../notion/attributes.js";
import type { Account, Grant } from "../store/types.js";

/** A link a provider claims, with what it parsed from the URL. */
export interface LinkMatch {
  /** Link kind within the provider, e.g. `pull_request`. */
  kind: string;
  /** Named parts of the URL (owner, repo, number …). */
  params: Record<string, string>;
  /** Stable id of the upstream resource, e.g. `github:github.com:octo/repo#pull/1`. */
  resourceKey: string;
}

/** The upstream credentials of one grant, unsealed only for the call that needs them. */
export interface UpstreamToken {
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms; absent for tokens that do not expire (OAuth apps). */
  expiresAt?: number;
}

export interface UnfurlContext {
  grant: Grant;
  account: Account;
  /** Unseals the grant's upstream token lazily (cache hits never decrypt it). */
  upstreamToken(): Promise<UpstreamToken>;
  /** Aborted when the unfurl's deadline passes. */
  signal: AbortSignal;
}

export interface Provider {
  readonly name: string;
  /** Pure: does this provider claim the URL, and what is in it. */
  match(url: URL): LinkMatch | null;
  /**
   * The complete attribute set (title, dev …). Throws `UnfurlError` for a preview-level failure
   * and `UpstreamAuthError` when the user's upstream token is dead.
   */
  unfurl(match: LinkMatch, ctx: UnfurlContext): Promise<Attribute[]>;
}
