import type { Clock } from "./clock.js";
import type { Config } from "./config.js";
import type { Fetch } from "./http/outbound.js";
import type { Logger } from "./logger.js";
import { createMetrics, type Metrics } from "./metrics.js";
import { createUnfurlService, type UnfurlService } from "./notion/unfurlService.js";
import { createUpstreamTokens, type UpstreamTokens } from "./oauth/upstreamTokens.js";
import { buildProviders, buildUpstreamLogin, buildUpstreamRefresh } from "./providers/index.js";
import { createRegistry, type ProviderRegistry } from "./providers/registry.js";
import type { Provider, UpstreamLogin } from "./providers/types.js";
import { createSealer, type Sealer } from "./secrets/seal.js";
import type { Store } from "./store/types.js";
import { createUpdatesContext, type UpdatesContext } from "./updates/context.js";

export interface Deps {
  config: Config;
  store: Store;
  clock: Clock;
  /** Outbound HTTP to configured upstreams (GitHub, Notion). */
  fetch: Fetch;
  logger: Logger;
  /** Defaults to the providers the config enables. */
  providers?: readonly Provider[];
  /** Defaults to the GitHub login of the config (null when not configured). */
  upstreamLogin?: UpstreamLogin | null;
  metrics?: Metrics;
}

/** The domain services, shared by the HTTP app and background workers of one process. */
export interface Services {
  metrics: Metrics;
  sealer: Sealer;
  registry: ProviderRegistry;
  upstreamLogin: UpstreamLogin | null;
  upstreamTokens: UpstreamTokens;
  unfurls: UnfurlService;
  /** Live updates: shared by the webhook route and the job worker (`src/updates`). */
  updates: UpdatesContext;
}

/** Total deadline of one unfurl: Notion is waiting, and so is the person who pasted the link. */
const UNFURL_DEADLINE_MS = 8_000;

export function createServices(deps: Deps): Services {
  const { config, store, clock, logger } = deps;
  const metrics = deps.metrics ?? createMetrics();
  const sealer = createSealer(config.secretKeys);
  const registry = createRegistry(deps.providers ?? buildProviders(config, deps.fetch, undefined, clock));
  const upstreamTokens = createUpstreamTokens({ sealer, store, clock, refresh: buildUpstreamRefresh(config, deps.fetch, clock) });
  const unfurls = createUnfurlService({
    registry,
    store,
    upstreamTokens,
    clock,
    logger,
    metrics,
    cacheTtl: config.unfurl.cacheTtl,
    deadlineMs: UNFURL_DEADLINE_MS,
    validate: config.env !== "production",
  });
  const upstreamLogin = deps.upstreamLogin !== undefined ? deps.upstreamLogin : buildUpstreamLogin(config, deps.fetch);
  const updates = createUpdatesContext(metrics.registry, store.jobs);
  return { metrics, sealer, registry, upstreamLogin, upstreamTokens, unfurls, updates };
}
