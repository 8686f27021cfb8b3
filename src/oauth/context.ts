import type { Config } from "../config.js";
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import type { NotionOAuth } from "../notion/oauthClient.js";
import type { UpstreamLogin } from "../providers/types.js";
import type { Sealer } from "../secrets/seal.js";
import type { Store } from "../store/types.js";
import type { AuthSessions } from "./session.js";

/** What the authorization-server handlers need; built once by createApp. */
export interface OAuthContext {
  config: Config;
  store: Store;
  sealer: Sealer;
  clock: Clock;
  logger: Logger;
  sessions: AuthSessions;
  /** Null when the upstream OAuth app is not configured. */
  upstream: UpstreamLogin | null;
  /** Null when our public Notion integration's credentials are not configured. */
  notion: NotionOAuth | null;
  /** `PUBLIC_URL/auth/github/callback`. */
  upstreamCallbackUrl: string;
  secureCookies: boolean;
}
