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
  /** A live update after an upstream change (`src/updates`): read the source, never a cached answer. */
  fresh?: boolean;
}

/** One "URL matching and placeholder" rule as typed into Notion's integration dashboard. */
export interface DashboardRule {
  name: string;
  /** JavaScript regex source with named groups, e.g. `^https:\/\/github\.com\/(?<owner>[^/]+)…$`. */
  pattern: string;
  samples: string[];
  /** Placeholder attributes shown while the preview loads; values may use `$<group>`. */
  placeholder: Attribute[];
}

export interface Provider {
  readonly name: string;
  /** The rules to register in Notion's dashboard for the links this provider claims. */
  dashboardRules(): DashboardRule[];
  /** Pure: does this provider claim the URL, and what is in it. */
  match(url: URL): LinkMatch | null;
  /**
   * The complete attribute set (title, dev …). Throws `UnfurlError` for a preview-level failure
   * and `UpstreamAuthError` when the user's upstream token is dead.
   */
  unfurl(match: LinkMatch, ctx: UnfurlContext): Promise<Attribute[]>;
}

export interface UpstreamUser {
  /** Stable numeric id as a string: Notion's `external_account.key`. */
  id: string;
  login: string;
  name: string | null;
  avatarUrl: string | null;
}

/** The upstream's OAuth web flow, as the authorize page uses it. */
export interface UpstreamLogin {
  /** Shown on the consent page ("Connect GitHub to Notion"). */
  readonly displayName: string;
  /** What the integration reads with the user's token, in plain words for the consent page. */
  readonly reads: readonly string[];
  authorizeUrl(p: { state: string; codeChallenge: string; redirectUri: string }): string;
  exchangeCode(p: { code: string; codeVerifier: string; redirectUri: string }, signal?: AbortSignal): Promise<UpstreamToken>;
  fetchUser(accessToken: string, signal?: AbortSignal): Promise<UpstreamUser>;
}
